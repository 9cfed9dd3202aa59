import type { ImportJob, ImportRow, Role } from '@kuzet/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import type { Actor } from '../auth/actor.ts';
import { generateList, listCsv, listXlsx, type GeneratedList, type ListApartment } from './testdata/list-generator.ts';

// Acceptance 2 of issue 9: a prepared 10,000-row list with 5 % bad rows writes nothing
// until confirmed, reports every bad row with its reason, writes exactly the valid rows on
// confirmation, and a second import of the same file changes nothing. Timed in
// `npm run bench -- import`, not here.
const PEOPLE_TABLES = ['persons', 'person_phones', 'residencies', 'vehicles', 'premises', 'management_companies', 'caretakers', 'search_keys', 'search_terms', 'person_erasures'] as const;

describe('importing a 10,000-row list of residents', () => {
  let t: TestApp;
  let inspector: Actor;
  let apartments: ListApartment[];
  let list: GeneratedList;
  const actor = (role: Role): Actor => ({ id: crypto.randomUUID(), username: role, displayName: role, role, complexId: t.complexId, districtId: null });
  const counts = async () => {
    const out = {} as Record<(typeof PEOPLE_TABLES)[number], number>;
    for (const table of PEOPLE_TABLES) out[table] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.env.handle.db)).rows[0]!.n);
    return out;
  };
  const preview = async (file: Buffer, name: string): Promise<ImportJob> => {
    const job = t.services.peopleImport.start(inspector, t.complexId, name, file);
    return t.services.peopleImport.settled(t.complexId, job.id);
  };
  const allRows = (id: string): ImportRow[] => t.services.peopleImport.rows(t.complexId, id, { limit: 100_000, offset: 0 }).items;

  beforeAll(async () => {
    t = await createTestApp();
    inspector = actor('inspector');
    const snap = await sql<ListApartment>`select b.name as "buildingName", e.number as "entranceNumber", a.number from apartments a join buildings b on b.id = a.building_id join entrances e on e.id = a.entrance_id where a.complex_id = ${t.complexId} order by b.sort_order, a.number`.execute(t.env.handle.db);
    apartments = snap.rows;
    list = generateList(apartments, 10_000, 0.05);
  }, 120_000);
  afterAll(async () => t?.close());

  it('the generated list has 5 % bad rows of every kind', () => {
    expect(list.rows).toHaveLength(10_000);
    expect(list.bad.size).toBe(500);
    expect(new Set(list.bad.values()).size).toBe(5);
  });

  for (const kind of ['xlsx', 'csv'] as const) {
    it(`${kind}: the preview writes nothing and reports every bad row with its reason`, async () => {
      const file = kind === 'xlsx' ? await listXlsx(list) : listCsv(list);
      const before = await counts();
      const job = await preview(file, `list.${kind}`);
      expect(job.state, job.error ?? '').toBe('ready');
      expect(await counts()).toEqual(before);
      expect(job.counts).toMatchObject({ total: 10_000, invalid: 500, new: 9_500, changed: 0, unchanged: 0 });
      const invalid = allRows(job.id).filter((r) => r.status === 'invalid');
      expect(new Map(invalid.map((r) => [r.line, r.problems.map((p) => p.code)]))).toEqual(new Map([...list.bad].map(([line, code]) => [line, [code]])));
      expect(job.progress).toEqual({ done: 10_000, total: 10_000 });
    }, 120_000);
  }

  it('confirmation writes exactly the valid rows in one go; the same file again changes nothing', async () => {
    const before = await counts();
    const job = await preview(listCsv(list), 'list.csv');
    const done = await t.services.peopleImport.confirm(inspector, t.complexId, job.id);
    expect(done.result).toEqual({ created: 9_500, updated: 0, unchanged: 0, skipped: 500 });
    const after = await counts();
    expect(after.persons - before.persons).toBe(9_500);
    expect(after.residencies - before.residencies).toBe(9_500);
    expect(after.person_phones - before.person_phones).toBe(9_500);
    // Every valid line is in the registry under its name, and no bad line is.
    const names = new Set((await sql<{ n: string }>`select last_name || ' ' || first_name || ' ' || patronymic as n from persons`.execute(t.env.handle.db)).rows.map((r) => r.n));
    list.rows.forEach((row, i) => {
      if (!list.bad.has(i + 2)) expect(names.has(`${row[3]} ${row[4]} ${row[5]}`), `line ${i + 2}`).toBe(true);
    });
    // Found by the search box like a person typed in at the desk.
    const valid = list.rows.find((row, i) => !list.bad.has(i + 2) && row[6])!;
    const hits = await t.services.peopleSearch.search(inspector, t.complexId, { q: valid[6]!, limit: 5, submitted: 'false' });
    expect(hits[0]?.title).toContain(valid[3]);
    const audit = await sql<{ n: string }>`select count(*) as n from audit_log where action = 'people.imported'`.execute(t.env.handle.db);
    expect(Number(audit.rows[0]!.n)).toBe(1);

    const again = await preview(await listXlsx(list), 'list.xlsx');
    expect(again.counts).toMatchObject({ new: 0, changed: 0, unchanged: 9_500, invalid: 500 });
    await t.services.peopleImport.confirm(inspector, t.complexId, again.id);
    expect(await counts()).toEqual(after);
  }, 180_000);

  it('a newer list updates the changed rows, adds new people, deletes none and lists the missing for review', async () => {
    const newer = { header: list.header, rows: list.rows.map((r) => [...r]) };
    const valid = [...newer.rows.keys()].filter((i) => !list.bad.has(i + 2) && !list.bad.has(i + 3));
    const dropped = valid.slice(0, 300);
    const phoneAdded = valid.slice(300, 400);
    const renamed = valid.slice(400, 450).filter((i) => newer.rows[i]![6]); // a surname change is the same person only by IIN
    const moved = valid.slice(450, 500); // a new role only: the row changes, its search keys do not
    for (const i of moved) newer.rows[i]![9] = newer.rows[i]![9] === 'собственник' ? 'арендатор' : 'собственник';
    for (const i of phoneAdded) newer.rows[i]![8] += ', 8 777 000 00 00';
    for (const i of renamed) newer.rows[i]![3] = `${newer.rows[i]![3]}-Новая`;
    const rows = newer.rows.filter((_, i) => !dropped.includes(i) && !list.bad.has(i + 2));
    const extra = generateList(apartments, 100, 0.5, 99).rows.filter((_, i) => i % 2 === 0); // 50 valid strangers
    const file = listCsv({ header: newer.header, rows: [...rows, ...extra] }, ',', false);
    const before = await counts();
    const job = await preview(file, 'newer.csv');
    expect(job.counts).toMatchObject({ new: extra.length, changed: phoneAdded.length + renamed.length + moved.length, invalid: 0, missing: dropped.length });
    expect(await counts()).toEqual(before);
    const changed = allRows(job.id).filter((r) => r.status === 'changed');
    expect(changed.filter((r) => r.changes.some((c) => c.field === 'phones'))).toHaveLength(phoneAdded.length);
    expect(changed.filter((r) => r.changes.some((c) => c.field === 'lastName' && c.to.endsWith('-Новая')))).toHaveLength(renamed.length);
    expect(changed.filter((r) => r.changes.length === 1 && r.changes[0]!.field === 'relation')).toHaveLength(moved.length);
    const missing = t.services.peopleImport.missing(inspector, t.complexId, job.id, { limit: 1000, offset: 0 }).items.map((p) => p.name).sort();
    expect(missing).toEqual(dropped.map((i) => list.rows[i]!.slice(3, 6).join(' ')).sort());

    await t.services.peopleImport.confirm(inspector, t.complexId, job.id);
    const after = await counts();
    expect(after.persons - before.persons).toBe(extra.length);
    expect(after.person_phones - before.person_phones).toBe(extra.length + phoneAdded.length);
    expect(after.residencies - before.residencies).toBe(extra.length);
    const rel = await sql<{ relation: string }>`select r.relation from residencies r join persons p on p.id = r.person_id where p.iin = ${list.rows[moved.find((i) => list.rows[i]![6])!]![6]!}`.execute(t.env.handle.db);
    expect(rel.rows[0]!.relation).toBe(list.rows[moved.find((i) => list.rows[i]![6])!]![9] === 'собственник' ? 'tenant' : 'owner');
    // The renamed are found under the new name, keys rebuilt.
    const r = list.rows[renamed[0]!]!;
    const hits = await t.services.peopleSearch.search(inspector, t.complexId, { q: `${r[3]}-Новая`, limit: 5, submitted: 'false' });
    expect(hits[0]?.title).toContain('-Новая');
    // …and with a typo, through the term list the people module keeps.
    const typo = `${r[3]}-Новоя`;
    expect((await t.services.peopleSearch.search(inspector, t.complexId, { q: typo, limit: 5, submitted: 'false' }))[0]?.title).toContain('-Новая');
  }, 180_000);
});
