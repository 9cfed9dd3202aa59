import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { readBackupHeader, restoreBackup, writeBackup } from '../db/backup.ts';
import { openDatabase, migrateToLatest } from '../db/database.ts';
import { writeHeadFile } from '../modules/audit/audit-head.ts';
import { openRuntime } from '../runtime.ts';
import { CliError } from './cli-error.ts';

/** Settings files that travel with a backup: the key of the audit chain and TOTP seeds. */
function settingsFiles(config: Config): Record<string, string> {
  const files: Record<string, string> = {};
  if (fs.existsSync(config.secretFile)) files['secret.key'] = fs.readFileSync(config.secretFile, 'utf8');
  return files;
}

export async function backupCommand(config: Config, args: string[]): Promise<number> {
  const file = args[0];
  if (!file) throw new CliError('Usage: kuzet backup <file>   (e.g. kuzet backup kuzet-2026-11-24.backup.gz)');
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new CliError(`${target} exists already; choose a new file name.`);
  const rt = await openRuntime(config);
  try {
    await rt.services.audit.append({ action: 'system.backup', details: { file: path.basename(target) } });
    const r = await writeBackup(rt.handle.db, target, { engine: rt.handle.kind, files: settingsFiles(config) });
    process.stdout.write(`Backup written: ${target} (${r.tables} tables, ${r.rows} rows).\n`);
    process.stdout.write('It holds the secret key of this post: store it as carefully as the server itself.\n');
    return 0;
  } finally {
    await rt.close();
  }
}

export async function restoreCommand(config: Config, args: string[]): Promise<number> {
  const file = args[0];
  if (!file) throw new CliError('Usage: kuzet restore <file>');
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new CliError(`${source} does not exist.`);
  const header = await readBackupHeader(source).catch((err: unknown) => {
    throw new CliError(`${source}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (config.database.kind === 'pglite' && fs.existsSync(config.database.dir) && fs.readdirSync(config.database.dir).length > 0) {
    throw new CliError(`The data dir ${config.dataDir} already holds a database. Restore into an empty data dir (set KUZET_DATA_DIR).`);
  }
  const secret = header.files['secret.key'];
  if (secret) {
    if (fs.existsSync(config.secretFile) && fs.readFileSync(config.secretFile, 'utf8') !== secret) {
      throw new CliError(`${config.secretFile} exists and holds another key; move it away to restore this backup.`);
    }
    fs.mkdirSync(path.dirname(config.secretFile), { recursive: true });
    fs.writeFileSync(config.secretFile, secret, { mode: 0o600 });
  }
  const handle = await openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    const users = await handle.db.selectFrom('users').select('id').limit(1).execute();
    const districts = await handle.db.selectFrom('districts').select('id').limit(1).execute();
    if (users.length || districts.length) throw new CliError('The target database is not empty: restore needs an empty one.');
    const r = await restoreBackup(handle.db, source);
    const head = await handle.db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (head && head.seq > 0) writeHeadFile(config.auditHeadFile, head);
    process.stdout.write(`Restored ${r.rows} rows from ${source} (made ${r.header.createdAt} on ${r.header.engine}).\n`);
  } finally {
    await handle.close();
  }
  const rt = await openRuntime(config);
  try {
    await rt.services.audit.append({ action: 'system.restore', details: { file: path.basename(source) } });
  } finally {
    await rt.close();
  }
  return 0;
}
