import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../config/config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.ts';

/**
 * A fresh, migrated database for one test file: PGlite in a temp dir by default,
 * or a new database on the PostgreSQL server named by TEST_DATABASE_URL.
 */
export interface TestEnv {
  handle: DatabaseHandle;
  config: Config;
  dataDir: string;
  engine: 'pglite' | 'postgres';
  cleanup(): Promise<void>;
}

export async function createTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-test-'));
  const adminUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | null = null;
  if (adminUrl) {
    const name = `kuzet_t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const config = loadConfig({}, {
    KUZET_DATA_DIR: dataDir,
    KUZET_LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const handle = await openDatabase(config.database);
  await migrateToLatest(handle.db);
  return {
    handle,
    config,
    dataDir,
    engine: handle.kind,
    cleanup: async () => {
      await handle.close();
      if (dropDatabase) await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
