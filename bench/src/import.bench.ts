// `npm run bench -- import [--rows 10000] [--residents 4000] [--engines pglite,postgres] [--format xlsx,csv]`
// The residents' import end to end, timed as the console drives it: a list of N rows
// (5 % bad) is previewed (read, checked, compared with the registry: the validation
// report) and confirmed (one transaction). Printed per engine and file format, with the
// re-import of the same file (nothing to write) beside it. Issue 9's target: < 30 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../server/src/config/config.ts';
import { migrateToLatest, openDatabase } from '../../server/src/db/database.ts';
import { DemoService } from '../../server/src/modules/demo/demo.service.ts';
import { generateList, listCsv, listXlsx, type ListApartment } from '../../server/src/modules/people-import/testdata/list-generator.ts';
import { loadOrCreateSecrets } from '../../server/src/platform/secrets.ts';
import { createServices } from '../../server/src/services.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    /** Residents already in the registry (the demo's 4,000): the list is compared with them. */
    residents: { type: 'string', default: '4000' },
    engines: { type: 'string', default: 'pglite,postgres' },
    format: { type: 'string', default: 'xlsx,csv' },
    'pg-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const ROWS = Number(values.rows);
const s = (ms: number) => (ms / 1000).toFixed(2);

async function runEngine(engine: 'pglite' | 'postgres', format: 'xlsx' | 'csv') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-import-'));
  let dbUrl: string | undefined;
  const dbName = `kuzet_bench_import_${process.pid}_${format}`;
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
    const demo = new DemoService(handle.db, services);
    await demo.seed('bench-password-1');
    if (Number(values.residents) > 0) await demo.seedPeople(Number(values.residents));
    const complexId = (await services.siteRepo.complexes(null))[0]!.id;
    const apartments = (
      await sql<ListApartment>`select b.name as "buildingName", e.number as "entranceNumber", a.number from apartments a join buildings b on b.id = a.building_id join entrances e on e.id = a.entrance_id where a.complex_id = ${complexId} order by b.sort_order, a.number`.execute(handle.db)
    ).rows;
    const list = generateList(apartments, ROWS, 0.05);
    const file = format === 'xlsx' ? await listXlsx(list) : listCsv(list);
    const actor = { id: crypto.randomUUID(), username: 'bench', displayName: 'bench', role: 'inspector' as const, complexId, districtId: null };
    const imports = services.peopleImport;
    const once = async (f = file) => {
      const t0 = performance.now();
      const job = imports.start(actor, complexId, `list.${format}`, f);
      const ready = await imports.settled(complexId, job.id);
      const t1 = performance.now();
      const done = await imports.confirm(actor, complexId, job.id);
      const t2 = performance.now();
      return { preview: t1 - t0, confirm: t2 - t1, counts: ready.counts!, result: done.result! };
    };
    const first = await once();
    const again = await once();
    // A newer list where every person has a new phone: every valid row an update.
    const newer = { header: list.header, rows: list.rows.map((r, i) => r.map((v, c) => (c === 8 ? `8 747 ${String(i % 1000).padStart(3, '0')} ${String(i % 97).padStart(2, '0')} 11` : v))) };
    const changed = await once(format === 'xlsx' ? await listXlsx(newer) : listCsv(newer));
    console.log(
      `${engine.padEnd(8)} ${format.padEnd(4)} ${String(ROWS).padStart(6)} rows (${(file.length / 1024).toFixed(0)} KB): ` +
        `preview ${s(first.preview)} s + confirm ${s(first.confirm)} s = ${s(first.preview + first.confirm)} s ` +
        `(new ${first.result.created}, invalid ${first.counts.invalid}); same file again ${s(again.preview + again.confirm)} s (unchanged ${again.counts.unchanged}, written ${again.result.created + again.result.updated}); ` +
        `a newer list changing every row ${s(changed.preview)} + ${s(changed.confirm)} s (updated ${changed.result.updated})`,
    );
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

console.log(`import of a residents' list, ${ROWS} rows with 5 % bad, into a registry of ${values.residents} (target: < 30 s end to end)`);
for (const engine of values.engines!.split(',') as ('pglite' | 'postgres')[]) {
  for (const format of values.format!.split(',') as ('xlsx' | 'csv')[]) await runEngine(engine, format);
}
