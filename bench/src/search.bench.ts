// `npm run bench -- search [--residents 100000] [--queries 400] [--rank-queries 500] [--import-rows 10000] [--engines pglite,postgres]`
// p50/p95 of the search box (the server's PeopleSearch over its own repository) at N
// residents, on PGlite and on PostgreSQL, beside the naive baseline: a plain
// ILIKE '%q%' over the same rows, in the same run. Then how well it ranks (generated
// queries: the very person first, and first or tied with namesakes), and the import of a
// 10,000-row list end to end (issue 9 acceptance 2: a figure of this benchmark).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../server/src/config/config.ts';
import { migrateToLatest, openDatabase } from '../../server/src/db/database.ts';
import { DemoService } from '../../server/src/modules/demo/demo.service.ts';
import { generatePeople } from '../../server/src/modules/demo/people-generator.ts';
import { rng } from '../../server/src/modules/demo/random.ts';
import { loadOrCreateSecrets } from '../../server/src/platform/secrets.ts';
import { buildingKey } from '../../server/src/modules/people/search-keys.ts';
import { generatedQueries, rankOutcome, tally, withUniqueNames, type Outcome, type RankPerson } from '../../server/src/modules/people/testdata/ranking.ts';
import { createServices } from '../../server/src/services.ts';
import { importLine, runImport, type ImportFigures } from './import-run.ts';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '400' },
    'rank-queries': { type: 'string', default: '500' },
    'import-rows': { type: 'string', default: '10000' },
    'import-format': { type: 'string', default: 'xlsx' },
    engines: { type: 'string', default: 'pglite,postgres' },
    'pg-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const RESIDENTS = Number(values.residents);
const QUERIES = Number(values.queries);
const RANK_QUERIES = Number(values['rank-queries']);
const IMPORT_ROWS = Number(values['import-rows']);

