import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { deriveSecrets, loadOrCreateSecrets } from '../../platform/secrets.ts';
import { createTestEnv, type TestEnv } from '../../testing/test-db.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';
import { chainHash } from './audit.chain.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../../bin/kuzet.mjs');

async function setup(rows = 6) {
  const env = await createTestEnv();
  const secrets = loadOrCreateSecrets(env.config.secretFile);
  const audit = new AuditService(new AuditRepository(env.handle.db), secrets.auditKey, env.config.auditHeadFile, new ManualClock());
  for (let i = 0; i < rows; i++) {
    await audit.append({ action: 'auth.sign_in', actorId: crypto.randomUUID(), subjectType: 'user', subjectId: `u${i}`, details: { n: i, name: 'Әлібек' } });
  }
  return { env, audit, db: env.handle.db };
}

async function verifyWithCli(env: TestEnv): Promise<{ code: number; out: string }> {
  await env.handle.close(); // PGlite: one process per data dir
  const e = { ...process.env, KUZET_DATA_DIR: env.dataDir, KUZET_LOG_LEVEL: 'silent' } as Record<string, string>;
  delete e.DATABASE_URL;
  if (env.config.database.kind === 'postgres') e.DATABASE_URL = env.config.database.url;
  try {
    const r = await run(process.execPath, [cli, 'audit', 'verify'], { env: e });
    return { code: 0, out: r.stdout };
  } catch (err) {
    const x = err as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout + x.stderr };
  }
}

describe('audit chain', { timeout: 120_000 }, () => {
  let env: TestEnv | null = null;
  afterEach(async () => {
    if (env) await env.cleanup().catch(() => undefined);
    env = null;
  });

  it('verifies a fresh database and an untouched chain (CLI exit 0)', async () => {
    const s = await setup(0);
    env = s.env;
    expect(await s.audit.verify()).toMatchObject({ ok: true, rows: 0 });
    const r = await verifyWithCli(s.env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/Audit chain OK/);
  });

  it('serialises concurrent appends into one unbroken chain', async () => {
    const s = await setup(0);
    env = s.env;
    await Promise.all(Array.from({ length: 25 }, (_, i) => s.audit.append({ action: 'audit.viewed', details: { i } })));
    expect(await s.audit.verify()).toMatchObject({ ok: true, rows: 25, headSeq: 25 });
  });

  it('two writers on one database (another process, as on PostgreSQL) interleave into one unbroken chain', async () => {
    const s = await setup(2);
    env = s.env;
    const secrets = loadOrCreateSecrets(s.env.config.secretFile);
    const other = new AuditService(new AuditRepository(s.db), secrets.auditKey, s.env.config.auditHeadFile, new ManualClock());
    // Each writer's remembered head goes stale when the other appends: it must notice and re-read it.
    for (let i = 0; i < 4; i++) {
      await other.append({ action: 'audit.viewed', details: { writer: 'other', i } });
      await s.audit.append({ action: 'audit.viewed', details: { writer: 'first', i } });
    }
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => s.audit.append({ action: 'audit.viewed', details: { burst: 'first', i } })),
      ...Array.from({ length: 6 }, (_, i) => other.append({ action: 'audit.viewed', details: { burst: 'other', i } })),
    ]);
    expect(await s.audit.verify()).toMatchObject({ ok: true, rows: 22 });
  });

  it('chains a batch (a wall opening many tiles) like single appends, in one transaction', async () => {
    const s = await setup(0);
    env = s.env;
    await s.audit.append({ action: 'audit.viewed', details: { i: 0 } });
    const [seqs] = await Promise.all([
      s.audit.appendMany(Array.from({ length: 17 }, (_, i) => ({ action: 'video.live_viewed' as const, subjectType: 'camera', subjectId: `c${i}`, details: { stream: 'sub' } }))),
      s.audit.append({ action: 'audit.viewed', details: { i: 18 } }),
    ]);
    expect(seqs).toEqual(Array.from({ length: 17 }, (_, i) => i + 2));
    expect(await s.audit.verify()).toMatchObject({ ok: true, rows: 19, headSeq: 19 });
  });

  it('names the altered row', async () => {
    const s = await setup();
    env = s.env;
    await sql`update audit_log set subject_id = 'someone-else' where seq = 3`.execute(s.db);
    expect(await s.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
    const r = await verifyWithCli(s.env);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/BROKEN at row 3/);
  });

  it('names a deleted middle row', async () => {
    const s = await setup();
    env = s.env;
    await sql`delete from audit_details where seq = 4`.execute(s.db);
    await sql`delete from audit_log where seq = 4`.execute(s.db);
    expect(await s.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 4 });
    const r = await verifyWithCli(s.env);
    expect([r.code, /BROKEN at row 4/.test(r.out)]).toEqual([1, true]);
  });

  it('names a deleted last row (the head kept outside the database)', async () => {
    const s = await setup();
    env = s.env;
    await sql`delete from audit_details where seq = 6`.execute(s.db);
    await sql`delete from audit_log where seq = 6`.execute(s.db);
    await sql`update audit_head set seq = 5, hash = (select hash from audit_log where seq = 5)`.execute(s.db);
    expect(await s.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 6 });
    const r = await verifyWithCli(s.env);
    expect([r.code, /BROKEN at row 6/.test(r.out)]).toEqual([1, true]);
  });

  it('names row 1 when the whole table is rebuilt without the key', async () => {
    const s = await setup();
    env = s.env;
    const rows = await sql<{ seq: number; at: Date; action: string; subject_id: string }>`select seq, at, action, subject_id from audit_log order by seq`.execute(s.db);
    await sql`delete from audit_details`.execute(s.db);
    await sql`delete from audit_log`.execute(s.db);
    // An attacker with database access but not the secret file rebuilds a plausible chain.
    const forged = deriveSecrets(Buffer.alloc(32, 7)).auditKey;
    let prev = '';
    for (const r of rows.rows) {
      const f = { seq: r.seq, at: r.at, actorId: null, action: r.action, subjectType: 'user', subjectId: r.subject_id, complexId: null, detailsDigest: null, prevHash: prev };
      const hash = chainHash(forged, f);
      await sql`insert into audit_log (seq, at, actor_id, action, subject_type, subject_id, complex_id, details_digest, prev_hash, hash)
        values (${f.seq}, ${f.at}, null, ${f.action}, 'user', ${f.subjectId}, null, null, ${prev}, ${hash})`.execute(s.db);
      prev = hash;
    }
    expect(await s.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 1 });
    const r = await verifyWithCli(s.env);
    expect([r.code, /BROKEN at row 1/.test(r.out)]).toEqual([1, true]);
  });

  it('notices altered details, yet survives their erasure (personal data kept outside the chain)', async () => {
    const s = await setup();
    env = s.env;
    await sql`update audit_details set details = '{"n": 2, "name": "Другой"}' where seq = 3`.execute(s.db);
    expect(await s.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
    await sql`update audit_details set details = null, actor_name = null where seq = 3`.execute(s.db);
    expect(await s.audit.verify()).toMatchObject({ ok: true, rows: 6 });
  });
});
