import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.ts';
import { migrations } from './migrations/index.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { PGliteWorkerClient } from './pglite-worker-client.ts';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const INT8 = 20;

/**
 * Opens the configured engine. PGlite runs in its own worker thread (it executes
 * synchronously where it is called), so a long query never stalls the main
 * thread's requests and live video; PostgreSQL is asynchronous already.
 */
export async function openDatabase(config: Config['database']): Promise<DatabaseHandle> {
  const plugins = [new CamelCasePlugin()];
  if (config.kind === 'pglite') {
    const client = await PGliteWorkerClient.open(config.dir);
    const db = new Kysely<DB>({ dialect: new PGliteDialect(client), plugins });
    return { db, kind: 'pglite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => undefined); // an idle client's error is reported again on its next query
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}
