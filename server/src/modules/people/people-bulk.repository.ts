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

  async updatePerson(tx: Transaction<DB>, id: string, p: Partial<Insertable<DB['persons']>>) {
    await tx.updateTable('persons').set(p).where('id', '=', id).execute();
  }

  async updateResidency(tx: Transaction<DB>, personId: string, apartmentId: string, r: { relation: string; movedIn: string | null }) {
    await tx.updateTable('residencies').set(r).where('personId', '=', personId).where('apartmentId', '=', apartmentId).where('movedOut', 'is', null).execute();
  }
}
