// The residents' import end to end on one engine and file format, timed as the console
// drives it (PeopleImportService, without the HTTP upload): used by `bench -- import` and
// by `bench -- search` (issue 9 acceptance 2: the import's time is a search bench figure).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../server/src/config/config.ts';
import { migrateToLatest, openDatabase } from '../../server/src/db/database.ts';
import { DemoService } from '../../server/src/modules/demo/demo.service.ts';
import { generateList, listCsv, listXlsx, type ListApartment } from '../../server/src/modules/people-import/testdata/list-generator.ts';
import { loadOrCreateSecrets } from '../../server/src/platform/secrets.ts';
import { createServices } from '../../server/src/services.ts';

export interface ImportFigures {
  engine: 'pglite' | 'postgres';
  format: 'xlsx' | 'csv';
  rows: number;
  fileKB: number;
  /** Seconds. */
  first: { preview: number; confirm: number; total: number; created: number; invalid: number };
  again: { total: number; unchanged: number; written: number };
  changedEveryRow: { preview: number; confirm: number; total: number; updated: number };
}

const sec = (ms: number) => Math.round(ms / 10) / 100;

export async function runImport(engine: 'pglite' | 'postgres', format: 'xlsx' | 'csv', opts: { rows: number; residents: number; pgUrl: string }): Promise<ImportFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-import-'));
  let dbUrl: string | undefined;
  const dbName = `kuzet_bench_import_${process.pid}_${format}`;
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: opts.pgUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(opts.pgUrl);
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
    if (opts.residents > 0) await demo.seedPeople(opts.residents);
    const complexId = (await services.siteRepo.complexes(null))[0]!.id;
    const apartments = (
      await sql<ListApartment>`select b.name as "buildingName", e.number as "entranceNumber", a.number from apartments a join buildings b on b.id = a.building_id join entrances e on e.id = a.entrance_id where a.complex_id = ${complexId} order by b.sort_order, a.number`.execute(handle.db)
    ).rows;
    const list = generateList(apartments, opts.rows, 0.05);
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
    return {
      engine,
      format,
      rows: opts.rows,
      fileKB: Math.round(file.length / 1024),
      first: { preview: sec(first.preview), confirm: sec(first.confirm), total: sec(first.preview + first.confirm), created: first.result.created, invalid: first.counts.invalid },
      again: { total: sec(again.preview + again.confirm), unchanged: again.counts.unchanged, written: again.result.created + again.result.updated },
      changedEveryRow: { preview: sec(changed.preview), confirm: sec(changed.confirm), total: sec(changed.preview + changed.confirm), updated: changed.result.updated },
    };
  } finally {
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres') {
      const admin = new pg.Client({ connectionString: opts.pgUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

export function importLine(f: ImportFigures): string {
  return (
    `${f.engine.padEnd(8)} ${f.format.padEnd(4)} ${String(f.rows).padStart(6)} rows (${f.fileKB} KB): ` +
    `preview ${f.first.preview} s + confirm ${f.first.confirm} s = ${f.first.total} s (new ${f.first.created}, invalid ${f.first.invalid}); ` +
    `same file again ${f.again.total} s (unchanged ${f.again.unchanged}, written ${f.again.written}); ` +
    `a newer list changing every row ${f.changedEveryRow.preview} + ${f.changedEveryRow.confirm} s (updated ${f.changedEveryRow.updated})`
  );
}
