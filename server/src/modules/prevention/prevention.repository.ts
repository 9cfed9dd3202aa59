import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

const day = (col: string) => sql<string>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

export interface RecordRow {
  id: string;
  complexId: string;
  personId: string;
  categoryCode: string;
  basis: string;
  startsOn: string;
  endsOn: string | null;
  inspectorId: string;
  inspectorName: string;
  periodicity: string;
  nextDueOn: string;
  lastCheckInOn: string | null;
}

/**
 * SQL of the preventive registry and the door-to-door rounds. It owns the prevention_*
 * and visit_* tables; persons, apartments and entrances are reached through their
 * services, and users only joined for the inspector's display name.
 */
export class PreventionRepository {
  constructor(readonly db: Database) {}

  async categories() {
    return this.db.selectFrom('preventionCategories').selectAll().where('active', '=', true).orderBy('sort').execute();
  }

  async categoryExists(code: string): Promise<boolean> {
    return !!(await this.db
      .selectFrom('preventionCategories')
      .select('code')
      .where('code', '=', code)
      .where('active', '=', true)
      .executeTakeFirst());
  }

  async complexOfRecord(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('preventionRecords').select('complexId').where('id', '=', id).executeTakeFirst())
      ?.complexId;
  }

  async insertRecord(r: {
    id: string;
    complexId: string;
    personId: string;
    categoryCode: string;
    basis: string;
    startsOn: string;
    endsOn: string | null;
    inspectorId: string;
    periodicity: string;
    nextDueOn: string;
    createdBy: string;
  }): Promise<void> {
    await this.db.insertInto('preventionRecords').values(r).execute();
  }

  private recordsQuery() {
    return this.db
      .selectFrom('preventionRecords as r')
      .innerJoin('users as u', 'u.id', 'r.inspectorId')
      .select([
        'r.id',
        'r.complexId',
        'r.personId',
        'r.categoryCode',
        'r.basis',
        'r.inspectorId',
        'u.displayName as inspectorName',
        'r.periodicity',
      ])
      .select([
        day('r.startsOn').as('startsOn'),
        sql<string | null>`to_char(r.ends_on, 'YYYY-MM-DD')`.as('endsOn'),
        day('r.nextDueOn').as('nextDueOn'),
      ])
      .select(
        sql<
          string | null
        >`(select to_char(max(c.checked_on), 'YYYY-MM-DD') from prevention_check_ins c where c.record_id = r.id)`.as(
          'lastCheckInOn',
        ),
      )
      .where('r.closedAt', 'is', null);
  }

  async record(id: string): Promise<RecordRow | undefined> {
    return this.recordsQuery().where('r.id', '=', id).executeTakeFirst();
  }

  async records(complexId: string): Promise<RecordRow[]> {
    return this.recordsQuery().where('r.complexId', '=', complexId).orderBy('r.nextDueOn').orderBy('r.id').execute();
  }

  /** Active users of the roles given, of the complex or of no single complex (district level). */
  async responsible(complexId: string, roles: string[]) {
    return this.db
      .selectFrom('users')
      .select(['id', 'displayName', 'role'])
      .where('role', 'in', roles as never[])
      .where('disabled', '=', false)
      .where((eb) => eb.or([eb('complexId', '=', complexId), eb('complexId', 'is', null)]))
      .orderBy('displayName')
      .execute();
  }

  /** Open records of an inspector due on or before `today`, active that day. */
  async due(complexId: string, inspectorId: string, today: string): Promise<RecordRow[]> {
    return this.recordsQuery()
      .where('r.complexId', '=', complexId)
      .where('r.inspectorId', '=', inspectorId)
      .where('r.nextDueOn', '<=', today)
      .where((eb) => eb.or([eb('r.endsOn', 'is', null), eb('r.endsOn', '>=', today)]))
      .orderBy('r.nextDueOn')
      .orderBy('r.id')
      .execute();
  }

  /** Records of a person still in force on `today` (they keep the person from erasure). */
  async inForce(personId: string, today: string) {
    return this.db
      .selectFrom('preventionRecords')
      .select(['id', 'categoryCode'])
      .where('personId', '=', personId)
      .where('closedAt', 'is', null)
      .where((eb) => eb.or([eb('endsOn', 'is', null), eb('endsOn', '>=', today)]))
      .execute();
  }

  async checkIns(recordId: string) {
    return this.db
      .selectFrom('preventionCheckIns as c')
      .leftJoin('users as u', 'u.id', 'c.recordedBy')
      .select(['c.id', 'c.outcome', 'c.note', 'u.displayName as recordedBy', 'c.recordedAt'])
      .select(day('c.checkedOn').as('checkedOn'))
      .where('c.recordId', '=', recordId)
      .orderBy('c.checkedOn', 'desc')
      .orderBy('c.recordedAt', 'desc')
      .execute();
  }

  /** Adds a check-in and moves the record's next due date, in one transaction. */
  async addCheckIn(
    c: {
      id: string;
      complexId: string;
      recordId: string;
      checkedOn: string;
      outcome: string;
      note: string;
      recordedBy: string;
      recordedAt: Date;
    },
    nextDueOf: (lastCheckedOn: string) => string,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('preventionCheckIns').values(c).execute();
      const last = await tx
        .selectFrom('preventionCheckIns')
        .select(sql<string>`to_char(max(checked_on), 'YYYY-MM-DD')`.as('d'))
        .where('recordId', '=', c.recordId)
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('preventionRecords')
        .set({ nextDueOn: nextDueOf(last.d) })
        .where('id', '=', c.recordId)
        .execute();
    });
  }

  // ---- door-to-door rounds ----

  async complexOfRound(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('visitRounds').select('complexId').where('id', '=', id).executeTakeFirst())
      ?.complexId;
  }

  async insertRound(
    r: { id: string; complexId: string; name: string; plannedOn: string; createdBy: string },
    entrances: { buildingId: string; entranceId: string }[],
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('visitRounds').values(r).execute();
      await tx
        .insertInto('visitRoundEntrances')
        .values(
          entrances.map((e) => ({
            roundId: r.id,
            complexId: r.complexId,
            buildingId: e.buildingId,
            entranceId: e.entranceId,
          })),
        )
        .execute();
    });
  }

  private roundsQuery() {
    return this.db
      .selectFrom('visitRounds as r')
      .leftJoin('users as u', 'u.id', 'r.createdBy')
      .select(['r.id', 'r.complexId', 'r.name', 'u.displayName as createdBy'])
      .select(day('r.plannedOn').as('plannedOn'));
  }

  async round(id: string) {
    return this.roundsQuery().where('r.id', '=', id).executeTakeFirst();
  }

  async rounds(complexId: string) {
    return this.roundsQuery()
      .where('r.complexId', '=', complexId)
      .orderBy('r.plannedOn', 'desc')
      .orderBy('r.createdAt', 'desc')
      .execute();
  }

  async roundEntrances(roundId: string) {
    return this.db
      .selectFrom('visitRoundEntrances')
      .select(['buildingId', 'entranceId'])
      .where('roundId', '=', roundId)
      .execute();
  }

  async outcomes(roundId: string) {
    const rows = await this.db
      .selectFrom('visitOutcomes')
      .select(['id', 'apartmentId', 'outcome', 'peopleMetCount', 'problems', 'note', 'recordedAt'])
      .where('roundId', '=', roundId)
      .execute();
    const people = rows.length
      ? await this.db
          .selectFrom('visitOutcomePeople')
          .select(['outcomeId', 'personId'])
          .where(
            'outcomeId',
            'in',
            rows.map((r) => r.id),
          )
          .execute()
      : [];
    return rows.map((r) => ({ ...r, personIds: people.filter((p) => p.outcomeId === r.id).map((p) => p.personId) }));
  }

  /** Records (or replaces) one apartment's outcome: the phone's outbox may send it twice. */
  async upsertOutcome(
    o: {
      id: string;
      complexId: string;
      roundId: string;
      apartmentId: string;
      outcome: string;
      peopleMetCount: number;
      problems: string;
      note: string;
      recordedBy: string;
      recordedAt: Date;
    },
    personIds: string[],
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const saved = await tx
        .insertInto('visitOutcomes')
        .values(o)
        .onConflict((oc) =>
          oc.columns(['roundId', 'apartmentId']).doUpdateSet({
            outcome: o.outcome,
            peopleMetCount: o.peopleMetCount,
            problems: o.problems,
            note: o.note,
            recordedBy: o.recordedBy,
            recordedAt: o.recordedAt,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx.deleteFrom('visitOutcomePeople').where('outcomeId', '=', saved.id).execute();
      if (personIds.length) {
        await tx
          .insertInto('visitOutcomePeople')
          .values(personIds.map((personId) => ({ outcomeId: saved.id, complexId: o.complexId, personId })))
          .execute();
      }
    });
  }
}
