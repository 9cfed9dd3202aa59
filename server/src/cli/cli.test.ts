import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { openDatabase } from '../db/database.ts';
import { runCli, startServerProcess } from '../testing/cli-process.ts';

/**
 * The CLI and the server as processes: restart keeps data, the demo seeds once,
 * backup → restore into an empty data dir gives the same data, users from the CLI.
 * PostgreSQL when TEST_DATABASE_URL is set (a fresh database per target).
 */
const adminUrl = process.env.TEST_DATABASE_URL;
const created: string[] = [];
const dirs: string[] = [];

async function target(): Promise<{ env: Record<string, string>; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-cli-'));
  dirs.push(dataDir);
  const env: Record<string, string> = { KUZET_DATA_DIR: dataDir, KUZET_LOG_LEVEL: 'warn', KUZET_DEMO_PASSWORD: 'demo-password-42', KUZET_SIM_CAMERAS: '0' };
  if (adminUrl) {
    const name = `kuzet_cli_${Math.random().toString(16).slice(2, 10)}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    created.push(name);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
  }
  return { env, dataDir };
}

async function dumpTables(env: Record<string, string>): Promise<Record<string, unknown[]>> {
  const config = loadConfig(env);
  const h = await openDatabase(config.database);
  try {
    const out: Record<string, unknown[]> = {};
    for (const table of ['districts', 'complexes', 'buildings', 'entrances', 'apartments', 'zones', 'users'] as const) {
      out[table] = await h.db.selectFrom(table).selectAll().orderBy('id').execute();
    }
    out.settings = await h.db.selectFrom('settings').selectAll().orderBy('key').execute();
    out.audit = await h.db.selectFrom('auditLog').selectAll().orderBy('seq').execute();
    return out;
  } finally {
    await h.close();
  }
}

afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  if (adminUrl && created.length) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    for (const n of created) await c.query(`drop database if exists ${n} with (force)`);
    await c.end();
  }
});

// Each test spawns several processes (tsx start-up, PGlite boot): generous limits, no timing asserted.
describe('CLI and server processes', { timeout: 180_000 }, () => {
  it('restart keeps all data and the demo seed does not duplicate', async () => {
    const { env } = await target();
    const first = await startServerProcess(['demo'], env);
    expect(first.output()).toMatch(/Demo complex seeded/);
    const login = await fetch(`${first.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo-password-42' }),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const created = await fetch(`${first.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ username: 'night-duty', displayName: 'Ночной дежурный', password: 'night-duty-pass', role: 'district_chief', districtId: (await (await fetch(`${first.url}/api/v1/complexes`, { headers: { cookie } })).json() as { items: { districtId: string }[] }).items[0]!.districtId }),
    });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);
    const before = await dumpTables(env);

    const second = await startServerProcess(['demo'], env);
    expect(second.output()).not.toMatch(/Demo complex seeded/);
    const again = await fetch(`${second.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'night-duty', password: 'night-duty-pass' }),
    });
    expect(again.status).toBe(200);
    expect(await second.stop()).toBe(0);
    const after = await dumpTables(env);
    for (const t of ['districts', 'complexes', 'buildings', 'entrances', 'apartments', 'zones', 'users']) {
      expect(after[t]!.length, t).toBe(before[t]!.length);
    }
    expect(after.apartments!.length).toBeGreaterThan(1000);
    expect((await runCli(['audit', 'verify'], env)).code).toBe(0);
  });

  it('backup then restore into an empty data dir gives the same data, and the chain still verifies', async () => {
    const a = await target();
    expect((await runCli(['demo', '--seed-only'], a.env)).code).toBe(0);
    const add = await runCli(['user', 'add', 'duty2', '--role', 'admin', '--name', 'Дежурный 2'], a.env, 'duty2-password-x\n');
    expect(add.code, add.stderr).toBe(0);
    const file = path.join(a.dataDir, '..', `${path.basename(a.dataDir)}.backup.gz`);
    dirs.push(file);
    const b1 = await runCli(['backup', file], a.env);
    expect(b1.code, b1.stderr).toBe(0);
    const source = await dumpTables(a.env);

    const b = await target();
    fs.rmSync(b.dataDir, { recursive: true, force: true });
    const r = await runCli(['restore', file], b.env);
    expect(r.code, r.stderr).toBe(0);
    const restored = await dumpTables(b.env);
    for (const t of ['districts', 'complexes', 'buildings', 'entrances', 'apartments', 'zones', 'users', 'settings']) {
      expect(restored[t], t).toEqual(source[t]);
    }
    // The restored chain holds every source row, then the restore's own entry.
    expect(restored.audit!.slice(0, source.audit!.length)).toEqual(source.audit);
    const v = await runCli(['audit', 'verify'], b.env);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    // A second restore into a non-empty target is refused, nothing is touched.
    const again = await runCli(['restore', file], b.env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/not empty|already holds/);
    // The restored users can sign in: the password hashes came along.
    const srv = await startServerProcess(['start'], b.env);
    const res = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'duty2', password: 'duty2-password-x' }),
    });
    expect(res.status).toBe(200);
    await srv.stop();
  });

  it('reports CLI mistakes in one line with exit code 2', async () => {
    const { env } = await target();
    const r = await runCli(['user', 'add', 'x1', '--role', 'sheriff'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--role must be one of/);
    const bad = await runCli(['frobnicate'], env);
    expect(bad.code).toBe(2);
  });
});
