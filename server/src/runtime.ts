import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config/config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database.ts';
import { loadOrCreateSecrets } from './platform/secrets.ts';
import { createServices, type Services } from './services.ts';

export interface Runtime {
  config: Config;
  handle: DatabaseHandle;
  services: Services;
  close(): Promise<void>;
}

/**
 * Opens the data dir, the database (migrated) and the services. PGlite allows one
 * process per data dir: a lock file with our pid keeps a CLI command from opening
 * the database while the server holds it.
 */
export async function openRuntime(config: Config, opts: { lock: boolean } = { lock: true }): Promise<Runtime> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const release = opts.lock && config.database.kind === 'pglite' ? acquireLock(config.dataDir) : () => undefined;
  try {
    const secrets = loadOrCreateSecrets(config.secretFile);
    const handle = await openDatabase(config.database);
    await migrateToLatest(handle.db);
    // Offline alerts wait out the first seconds after start (cameras still connecting).
    const services = createServices({ config, db: handle.db, secrets, alerts: { startupGraceMs: config.alerts.startupGraceMs } });
    return {
      config,
      handle,
      services,
      close: async () => {
        await handle.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

export class LockedError extends Error {}

function acquireLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'kuzet.pid');
  if (fs.existsSync(file)) {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new LockedError(
        `The data dir ${dataDir} is in use by process ${pid} (a running Kuzet server). Stop it first: the embedded database allows one process at a time.`,
      );
    }
  }
  fs.writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      // already gone: nothing to release
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