const LAT: Record<string, string> = { а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', і: 'i', к: 'k', қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sh', ы: 'y', ь: '', ъ: '', э: 'e', ю: 'yu', я: 'ya', ё: 'yo' };
const latin = (s: string) => [...s.toLowerCase()].map((c) => LAT[c] ?? c).join('');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-search-'));
  let dbUrl: string | undefined;
  const dbName = `kuzet_bench_search_${process.pid}`;
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: values['pg-url'] });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(values['pg-url']!);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
  }
  const config = loadConfig({}, { KUZET_DATA_DIR: dataDir, KUZET_LOG_LEVEL: 'silent', ...(dbUrl ? { DATABASE_URL: dbUrl } : {}) });
  const handle = await openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    const services = createServices({ config, db: handle.db, secrets: loadOrCreateSecrets(config.secretFile) });
    await new DemoService(handle.db, services).seed('bench-password-1');
    const complexId = (await services.siteRepo.complexes(null))[0]!.id;
    const t0 = performance.now();
    const data = generatePeople(complexId, await services.people.repo.apartmentRefs(complexId), RESIDENTS, 77);
    await services.people.repo.bulkInsert(data);
    await sql`analyze`.execute(handle.db);
    const loadS = (performance.now() - t0) / 1000;

    // Queries: surnames, full names in Latin, a typo, phones, plates, apartments.
    const r = rng(4242);
    const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
    const queries: string[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const p = pick(data.persons);
      switch (i % 6) {
        case 0: queries.push(p.lastName); break;
        case 1: queries.push(latin(`${p.lastName} ${p.firstName}`)); break;
        case 2: { const w = p.lastName; const k = 1 + Math.floor(r() * (w.length - 2)); queries.push(w.slice(0, k) + w.slice(k + 1)); break; }
        case 3: { const ph = pick(data.phones).phone; queries.push(`8 ${ph.slice(1, 4)} ${ph.slice(4, 7)} ${ph.slice(7, 9)} ${ph.slice(9)}`); break; }
        case 4: { const v = pick(data.vehicles); queries.push(v.plateDisplay.toLowerCase()); break; }
        default: queries.push(`блок ${1 + Math.floor(r() * 6)} кв ${1 + Math.floor(r() * 200)}`);
      }
    }
    const actor = { id: '00000000-0000-4000-8000-000000000001', username: 'bench', displayName: 'bench', role: 'inspector' as const, complexId, districtId: null };
    const FORMS = ['surname', 'latin full name', 'surname typo', 'phone', 'plate', 'apartment'];
    const byForm: Record<string, number[]> = Object.fromEntries(FORMS.map((f) => [f, []]));
    const ours: number[] = [];
    const naive: number[] = [];
    let naiveRows = 0;
    let oursRows = 0;
    for (const q of queries.slice(0, 20)) await services.peopleSearch.search(actor, complexId, { q, limit: 20, submitted: 'false' });
    for (const [i, q] of queries.entries()) {
      let s = performance.now();
      oursRows += (await services.peopleSearch.search(actor, complexId, { q, limit: 20, submitted: 'false' })).length;
      ours.push(performance.now() - s);
      byForm[FORMS[i % 6]!]!.push(performance.now() - s);
      s = performance.now();
      const pattern = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      const rows = await sql`select p.id from persons p left join person_phones ph on ph.person_id = p.id
        where p.complex_id = ${complexId} and (p.last_name || ' ' || p.first_name || ' ' || coalesce(p.patronymic, '') ilike ${pattern} or ph.phone ilike ${pattern})
        order by p.sort_key collate "C" limit 20`.execute(handle.db);
      naiveRows += rows.rows.length;
      naive.push(performance.now() - s);
    }

    // Ranking: acceptance 1's generated queries (another alphabet + one typo) over these
    // residents; name only, and with one fact the person has (apartment, year, phone digits).
    const homes = new Map(await services.people.repo.apartmentRefs(complexId).then((a) => a.map((x) => [x.id, x])));
    const home = new Map<string, { building: string; apartment: string }>();
    for (const res of data.residencies) {
      const a = homes.get(res.apartmentId);
      if (a && !home.has(res.personId)) home.set(res.personId, { building: buildingKey(a.buildingName), apartment: a.number });
    }
    const phone = new Map<string, string>();
    for (const ph of data.phones) if (!phone.has(ph.personId)) phone.set(ph.personId, ph.phone);
    const people: RankPerson[] = data.persons.map((p) => ({ id: p.id, lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate, home: home.get(p.id) ?? null, phone: phone.get(p.id) ?? null }));
    const nameOf = new Map(people.map((p) => [p.id, `${p.lastName} ${p.firstName}`]));
    const rank = async (facts: boolean, among: RankPerson[] = people, seed = facts ? 20261130 : 20261129) => {
      const outcomes: Outcome[] = [];
      for (const { q, person } of generatedQueries(among, RANK_QUERIES, rng(seed), facts)) {
        const hits = await services.peopleSearch.search(actor, complexId, { q, limit: 50, submitted: 'false' });
        outcomes.push(rankOutcome(hits, { id: person.id, name: `${person.lastName} ${person.firstName}` }, (id) => nameOf.get(id)));
      }
      return tally(outcomes);
    };
    const unique = withUniqueNames(people);
    const ranking = RANK_QUERIES > 0 ? { nameOnly: await rank(false), uniqueNames: { residents: unique.length, ...(await rank(false, unique, 20261201)) }, withFact: await rank(true) } : null;
    return {
      engine,
      residents: RESIDENTS,
      ranking,
      searchKeys: data.keys.length,
      loadSeconds: Math.round(loadS * 10) / 10,
      queries: queries.length,
      ours: { p50: pct(ours, 50), p95: pct(ours, 95), max: pct(ours, 100), hitsPerQuery: Math.round((oursRows / queries.length) * 10) / 10 },
      oursByForm: Object.fromEntries(FORMS.map((f) => [f, { p50: pct(byForm[f]!, 50), p95: pct(byForm[f]!, 95) }])),
      naiveIlike: { p50: pct(naive, 50), p95: pct(naive, 95), max: pct(naive, 100), hitsPerQuery: Math.round((naiveRows / queries.length) * 10) / 10 },
    };
  } finally {
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres') {
      const admin = new pg.Client({ connectionString: values['pg-url'] });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

const results = [];
const imports: ImportFigures[] = [];
for (const e of values.engines!.split(',') as ('pglite' | 'postgres')[]) {
  const res = await runEngine(e);
  results.push(res);
  console.log(
    `${e.padEnd(8)} ${res.residents} residents (${res.searchKeys} keys, loaded in ${res.loadSeconds}s), ${res.queries} queries: ` +
      `search p50 ${res.ours.p50} ms p95 ${res.ours.p95} ms | naive ILIKE p50 ${res.naiveIlike.p50} ms p95 ${res.naiveIlike.p95} ms (target p95 ≤ 50 ms)`,
  );
  console.log(`         by form: ${Object.entries(res.oursByForm).map(([f, v]) => `${f} ${v.p50}/${v.p95}`).join(', ')} (p50/p95 ms)`);
  if (res.ranking) {
    const { nameOnly: n, uniqueNames: u, withFact: f } = res.ranking;
    console.log(
      `         ranking, ${n.queries} generated queries (another alphabet + one typo): name only — the very person first ${n.first} (${n.firstPct} %), ` +
        `first or tied with namesakes ${n.firstOrTied} (${n.firstOrTiedPct} %); residents whose name no one shares (${u.residents}) — first ${u.first} (${u.firstPct} %); ` +
        `with an apartment, birth year or phone digits — first ${f.first} (${f.firstPct} %) (target ≥ 95 %)`,
    );
  }
  if (IMPORT_ROWS > 0) {
    for (const format of values['import-format']!.split(',') as ('xlsx' | 'csv')[]) {
      const f = await runImport(e, format, { rows: IMPORT_ROWS, residents: 4000, pgUrl: values['pg-url']! });
      imports.push(f);
      console.log(`         import: ${importLine(f)} (target < 30 s)`);
    }
  }
}
const out = path.resolve(import.meta.dirname, '../results');
fs.mkdirSync(out, { recursive: true });
const file = path.join(out, `search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, results, imports }, null, 2));
console.log(`→ ${file}`);
