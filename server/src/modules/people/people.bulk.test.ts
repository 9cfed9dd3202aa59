import type { KyselyPlugin } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { DemoService } from '../demo/demo.service.ts';
import { PeopleBulkRepository } from './people-bulk.repository.ts';
import { PeopleBulk, type BulkUpdate } from './people.bulk.ts';
import { skeleton } from './search-keys.ts';

// A list that changes every row is written set-wise: a few statements per 1,000 people
// (it was six per person, 10–60 s for 10,000 rows on PGlite), with the same result —
// fields, residencies, phones, search keys and the term list behind typo matching.
describe('PeopleBulk.apply with a change to every person', () => {
  let t: TestApp;
  let statements = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };

  beforeAll(async () => {
    t = await createTestApp();
    await new DemoService(t.env.handle.db, t.services).seedPeople(300);
  }, 120_000);
  afterAll(async () => t?.close());

  it('updates 300 people in a few dozen statements, keys and terms rebuilt', async () => {
    const db = t.env.handle.db.withPlugin(counter);
    const bulk = new PeopleBulk(new PeopleBulkRepository(db), t.services.people.repo, t.clock);
    const snap = await bulk.snapshot(t.complexId);
    const persons = snap.persons.filter((p) => p.residencies.length > 0);
    expect(persons.length).toBeGreaterThanOrEqual(290);
    const renamed = persons[0]!;
    const noIin = persons[1]!;
    const sexBefore = (await sql<{ sex: string | null }>`select sex from persons where id = ${noIin.id}`.execute(t.env.handle.db)).rows[0]!.sex;
    const newPhone = (i: number) => `7700${String(10_000_000 + i).slice(1)}`;
    const updates: BulkUpdate[] = persons.map((p, i) => ({
      personId: p.id,
      person: {
        lastName: p === renamed ? 'Жаңабайұлы' : p.lastName,
        firstName: p.firstName,
        patronymic: p.patronymic,
        iin: p === noIin ? null : p.iin,
        iinImplausible: false,
        birthDate: p.birthDate,
        sex: p === noIin ? null : i % 2 ? 'male' : 'female',
        phones: [...p.phones, newPhone(i)],
      },
      addPhones: [newPhone(i)],
      residency: { op: 'update', apartmentId: p.residencies[0]!.apartmentId, relation: 'registered', movedIn: '2020-01-0' + (1 + (i % 9)) },
      keysChanged: true,
    }));
    statements = 0;
    expect(await bulk.apply(t.complexId, 'test', snap.version, [], updates)).toBe(true);
    // Per person it was: update person, update residency, select/delete/insert keys, insert/delete terms.
    expect(statements).toBeLessThan(40);

    const q = async <T>(s: ReturnType<typeof sql<T>>) => (await s.execute(t.env.handle.db)).rows;
    // Every person's keys hold their new phone; one set of keys each (no leftovers, no doubles).
    const phoneKeys = await q<{ n: string }>(sql`select count(*) as n from search_keys where field = 'phone' and key like '7700%'`);
    expect(Number(phoneKeys[0]!.n)).toBe(persons.length);
    const inspector = { id: crypto.randomUUID(), username: 'i', displayName: 'i', role: 'inspector' as const, complexId: t.complexId, districtId: null };
    const hit = (await t.services.peopleSearch.search(inspector, t.complexId, { q: newPhone(5), limit: 5, submitted: 'false' }))[0];
    expect(hit?.personId).toBe(persons[5]!.id);
    // The renamed person is found by the new name; the new word joined the term list; fields and residency written.
    expect((await t.services.peopleSearch.search(inspector, t.complexId, { q: 'Жаңабайұлы', limit: 5, submitted: 'false' }))[0]?.personId).toBe(renamed.id);
    expect(await q(sql`select key from search_terms where key = 'zhanabaiuli'`)).toHaveLength(1);
    const oldWord = await q(sql`select 1 from search_keys where field = 'name' and entity_id = ${renamed.id} and key = ${skeleton(renamed.lastName)}`);
    expect(oldWord).toHaveLength(0);
    const rows = await q<{ relation: string; movedIn: string; sex: string | null; lastName: string; sortKey: string }>(
      sql`select r.relation, to_char(r.moved_in, 'YYYY-MM-DD') as moved_in, p.sex, p.last_name, p.sort_key from residencies r join persons p on p.id = r.person_id where p.id in (${renamed.id}, ${noIin.id}) order by p.id = ${renamed.id} desc`,
    );
    expect(rows[0]).toMatchObject({ relation: 'registered', movedIn: '2020-01-01', lastName: 'Жаңабайұлы' });
    expect(rows[0]!.sortKey).not.toBe(renamed.sortKey);
    // Without an IIN, sex stays as recorded.
    expect(rows[1]).toMatchObject({ relation: 'registered', movedIn: '2020-01-02', sex: sexBefore });
  }, 120_000);

  it('a word nobody uses any more leaves the term list', async () => {
    const lonely = (await sql<{ key: string; entityId: string }>`select k.key, k.entity_id from search_keys k where k.field = 'name' and k.entity_type = 'person' and (select count(*) from search_keys o where o.field = 'name' and o.key = k.key) = 1 limit 1`.execute(t.env.handle.db)).rows[0]!;
    const bulk = new PeopleBulk(new PeopleBulkRepository(t.env.handle.db), t.services.people.repo, t.clock);
    const snap = await bulk.snapshot(t.complexId);
    const p = snap.persons.find((x) => x.id === lonely.entityId)!;
    const person = { lastName: 'Тестов', firstName: 'Тест', patronymic: null, iin: p.iin, iinImplausible: false, birthDate: p.birthDate, sex: 'male' as const, phones: p.phones };
    expect(await bulk.apply(t.complexId, 'test', snap.version, [], [{ personId: p.id, person, addPhones: [], residency: null, keysChanged: true }])).toBe(true);
    expect((await sql`select 1 from search_terms where key = ${lonely.key}`.execute(t.env.handle.db)).rows).toHaveLength(0);
  }, 60_000);
});
