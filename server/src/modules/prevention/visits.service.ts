import crypto from 'node:crypto';
import type {
  BuildingCoverage,
  CoverageFigures,
  RoundApartment,
  RoundCoverage,
  VisitOutcome,
  VisitOutcomeInput,
  VisitRound,
  VisitRoundInput,
  VisitRoundSummary,
} from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import type { PeopleService } from '../people/people.service.ts';
import type { SiteService } from '../site/site.service.ts';
import type { PreventionRepository } from './prevention.repository.ts';

/**
 * Where a problem raised at a door can become an appeal: the appeals issue registers a
 * maker here; until then problems are kept as text with no appeal linked.
 */
export type AppealMaker = (args: {
  complexId: string;
  apartmentId: string;
  text: string;
  actorId: string;
}) => Promise<string>;

/** Coverage = visited / all apartments; no answer and refused are counted beside it. */
export function coverageOf(outcomes: (VisitOutcome | null)[]): CoverageFigures {
  const visited = outcomes.filter((o) => o === 'visited').length;
  const noAnswer = outcomes.filter((o) => o === 'no_answer').length;
  const refused = outcomes.filter((o) => o === 'refused').length;
  return {
    apartments: outcomes.length,
    visited,
    noAnswer,
    refused,
    coverage: outcomes.length ? visited / outcomes.length : 0,
  };
}

/** Door-to-door rounds (подворный обход): planned by building and entrance, recorded per apartment. */
export class VisitsService {
  private appealMaker: AppealMaker | null = null;

