import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

const day = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;
/** Rows per statement: well under any driver's 65,535-parameter limit. */
const BATCH = 1000;

/** SQL for whole-registry reads and writes (import, export): a complex at a time, in batches. */
export class PeopleBulkRepository {
  constructor(readonly db: Database) {}

  transaction<T>(fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async persons(complexId: string) {
    return this.db
      .selectFrom('persons')
      .select(['id', 'lastName', 'firstName', 'patronymic', 'iin', 'archivedAt', 'sortKey', 'updatedAt'])
      .select(day('birthDate').as('birthDate'))
      .where('complexId', '=', complexId)
      .orderBy(sql`sort_key collate "C"`)
      .orderBy('id')
      .execute();
  }

  async phones(complexId: string) {
    return this.db.selectFrom('personPhones').select(['personId', 'phone']).where('complexId', '=', complexId).orderBy('phone').execute();
  }

  async residencies(complexId: string) {
    return this.db
      .selectFrom('residencies')
      .select(['personId', 'apartmentId', 'relation'])
      .select([day('movedIn').as('movedIn'), day('movedOut').as('movedOut')])
      .where('complexId', '=', complexId)
      .execute();
  }

  async apartments(complexId: string) {
    return this.db
      .selectFrom('apartments as a')
      .innerJoin('buildings as b', 'b.id', 'a.buildingId')
      .innerJoin('entrances as e', 'e.id', 'a.entranceId')
      .select(['a.id', 'a.number', 'b.name as buildingName', 'b.sortOrder', 'e.number as entranceNumber'])
      .where('a.complexId', '=', complexId)
      .execute();
  }

  /** The newest change to the complex's people: a preview made before it is stale. */
  async lastChange(complexId: string, db: Database | Transaction<DB> = this.db): Promise<string> {
    const r = await db
      .selectFrom('persons')
      .select((eb) => [eb.fn.max('updatedAt').as('at'), eb.fn.countAll<number>().as('n')])
      .where('complexId', '=', complexId)
      .executeTakeFirstOrThrow();
    return `${r.n}:${r.at ? new Date(r.at as Date).toISOString() : ''}`;
  }

  /** Serialises writers of one complex's registry (two confirmations at once) until the transaction ends. */
  async lockComplex(tx: Transaction<DB>, complexId: string): Promise<void> {
    await sql`select id from complexes where id = ${complexId} for update`.execute(tx);
  }

  async insert<T extends 'persons' | 'personPhones' | 'residencies'>(tx: Transaction<DB>, table: T, rows: Insertable<DB[T]>[]) {
    for (let i = 0; i < rows.length; i += BATCH) await tx.insertInto(table).values(rows.slice(i, i + BATCH) as never).execute();
  }

  /** Many persons' changed fields in one statement per 1,000 (`update … from (values …)`). */
  async updatePersons(tx: Transaction<DB>, rows: PersonUpdate[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const values = rows.slice(i, i + BATCH).map(
        (r) =>
          sql`(${r.id}::uuid, ${r.lastName}::text, ${r.firstName}::text, ${r.patronymic}::text, ${r.iin}::text, ${r.birthDate}::date, ${r.fromIin}::boolean, ${r.iinImplausible}::boolean, ${r.sex}::text, ${r.sortKey}::text, ${r.updatedAt}::timestamptz)`,
      );
      // Sex and the implausible flag come from the IIN; without one they stay as recorded.
      await sql`update persons as p set last_name = v.last_name, first_name = v.first_name, patronymic = v.patronymic, iin = v.iin, birth_date = v.birth_date,
          iin_implausible = case when v.from_iin then v.iin_implausible else p.iin_implausible end,
          sex = case when v.from_iin then v.sex else p.sex end, sort_key = v.sort_key, updated_at = v.updated_at
        from (values ${sql.join(values)}) as v(id, last_name, first_name, patronymic, iin, birth_date, from_iin, iin_implausible, sex, sort_key, updated_at)
        where p.id = v.id`.execute(tx);
    }
  }

  /** Many current residencies' relation and moved-in date, one statement per 1,000. */
  async updateResidencies(tx: Transaction<DB>, rows: { personId: string; apartmentId: string; relation: string; movedIn: string | null }[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const values = rows.slice(i, i + BATCH).map((r) => sql`(${r.personId}::uuid, ${r.apartmentId}::uuid, ${r.relation}::text, ${r.movedIn}::date)`);
      await sql`update residencies as r set relation = v.relation, moved_in = v.moved_in
        from (values ${sql.join(values)}) as v(person_id, apartment_id, relation, moved_in)
        where r.person_id = v.person_id and r.apartment_id = v.apartment_id and r.moved_out is null`.execute(tx);
    }
  }
}

export interface PersonUpdate {
  id: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  iin: string | null;
  birthDate: string | null;
  /** The IIN gives sex and the implausible flag; without one they stay as recorded. */
  fromIin: boolean;
  iinImplausible: boolean;
  sex: string | null;
  sortKey: string;
  updatedAt: Date;
}
