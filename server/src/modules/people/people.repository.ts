import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

export type Tx = Transaction<DB> | Database;
/** Fields whose words go to search_terms (names); phones, plates and IINs are matched on their keys. */
const TERM_FIELDS = ['name', 'premise'];
export interface KeyRow { entityType: 'person' | 'vehicle' | 'premise'; entityId: string; field: 'name' | 'phone' | 'plate' | 'iin' | 'premise'; key: string; sortKey: string }
export interface Candidate { entityType: string; entityId: string; field: string; key: string; grade: number }

const day = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

/**
 * SQL of the people module. It reads the site's apartments and buildings for labels
 * (read-only joins: a card needs "Блок 3, кв. 45") and owns every other table it touches.
 */
export class PeopleRepository {
  constructor(readonly db: Database) {}

  transaction<T>(fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async complexOfPerson(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('persons').select('complexId').where('id', '=', id).executeTakeFirst())?.complexId;
  }

  async complexOfApartment(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('apartments').select('complexId').where('id', '=', id).executeTakeFirst())?.complexId;
  }

  async apartmentsOfComplex(complexId: string, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db.selectFrom('apartments').select('id').where('complexId', '=', complexId).where('id', 'in', ids).execute();
    return rows.map((r) => r.id);
  }

  async insertPerson(tx: Tx, p: Insertable<DB['persons']>) {
    await tx.insertInto('persons').values(p).execute();
  }

  async updatePerson(tx: Tx, id: string, p: Partial<Insertable<DB['persons']>>) {
    await tx.updateTable('persons').set(p).where('id', '=', id).execute();
  }

  async replacePhones(tx: Tx, complexId: string, personId: string, phones: { id: string; phone: string; label: string }[]) {
    await tx.deleteFrom('personPhones').where('personId', '=', personId).execute();
    if (phones.length) await tx.insertInto('personPhones').values(phones.map((p) => ({ ...p, complexId, personId }))).execute();
  }

  async replaceResidencies(tx: Tx, complexId: string, personId: string, rows: { id: string; apartmentId: string; relation: string; movedIn: string | null; movedOut: string | null }[]) {
    await tx.deleteFrom('residencies').where('personId', '=', personId).execute();
    if (rows.length) await tx.insertInto('residencies').values(rows.map((r) => ({ ...r, complexId, personId }))).execute();
  }

  async replaceKeys(tx: Tx, complexId: string, entityId: string, keys: KeyRow[]) {
    await this.replaceKeysMany(tx, complexId, [{ entityId, keys }]);
  }

  /**
   * Rebuilds the keys of many entities set-wise (an import changing 10,000 people): per
   * slice of 1,000 entities one read of the old words, one delete, inserts of 1,000 rows,
   * one upsert of the terms and one delete of the terms nobody uses any more.
   */
  async replaceKeysMany(tx: Tx, complexId: string, items: { entityId: string; keys: KeyRow[] }[]) {
    for (let i = 0; i < items.length; i += 1000) {
      const slice = items.slice(i, i + 1000);
      const ids = slice.map((x) => x.entityId);
      const old = await tx.selectFrom('searchKeys').select(['field', 'key']).distinct().where('entityId', 'in', ids).where('field', 'in', TERM_FIELDS).execute();
      await tx.deleteFrom('searchKeys').where('entityId', 'in', ids).execute();
      const keys = slice.flatMap((x) => x.keys);
      for (let j = 0; j < keys.length; j += 1000) await tx.insertInto('searchKeys').values(keys.slice(j, j + 1000).map((k) => ({ ...k, complexId }))).execute();
      await this.addTerms(tx, complexId, keys);
      await this.dropUnusedTerms(tx, complexId, old);
    }
  }

  async insertKeys(tx: Tx, complexId: string, keys: KeyRow[]) {
    if (!keys.length) return;
    await tx.insertInto('searchKeys').values(keys.map((k) => ({ ...k, complexId }))).execute();
    await this.addTerms(tx, complexId, keys);
  }

  private async addTerms(tx: Tx, complexId: string, keys: { field: string; key: string }[]) {
    const terms = new Map(keys.filter((k) => TERM_FIELDS.includes(k.field)).map((k) => [`${k.field}\u0000${k.key}`, { complexId, field: k.field, key: k.key }]));
    const rows = [...terms.values()];
    for (let i = 0; i < rows.length; i += 1000) {
      await tx.insertInto('searchTerms').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.doNothing()).execute();
    }
  }

  /** Words no key uses any more leave the term list (an erased person's rare surname, say). */
  private async dropUnusedTerms(tx: Tx, complexId: string, keys: { field: string; key: string }[]) {
    const words = [...new Set(keys.filter((k) => TERM_FIELDS.includes(k.field)).map((k) => k.key))];
    if (!words.length) return;
    await tx
      .deleteFrom('searchTerms as t')
      .where('t.complexId', '=', complexId)
      .where('t.key', 'in', words)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('searchKeys as k').select('k.key').whereRef('k.complexId', '=', 't.complexId').whereRef('k.field', '=', 't.field').whereRef('k.key', '=', 't.key'))))
      .execute();
  }

  /** Terms (distinct name words) like a query word: by prefix or trigram similarity. */
  async similarTerms(complexId: string, token: string): Promise<string[]> {
    const pattern = `${token.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const fuzzy = token.length >= 3 ? sql`or key % ${token}` : sql``;
    const r = await sql<{ key: string }>`select distinct key from search_terms where complex_id = ${complexId} and (key like ${pattern} ${fuzzy}) limit 500`.execute(this.db);
    return r.rows.map((x) => x.key);
  }

  async person(id: string) {
    return this.db
      .selectFrom('persons')
      .select(['id', 'complexId', 'lastName', 'firstName', 'patronymic', 'iin', 'iinImplausible', 'sex', 'notes', 'consent', 'source', 'archivedAt', 'sortKey'])
      .select(day('birthDate').as('birthDate'))
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async phones(personIds: string[]) {
    if (!personIds.length) return [];
    return this.db.selectFrom('personPhones').select(['personId', 'phone', 'label']).where('personId', 'in', personIds).orderBy('phone').execute();
  }

  async residencies(personIds: string[]) {
    if (!personIds.length) return [];
    return this.db
      .selectFrom('residencies as r')
      .innerJoin('apartments as a', 'a.id', 'r.apartmentId')
      .innerJoin('buildings as b', 'b.id', 'a.buildingId')
      .select(['r.id', 'r.personId', 'r.apartmentId', 'r.relation', 'b.name as buildingName', 'a.number as apartmentNumber', 'b.sortOrder'])
      .select([day('r.movedIn').as('movedIn'), day('r.movedOut').as('movedOut')])
      .where('r.personId', 'in', personIds)
      .orderBy('b.sortOrder')
      .orderBy(sql`length(a.number)`)
      .orderBy('a.number')
      .execute();
  }

  async vehiclesOf(column: 'ownerPersonId' | 'id', ids: string[]) {
    if (!ids.length) return [];
    return this.db
      .selectFrom('vehicles')
      .select(['id', 'plate', 'plateDisplay', 'make', 'model', 'colour', 'ownerPersonId', 'parkingPlace'])
      .where(column, 'in', ids)
      .orderBy('plate')
      .execute();
  }

  async insertVehicle(tx: Tx, v: Insertable<DB['vehicles']>) {
    await tx.insertInto('vehicles').values(v).execute();
  }

  async plateTaken(complexId: string, plate: string): Promise<boolean> {
    return !!(await this.db.selectFrom('vehicles').select('id').where('complexId', '=', complexId).where('plate', '=', plate).executeTakeFirst());
  }

  async iinTaken(complexId: string, iin: string, exceptId: string | null): Promise<boolean> {
    let q = this.db.selectFrom('persons').select('id').where('complexId', '=', complexId).where('iin', '=', iin);
    if (exceptId) q = q.where('id', '<>', exceptId);
    return !!(await q.executeTakeFirst());
  }

  /** Persons in Kazakh alphabetical order: the same byte-order key both engines compare alike. */
  async page(complexId: string, archived: boolean, limit: number, offset: number) {
    const base = this.db.selectFrom('persons').where('complexId', '=', complexId).where('archivedAt', archived ? 'is not' : 'is', null);
    const [items, total] = await Promise.all([
      base
        .select(['id', 'lastName', 'firstName', 'patronymic', 'iin', 'archivedAt'])
        .select(day('birthDate').as('birthDate'))
        .orderBy(sql`sort_key collate "C"`)
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  async personsByIds(ids: string[]) {
    if (!ids.length) return [];
    return this.db
      .selectFrom('persons')
      .select(['id', 'complexId', 'lastName', 'firstName', 'patronymic', 'iin', 'archivedAt', 'sortKey'])
      .select(day('birthDate').as('birthDate'))
      .where('id', 'in', ids)
      .execute();
  }

  async setArchived(id: string, at: Date, reason: string) {
    await this.db.updateTable('persons').set({ archivedAt: at, archivedReason: reason, updatedAt: at }).where('id', '=', id).execute();
  }

  /** Deletes every row of the person and of their vehicles, keys included; leaves a tombstone without personal data. */
  async erase(tx: Tx, id: string, complexId: string, at: Date, by: string | null) {
    const vehicles = await tx.selectFrom('vehicles').select('id').where('ownerPersonId', '=', id).execute();
    const ids = [id, ...vehicles.map((v) => v.id)];
    const words = await tx.selectFrom('searchKeys').select(['field', 'key']).where('entityId', 'in', ids).execute();
    await tx.deleteFrom('searchKeys').where('entityId', 'in', ids).execute();
    await this.dropUnusedTerms(tx, complexId, words);
    await tx.deleteFrom('vehicles').where('ownerPersonId', '=', id).execute();
    await tx.deleteFrom('personPhones').where('personId', '=', id).execute();
    await tx.deleteFrom('residencies').where('personId', '=', id).execute();
    await tx.deleteFrom('persons').where('id', '=', id).execute();
    await tx.insertInto('personErasures').values({ personId: id, complexId, erasedAt: at, erasedBy: by }).execute();
  }

  /** Archived before `before`: due for erasure. */
  async archivedBefore(before: Date) {
    return this.db.selectFrom('persons').select(['id', 'complexId']).where('archivedAt', '<', before).execute();
  }

  /**
   * Search candidates for one skeleton token: exact, prefix and trigram-similar keys
   * of the given fields. Each branch is bounded so a one-letter prefix cannot flood it.
   */
  async candidates(complexId: string, fields: string[], token: string, opts: { fuzzy: boolean; prefixLimit?: number }): Promise<Candidate[]> {
    const pattern = `${token.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const cols = sql`entity_type, entity_id, field, key`;
    const where = sql`complex_id = ${complexId} and field in (${sql.join(fields)})`;
    const fuzzy = opts.fuzzy
      ? sql`union all (select ${cols}, 2 as grade from search_keys where ${where} and key % ${token} and key not like ${pattern} order by similarity(key, ${token}) desc limit 150)`
      : sql``;
    const q = sql<Candidate>`
      (select ${cols}, 0 as grade from search_keys where ${where} and key = ${token} limit 400)
      union all (select ${cols}, 1 as grade from search_keys where ${where} and key like ${pattern} and key <> ${token} order by key limit ${opts.prefixLimit ?? 150})
      ${fuzzy}`;
    return (await q.execute(this.db)).rows;
  }

  /**
   * Entities whose name words match the scored terms: each query word contributes its
   * best term's score; ranked by the sum, then list order. The caller rescores the few kept.
   */
  async nameCandidates(complexId: string, terms: { i: number; key: string; score: number }[], limit: number) {
    const q = sql<{ entityId: string; entityType: string }>`
      with t(i, key, score) as (select * from unnest(${sql.val(terms.map((x) => x.i))}::int[], ${sql.val(terms.map((x) => x.key))}::text[], ${sql.val(terms.map((x) => x.score))}::float8[])),
      m as (
        select k.entity_id, k.entity_type, t.i, max(t.score) as s, min(k.sort_key) as sk
        from t join search_keys k on k.complex_id = ${complexId} and k.field in ('name', 'premise') and k.key = t.key
        group by 1, 2, 3
      )
      select entity_id, entity_type from m group by 1, 2
      order by sum(s) desc, min(sk) collate "C", entity_id limit ${limit}`;
    return (await q.execute(this.db)).rows;
  }

  /** The first `limit` entities (list order) with a name word equal to `key`: an index range, no sort. */
  async entitiesOfWord(complexId: string, key: string, limit: number) {
    const r = await sql<{ entityId: string; entityType: string }>`
      select entity_id, entity_type from search_keys
      where complex_id = ${complexId} and key = ${key} and field in ('name', 'premise')
      order by sort_key collate "C" limit ${limit}`.execute(this.db);
    return r.rows;
  }

  async keysOf(entityIds: string[], fields: string[]) {
    if (!entityIds.length) return [];
    return this.db.selectFrom('searchKeys').select(['entityId', 'field', 'key']).where('entityId', 'in', entityIds).where('field', 'in', fields).execute();
  }

  async apartmentsByNumber(complexId: string, number: string) {
    return this.db
      .selectFrom('apartments as a')
      .innerJoin('buildings as b', 'b.id', 'a.buildingId')
      .innerJoin('entrances as e', 'e.id', 'a.entranceId')
      .select(['a.id', 'a.complexId', 'a.buildingId', 'a.floor', 'a.number', 'b.name as buildingName', 'b.sortOrder', 'e.number as entranceNumber'])
      .where('a.complexId', '=', complexId)
      .where('a.number', '=', number)
      .orderBy('b.sortOrder')
      .execute();
  }

  async apartment(id: string) {
    return this.db
      .selectFrom('apartments as a')
      .innerJoin('buildings as b', 'b.id', 'a.buildingId')
      .innerJoin('entrances as e', 'e.id', 'a.entranceId')
      .select(['a.id', 'a.complexId', 'a.buildingId', 'a.floor', 'a.number', 'b.name as buildingName', 'e.number as entranceNumber'])
      .where('a.id', '=', id)
      .executeTakeFirst();
  }

  async residentsOfApartments(apartmentIds: string[]) {
    if (!apartmentIds.length) return [];
    return this.db
      .selectFrom('residencies as r')
      .innerJoin('persons as p', 'p.id', 'r.personId')
      .select(['r.apartmentId', 'r.relation', 'p.id', 'p.lastName', 'p.firstName', 'p.patronymic', 'p.iin', 'p.archivedAt', 'p.sortKey'])
      .select([day('r.movedIn').as('movedIn'), day('r.movedOut').as('movedOut'), day('p.birthDate').as('birthDate')])
      .where('r.apartmentId', 'in', apartmentIds)
      .orderBy(sql`p.sort_key collate "C"`)
      .execute();
  }

  async premises(complexId: string) {
    return this.db.selectFrom('premises').select(['id', 'buildingId', 'name', 'kind', 'contactName', 'phone', 'hours', 'alarmDetails', 'notes']).where('complexId', '=', complexId).orderBy('name').orderBy('id').execute();
  }

  async premisesByIds(ids: string[]) {
    if (!ids.length) return [];
    return this.db.selectFrom('premises as p').leftJoin('buildings as b', 'b.id', 'p.buildingId').select(['p.id', 'p.name', 'p.kind', 'p.hours', 'b.name as buildingName']).where('p.id', 'in', ids).execute();
  }

  async insertPremise(tx: Tx, p: Insertable<DB['premises']>) {
    await tx.insertInto('premises').values(p).execute();
  }

  async management(complexId: string) {
    const [companies, caretakers] = await Promise.all([
      this.db.selectFrom('managementCompanies').select(['id', 'kind', 'name', 'phone', 'email', 'address']).where('complexId', '=', complexId).orderBy('name').execute(),
      this.db.selectFrom('caretakers').select(['id', 'managementCompanyId', 'buildingId', 'name', 'position', 'phone']).where('complexId', '=', complexId).orderBy('name').execute(),
    ]);
    return { companies, caretakers };
  }

  async buildingsOf(complexId: string) {
    return this.db.selectFrom('buildings').select(['id', 'name']).where('complexId', '=', complexId).orderBy('sortOrder').execute();
  }

  /** Many rows at once (demo, bench): one transaction, batches small enough for any driver's parameter limit. */
  async bulkInsert(data: {
    persons: Insertable<DB['persons']>[];
    phones: Insertable<DB['personPhones']>[];
    residencies: Insertable<DB['residencies']>[];
    vehicles: Insertable<DB['vehicles']>[];
    premises: Insertable<DB['premises']>[];
    companies: Insertable<DB['managementCompanies']>[];
    caretakers: Insertable<DB['caretakers']>[];
    keys: Insertable<DB['searchKeys']>[];
  }): Promise<void> {
    const batch = 1000;
    await this.transaction(async (tx) => {
      const put = async <T extends keyof DB>(table: T, rows: Insertable<DB[T]>[]) => {
        for (let i = 0; i < rows.length; i += batch) await tx.insertInto(table).values(rows.slice(i, i + batch) as never).execute();
      };
      await put('persons', data.persons);
      await put('personPhones', data.phones);
      await put('residencies', data.residencies);
      await put('vehicles', data.vehicles);
      await put('premises', data.premises);
      await put('managementCompanies', data.companies);
      await put('caretakers', data.caretakers);
      await put('searchKeys', data.keys);
      const terms = new Map(data.keys.filter((k) => TERM_FIELDS.includes(k.field)).map((k) => [`${k.complexId}|${k.field}|${k.key}`, k]));
      await this.addTerms(tx, [...terms.values()][0]?.complexId ?? '', [...terms.values()]);
    });
  }

  async apartmentRefs(complexId: string) {
    return this.db
      .selectFrom('apartments as a')
      .innerJoin('buildings as b', 'b.id', 'a.buildingId')
      .select(['a.id', 'a.buildingId', 'b.name as buildingName', 'a.number'])
      .where('a.complexId', '=', complexId)
      .orderBy('b.sortOrder')
      .orderBy(sql`length(a.number)`)
      .orderBy('a.number')
      .execute();
  }

  async personCount(complexId: string): Promise<number> {
    const r = await this.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).where('complexId', '=', complexId).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