  constructor(
    private readonly repo: PreventionRepository,
    private readonly site: SiteService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The seam for "make an appeal from this problem" (issue of appeals). */
  setAppealMaker(maker: AppealMaker): void {
    this.appealMaker = maker;
  }

  async complexOf(roundId: string): Promise<string> {
    const c = await this.repo.complexOfRound(roundId);
    if (!c) throw new DomainError('VISIT_ROUND_NOT_FOUND');
    return c;
  }

  async create(actor: Actor, complexId: string, input: VisitRoundInput): Promise<VisitRound> {
    const plan = await this.site.sitePlan(complexId);
    const chosen = new Map<string, { buildingId: string; entranceId: string }>();
    for (const id of input.buildingIds) {
      const b = plan.buildings.find((x) => x.id === id);
      if (!b) throw new DomainError('VISIT_ROUND_EMPTY', { field: 'buildingIds', id });
      for (const e of b.entrances) chosen.set(e.id, { buildingId: b.id, entranceId: e.id });
    }
    for (const id of input.entranceIds) {
      const b = plan.buildings.find((x) => x.entrances.some((e) => e.id === id));
      if (!b) throw new DomainError('VISIT_ROUND_EMPTY', { field: 'entranceIds', id });
      chosen.set(id, { buildingId: b.id, entranceId: id });
    }
    if (!chosen.size) throw new DomainError('VISIT_ROUND_EMPTY');
    const id = crypto.randomUUID();
    await this.repo.insertRound({ id, complexId, name: input.name, plannedOn: input.plannedOn, createdBy: actor.id }, [
      ...chosen.values(),
    ]);
    await this.audit.append({
      action: 'visit.round_created',
      actorId: actor.id,
      subjectType: 'visit_round',
      subjectId: id,
      complexId,
    });
    return this.round(id);
  }

  async list(complexId: string): Promise<VisitRoundSummary[]> {
    const rounds = await this.repo.rounds(complexId);
    const out: VisitRoundSummary[] = [];
    for (const r of rounds) {
      const apartments = await this.apartmentsOf(r.id);
      out.push({ ...r, total: coverageOf(apartments.map((a) => a.outcome)) });
    }
    return out;
  }

  async round(roundId: string): Promise<VisitRound> {
    const r = await this.repo.round(roundId);
    if (!r) throw new DomainError('VISIT_ROUND_NOT_FOUND');
    const apartments = await this.apartmentsOf(roundId);
    return { ...r, total: coverageOf(apartments.map((a) => a.outcome)), apartments };
  }

  async coverage(roundId: string): Promise<RoundCoverage> {
    const apartments = await this.apartmentsOf(roundId);
    const buildings: BuildingCoverage[] = [];
    for (const a of apartments) {
      let b = buildings.find((x) => x.buildingId === a.buildingId);
      if (!b) {
        b = { buildingId: a.buildingId, name: a.buildingName, entrances: [], ...coverageOf([]) };
        buildings.push(b);
      }
      if (!b.entrances.some((e) => e.entranceId === a.entranceId))
        b.entrances.push({ entranceId: a.entranceId, number: a.entranceNumber, ...coverageOf([]) });
    }
    for (const b of buildings) {
      Object.assign(b, coverageOf(apartments.filter((a) => a.buildingId === b.buildingId).map((a) => a.outcome)));
      for (const e of b.entrances)
        Object.assign(e, coverageOf(apartments.filter((a) => a.entranceId === e.entranceId).map((a) => a.outcome)));
    }
    return { roundId, total: coverageOf(apartments.map((a) => a.outcome)), buildings };
  }

  /** Records one apartment's outcome; sending the same again (the phone's outbox retrying) replaces it. */
  async record(actor: Actor, roundId: string, apartmentId: string, input: VisitOutcomeInput): Promise<RoundApartment> {
    const complexId = await this.complexOf(roundId);
    const apartments = await this.apartmentsOf(roundId);
    if (!apartments.some((a) => a.apartmentId === apartmentId)) throw new DomainError('VISIT_APARTMENT_NOT_IN_ROUND');
    const known = await this.people.briefs(complexId, input.personIds);
    const stray = input.personIds.find((p) => !known.has(p));
    if (stray)
      throw new DomainError('VALIDATION_FAILED', [{ field: 'personIds', message: 'not a resident of this complex' }]);
    const problems: { text: string; appealId: string | null }[] = [];
    for (const text of input.problems) {
      const appealId =
        input.makeAppeals && this.appealMaker
          ? await this.appealMaker({ complexId, apartmentId, text, actorId: actor.id })
          : null;
      problems.push({ text, appealId });
    }
    await this.repo.upsertOutcome(
      {
        id: crypto.randomUUID(),
        complexId,
        roundId,
        apartmentId,
        outcome: input.outcome,
        peopleMetCount: Math.max(input.peopleMetCount, input.personIds.length),
        problems: JSON.stringify(problems),
        note: input.note,
        recordedBy: actor.id,
        recordedAt: input.recordedAt ? new Date(input.recordedAt) : this.clock.now(),
      },
      [...new Set(input.personIds)],
    );
    await this.audit.append({
      action: 'visit.outcome_recorded',
      actorId: actor.id,
      subjectType: 'apartment',
      subjectId: apartmentId,
      complexId,
      details: { roundId, outcome: input.outcome },
    });
    return (await this.apartmentsOf(roundId)).find((a) => a.apartmentId === apartmentId)!;
  }

  /** The round's apartments (from the site, in entrance/floor/number order) with their outcomes. */
  private async apartmentsOf(roundId: string): Promise<RoundApartment[]> {
    const entrances = await this.repo.roundEntrances(roundId);
    const outcomes = new Map((await this.repo.outcomes(roundId)).map((o) => [o.apartmentId, o]));
    const out: RoundApartment[] = [];
    const buildingIds = [...new Set(entrances.map((e) => e.buildingId))];
    for (const buildingId of buildingIds) {
      const building = await this.site.building(buildingId);
      const wanted = new Set(entrances.filter((e) => e.buildingId === buildingId).map((e) => e.entranceId));
      const { items } = await this.site.apartments(buildingId, { limit: 100_000, offset: 0 });
      for (const a of items) {
        if (!wanted.has(a.entranceId)) continue;
        const o = outcomes.get(a.id);
        out.push({
          apartmentId: a.id,
          buildingId,
          buildingName: building.name,
          entranceId: a.entranceId,
          entranceNumber: a.entranceNumber,
          floor: a.floor,
          number: a.number,
          outcome: (o?.outcome as VisitOutcome | undefined) ?? null,
          peopleMetCount: o?.peopleMetCount ?? 0,
          personIds: o?.personIds ?? [],
          problems: o?.problems ?? [],
          note: o?.note ?? '',
          recordedAt: o ? new Date(o.recordedAt).toISOString() : null,
        });
      }
    }
    return out;
  }
}
