import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * A logical, engine-neutral backup: every table's rows as gzipped JSON lines, read
 * in one repeatable-read transaction (a consistent snapshot). A PGlite backup can be
 * restored into PostgreSQL and back. Recordings are out of scope.
 */
export const BACKUP_FORMAT = 'kuzet-backup';
/** Tables whose rows are transient and are not worth restoring. */
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock', 'sessions', 'sign_in_failures']);

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  engine: string;
  migrations: string[];
  files: Record<string, string>;
}

interface Column {
  name: string;
  type: string;
}

type Raw = Kysely<Record<string, Record<string, unknown>>>;

async function tablesInOrder(db: Raw): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const deps = await sql<{ child: string; parent: string }>`
    select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'f' and n.nspname = 'public' order by 1, 2`.execute(db);
  const names = tables.rows.map((t) => t.name).filter((t) => !SKIP.has(t));
  const order: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (order.includes(t) || path.has(t)) return;
    path.add(t);
    for (const d of deps.rows) if (d.child === t && d.parent !== t && names.includes(d.parent)) visit(d.parent, path);
    order.push(t);
  };
  for (const t of names) visit(t, new Set());
  return order;
}

async function columnsOf(db: Raw, table: string): Promise<Column[]> {
  const r = await sql<{ name: string; type: string }>`
    select column_name as name, data_type as type from information_schema.columns
    where table_schema = 'public' and table_name = ${table} order by ordinal_position`.execute(db);
  return r.rows;
}

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

export async function writeBackup(db: Kysely<DB>, file: string, meta: { engine: string; files: Record<string, string> }): Promise<{ tables: number; rows: number }> {
  const raw = db.withoutPlugins() as unknown as Raw;
  const gzip = zlib.createGzip();
  const out = fs.createWriteStream(`${file}.partial`);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);
  const write = (o: unknown) => {
    if (!gzip.write(JSON.stringify(o) + '\n')) return new Promise<void>((r) => gzip.once('drain', r));
    return undefined;
  };
  let rows = 0;
  let tables = 0;
  await raw.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(tx);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      engine: meta.engine,
      migrations: migrations.rows.map((m) => m.name),
      files: meta.files,
    };
    await write(header);
    for (const table of await tablesInOrder(tx)) {
      const cols = await columnsOf(tx, table);
      await write({ table, columns: cols });
      tables++;
      const pk = cols[0]!.name;
      const result = await sql<Record<string, unknown>>`select * from ${sql.raw(quote(table))} order by ${sql.raw(quote(pk))}`.execute(tx);
      for (const r of result.rows) {
        await write({ row: cols.map((c) => fromColumn(r[c.name] ?? null, c)) });
        rows++;
      }
    }
  });
  gzip.end();
  await done;
  fs.renameSync(`${file}.partial`, file);
  return { tables, rows };
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of lines(file)) return parseHeader(line);
  throw new Error(`${file} is empty: not a Kuzet backup.`);
}

function parseHeader(line: string): BackupHeader {
  const h = JSON.parse(line) as Partial<BackupHeader>;
  if (h.format !== BACKUP_FORMAT || h.version !== 1) throw new Error('The file is not a Kuzet backup (version 1).');
  return h as BackupHeader;
}

async function* lines(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) yield line;
}

/** Loads a backup into a freshly migrated, empty database, in one transaction. */
export async function restoreBackup(db: Kysely<DB>, file: string): Promise<{ header: BackupHeader; rows: number }> {
  const raw = db.withoutPlugins() as unknown as Raw;
  let header: BackupHeader | null = null;
  let rows = 0;
  await raw.transaction().execute(async (tx) => {
    let table: string | null = null;
    let cols: Column[] = [];
    let batch: unknown[][] = [];
    const flush = async () => {
      if (!table || !batch.length) return;
      const values = batch.map((r) => sql`(${sql.join(r.map((v, i) => toParam(v, cols[i]!)))})`);
      await sql`insert into ${sql.raw(quote(table))} (${sql.raw(cols.map((c) => quote(c.name)).join(', '))}) values ${sql.join(values)}`.execute(tx);
      rows += batch.length;
      batch = [];
    };
    for await (const line of lines(file)) {
      const o = JSON.parse(line) as { table?: string; columns?: Column[]; row?: unknown[] };
      if (!header) {
        header = parseHeader(line);
        continue;
      }
      if (o.table) {
        await flush();
        table = o.table;
        cols = o.columns ?? [];
        // Migrations seed some tables (the audit head, the preventive registry's categories):
        // the backup's rows replace them. Tables come parents first, so nothing refers to them yet.
        await sql`delete from ${sql.raw(quote(table))}`.execute(tx);
      } else if (o.row) {
        batch.push(o.row);
        if (batch.length >= 200) await flush();
      }
    }
    await flush();
    // Serial columns continue after the restored rows.
    const seqs = await sql<{ tbl: string; col: string; seq: string }>`
      select c.table_name as tbl, c.column_name as col, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) as seq
      from information_schema.columns c
      where c.table_schema = 'public' and pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) is not null
      order by 1, 2`.execute(tx);
    for (const s of seqs.rows) {
      await sql`select setval(${s.seq}, coalesce((select max(${sql.raw(quote(s.col))}) from ${sql.raw(quote(s.tbl))}), 0) + 1, false)`.execute(tx);
    }
  });
  if (!header) throw new Error(`${file} is empty: not a Kuzet backup.`);
  return { header, rows };
}

/** bytea (event snapshots) travels as base64: JSON has no bytes. */
function fromColumn(v: unknown, col: Column): unknown {
  if (v !== null && col.type === 'bytea' && v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return v;
}

function toParam(v: unknown, col: Column): unknown {
  if (v === null) return null;
  if (col.type === 'bytea' && typeof v === 'string') return Buffer.from(v, 'base64');
  if (col.type === 'jsonb' || col.type === 'json') return JSON.stringify(v);
  return v;
}
