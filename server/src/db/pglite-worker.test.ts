import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './database.ts';
import { DatabaseError } from './pglite-worker-client.ts';

/**
 * The embedded database runs in its own thread: a long query there leaves the main
 * thread free (live video, requests), while Kysely sees one serialised connection
 * with working transactions and PostgreSQL's own error codes.
 */
describe('PGlite in a worker thread', { timeout: 120_000 }, () => {
  let dir: string;
  let h: DatabaseHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-pglite-worker-'));
    h = await openDatabase({ kind: 'pglite', dir: path.join(dir, 'db') });
    await migrateToLatest(h.db);
  });
  afterAll(async () => {
    await h?.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a long query does not block the main thread: a timer set after it starts fires before it ends', async () => {
    const events: string[] = [];
    const query = sql`select pg_sleep(0.3)`.execute(h.db).then(() => events.push('query done'));
    // On the main thread PGlite would run the whole sleep before any timer could fire.
    await new Promise<void>((resolve) => setTimeout(() => (events.push('timer'), resolve()), 0));
    await query;
    expect(events).toEqual(['timer', 'query done']);
  });

  it('keeps PostgreSQL error codes, messages and fields across the thread', async () => {
    const dup = h.db.insertInto('settings').values({ key: 'k1', value: JSON.stringify(1) }).execute();
    await dup;
    const err = await h.db
      .insertInto('settings')
      .values({ key: 'k1', value: JSON.stringify(2) })
      .execute()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err).toMatchObject({ code: '23505', constraint: 'settings_pkey', table: 'settings' });
    expect((err as Error).message).toContain('duplicate key value violates unique constraint');
    const syntax = await sql`selec 1`.execute(h.db).catch((e: unknown) => e);
    expect(syntax).toMatchObject({ code: '42601' });
  });

  it('serialises transactions: a query from outside waits for commit, a rollback leaves nothing', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const tx = h.db.transaction().execute(async (t) => {
      await t.insertInto('settings').values({ key: 'tx', value: JSON.stringify('inside') }).execute();
      order.push('inserted');
      await hold;
      order.push('commit');
    });
    while (!order.includes('inserted')) await new Promise((r) => setImmediate(r));
    const outside = h.db
      .selectFrom('settings')
      .select('key')
      .where('key', '=', 'tx')
      .execute()
      .then((rows) => order.push(`outside saw ${rows.length}`));
    // Give the outside query every chance to overtake (it must not: the transaction holds the connection).
    // (A query here would itself queue behind the transaction, so the chance is a short pause, not an event.)
    await new Promise((r) => setTimeout(r, 50));
    release();
    await Promise.all([tx, outside]);
    expect(order).toEqual(['inserted', 'commit', 'outside saw 1']);

    const failed = await h.db
      .transaction()
      .execute(async (t) => {
        await t.insertInto('settings').values({ key: 'rolled-back', value: JSON.stringify(0) }).execute();
        throw new Error('abort');
      })
      .catch((e: unknown) => e);
    expect((failed as Error).message).toBe('abort');
    expect(await h.db.selectFrom('settings').select('key').where('key', '=', 'rolled-back').execute()).toEqual([]);
  });

  it('close flushes to disk and ends the thread; the data is there when reopened; later queries are refused', async () => {
    await h.db.insertInto('settings').values({ key: 'persisted', value: JSON.stringify({ n: 42 }) }).execute();
    await h.close();
    const late = await h.db
      .selectFrom('settings')
      .selectAll()
      .execute()
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(Error);
    h = await openDatabase({ kind: 'pglite', dir: path.join(dir, 'db') });
    const row = await h.db.selectFrom('settings').select('value').where('key', '=', 'persisted').executeTakeFirst();
    expect(row?.value).toEqual({ n: 42 });
  });
});
