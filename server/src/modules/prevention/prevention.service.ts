import crypto from 'node:crypto';
import type {
  CheckInOutcome,
  Periodicity,
  PreventionCategory,
  PreventionList,
  PreventionRecord,
  PreventionRecordInput,
  PreventionSummary,
} from '@kuzet/contracts';
import { almatyDate } from '../../lib/almaty-time.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import type { PeopleService } from '../people/people.service.ts';
import type { UsersService } from '../users/users.service.ts';
import type { PreventionRepository, RecordRow } from './prevention.repository.ts';
import { nextDue } from './schedule.ts';

const RESPONSIBLE_ROLES = ['inspector', 'district_chief', 'admin'];

/**
 * The preventive registry (профилактический учёт): who is on it, in which category, on
 * what basis, who answers for them and when they are next due a check-in. Every read of a
 * record states a reason and is audited; lists are audited as a list read.
 */
export class PreventionService {
  constructor(
    private readonly repo: PreventionRepository,
    private readonly people: PeopleService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Today in Almaty: the day the day list is about. */
  today(): string {
    return almatyDate(this.clock.now());
  }

  async complexOf(recordId: string): Promise<string> {
    const c = await this.repo.complexOfRecord(recordId);
    if (!c) throw new DomainError('PREVENTION_RECORD_NOT_FOUND');
    return c;
  }

  /**
   * The erasure hold the people module asks before erasing someone: a registry record still
   * in force keeps the person; once it has ended, erasure removes it with the person.
   */
  async erasureHolds(personId: string): Promise<string[]> {
    return (await this.repo.inForce(personId, this.today())).map(
      (r) => `prevention_record:${r.id} (${r.categoryCode})`,
    );
  }

  /** The people who may answer for a record of the complex (the same rule `create` checks). */
  async responsible(complexId: string): Promise<{ id: string; displayName: string; role: 'inspector' | 'district_chief' | 'admin' }[]> {
    return (await this.repo.responsible(complexId, RESPONSIBLE_ROLES)).map((u) => ({ ...u, role: u.role as 'inspector' }));
  }

  async categories(): Promise<PreventionCategory[]> {
    return (await this.repo.categories()).map((c) => ({
      code: c.code,
      track: c.track as 'adult',
      names: { ru: c.nameRu, kk: c.nameKk, en: c.nameEn },
    }));
  }

  async create(actor: Actor, complexId: string, input: PreventionRecordInput): Promise<PreventionRecord> {
    if (!(await this.repo.categoryExists(input.categoryCode)))
      throw new DomainError('PREVENTION_CATEGORY_UNKNOWN', { field: 'categoryCode' });
    if (!(await this.people.briefs(complexId, [input.personId])).has(input.personId))
      throw new DomainError('PERSON_NOT_FOUND');
    const inspector = await this.users.findRowById(input.inspectorId);
    const inspectorFits =
      inspector &&
      !inspector.disabled &&
      RESPONSIBLE_ROLES.includes(inspector.role) &&
      (inspector.complexId === complexId || inspector.complexId === null);
    if (!inspectorFits) throw new DomainError('PREVENTION_INSPECTOR_INVALID', { field: 'inspectorId' });
    if (input.endsOn && input.endsOn < input.startsOn)
      throw new DomainError('VALIDATION_FAILED', [{ field: 'endsOn', message: 'ends before it starts' }]);
    const id = crypto.randomUUID();
    await this.repo.insertRecord({
      id,
      complexId,
      personId: input.personId,
      categoryCode: input.categoryCode,
      basis: input.basis,
      startsOn: input.startsOn,
      endsOn: input.endsOn ?? null,
      inspectorId: input.inspectorId,
      periodicity: input.periodicity,
      nextDueOn: input.firstDueOn ?? input.startsOn,
      createdBy: actor.id,
    });
    await this.audit.append({
      action: 'prevention.record_created',
      actorId: actor.id,
      subjectType: 'prevention_record',
      subjectId: id,
      complexId,
    });
    return this.recordOf(id);
  }

  async list(actor: Actor, complexId: string): Promise<PreventionList> {
    const rows = await this.repo.records(complexId);
    await this.audit.append({
      action: 'prevention.listed',
      actorId: actor.id,
      subjectType: 'complex',
      subjectId: complexId,
      complexId,
      details: { view: 'registry', count: rows.length },
    });
    return { items: await this.summaries(complexId, rows), today: this.today() };
  }

  /** The inspector's day list: check-ins due today or overdue (Almaty days). */
  async dayList(actor: Actor, complexId: string, inspectorId: string | undefined): Promise<PreventionList> {
    const today = this.today();
    const who = inspectorId ?? actor.id;
    const rows = await this.repo.due(complexId, who, today);
    await this.audit.append({
      action: 'prevention.listed',
      actorId: actor.id,
      subjectType: 'complex',
      subjectId: complexId,
      complexId,
      details: { view: 'day_list', inspectorId: who, count: rows.length },
    });
    return { items: await this.summaries(complexId, rows), today };
  }

  /** One record with its check-ins; the reason is required and audited. */
  async card(actor: Actor, recordId: string, reason: string): Promise<PreventionRecord> {
    const card = await this.recordOf(recordId);
    await this.audit.append({
      action: 'prevention.record_viewed',
      actorId: actor.id,
      subjectType: 'prevention_record',
      subjectId: recordId,
      complexId: card.complexId,
      details: { reason },
    });
    return card;
  }

  async checkIn(
    actor: Actor,
    recordId: string,
    input: { checkedOn: string; outcome: CheckInOutcome; note: string },
  ): Promise<PreventionRecord> {
    const r = await this.repo.record(recordId);
    if (!r) throw new DomainError('PREVENTION_RECORD_NOT_FOUND');
    if (input.checkedOn > this.today())
      throw new DomainError('VALIDATION_FAILED', [
        { field: 'checkedOn', message: 'a check-in cannot be in the future' },
      ]);
    await this.repo.addCheckIn(
      {
        id: crypto.randomUUID(),
        complexId: r.complexId,
        recordId,
        checkedOn: input.checkedOn,
        outcome: input.outcome,
        note: input.note,
        recordedBy: actor.id,
        recordedAt: this.clock.now(),
      },
      (last) => nextDue(last, r.periodicity as Periodicity),
    );
    await this.audit.append({
      action: 'prevention.check_in_recorded',
      actorId: actor.id,
      subjectType: 'prevention_record',
      subjectId: recordId,
      complexId: r.complexId,
    });
    return this.recordOf(recordId);
  }

  private async recordOf(id: string): Promise<PreventionRecord> {
    const r = await this.repo.record(id);
    if (!r) throw new DomainError('PREVENTION_RECORD_NOT_FOUND');
    const [summary] = await this.summaries(r.complexId, [r]);
    const checkIns = (await this.repo.checkIns(id)).map((c) => ({
      id: c.id,
      checkedOn: c.checkedOn,
      outcome: c.outcome as CheckInOutcome,
      note: c.note,
      recordedBy: c.recordedBy,
      recordedAt: new Date(c.recordedAt).toISOString(),
    }));
    return { ...summary!, checkIns };
  }

  private async summaries(complexId: string, rows: RecordRow[]): Promise<PreventionSummary[]> {
    const today = this.today();
    const people = await this.people.briefs(
      complexId,
      rows.map((r) => r.personId),
    );
    return rows.map((r) => ({
      id: r.id,
      complexId: r.complexId,
      personId: r.personId,
      personName: people.get(r.personId)?.name ?? '',
      apartments: people.get(r.personId)?.apartments ?? [],
      categoryCode: r.categoryCode,
      basis: r.basis,
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      inspectorId: r.inspectorId,
      inspectorName: r.inspectorName,
      periodicity: r.periodicity as Periodicity,
      nextDueOn: r.nextDueOn,
      overdue: r.nextDueOn < today,
      lastCheckInOn: r.lastCheckInOn,
    }));
  }
}
