import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AlertFeedMessage } from '@kuzet/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../app.ts';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createLogger } from '../../platform/logger.ts';
import { loadOrCreateSecrets } from '../../platform/secrets.ts';
import { createServices, type Services } from '../../services.ts';
import { createTestEnv, type TestEnv } from '../../testing/test-db.ts';
import { DemoService } from '../demo/demo.service.ts';
import { aTestCamera } from '../../testing/cameras.ts';
import { TEST_PASSWORD } from '../../testing/test-app.ts';

/**
 * Acceptance 4: a console that disconnects while alerts fire, and a server restarted between
 * two alerts, deliver each missed alert exactly once — the feed is the table. A real server
 * on a free port, a real WebSocket client, PGlite closed and reopened on the same data dir.
 */
interface Server {
  app: FastifyInstance;
  services: Services;
  handle: DatabaseHandle;
  base: string;
  complexId: string;
}

async function open(env: TestEnv, handle: DatabaseHandle): Promise<Server> {
  const clock = new ManualClock(Date.now());
  const secrets = loadOrCreateSecrets(env.config.secretFile);
  const services = createServices({ config: env.config, db: handle.db, secrets, clock });
  await new DemoService(handle.db, services).seed(TEST_PASSWORD);
  const app = await buildApp({ config: env.config, services, logger: createLogger('silent') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const complexId = (await services.siteRepo.complexes(null))[0]!.id;
  return { app, services, handle, base: `http://127.0.0.1:${port}`, complexId };
}

class Console {
  readonly messages: AlertFeedMessage[] = [];
  ws!: WebSocket;
  constructor(private readonly cookie: string) {}

  connect(base: string, after: number | null): Promise<void> {
    const url = `${base.replace('http', 'ws')}/api/v1/alerts/live${after === null ? '' : `?after=${after}`}`;
    const from = this.messages.length;
    this.ws = new WebSocket(url, { headers: { cookie: this.cookie, origin: base } });
    this.ws.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString()) as AlertFeedMessage));
    return this.until(() => this.messages.slice(from).some((m) => m.type === 'caught-up'), 'caught-up');
  }

  async disconnect(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => {
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }

  /** What the console stores: the largest feedSeq it processed. */
  lastSeq(): number {
    return Math.max(0, ...this.messages.flatMap((m) => (m.type === 'alert' ? [m.feedSeq] : [])));
  }

  alertIds(): string[] {
    return this.messages.flatMap((m) => (m.type === 'alert' ? [m.alert.id] : []));
  }

  async until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function signIn(s: Server, username: string): Promise<string> {
  const res = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

const aCamera = (s: Server) => aTestCamera(s, { type: 'playground' });

/** A figure enters the zone: the detector's report, as DetectionService would send it. */
async function motion(s: Server, cameraId: string): Promise<string> {
  const r = await s.services.events.store({
    eventKey: crypto.randomUUID(),
    cameraId,
    kind: 'motion',
    zoneId: null,
    cause: null,
    phase: 'start',
    startedAt: Date.now(),
    endedAt: null,
    peakScore: 0.7,
    boxes: [{ at: Date.now(), box: { x: 0.3, y: 0.4, w: 0.1, h: 0.25 } }],
    snapshotJpeg: null,
    label: null,
  });
  const row = await s.handle.db.selectFrom('alerts').select('id').where('eventId', '=', r!.eventId).executeTakeFirstOrThrow();
  return row.id;
}

function countById(ids: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

describe('the alert feed over WebSocket: exactly once across reconnects and restarts', () => {
  let env: TestEnv;
  let s: Server;
  beforeAll(async () => {
    env = await createTestEnv();
    s = await open(env, env.handle);
  });
  afterAll(async () => {
    await s?.app.close();
    if (s && s.handle !== env.handle) {
      await s.handle.close();
      fs.rmSync(env.dataDir, { recursive: true, force: true });
    } else await env?.cleanup();
  });

  it('live, then disconnected for 30 s while alerts fire, then reconnected: each missed alert once, then live again', { timeout: 120_000 }, async () => {
    const cameraId = await aCamera(s);
    const c = new Console(await signIn(s, 'operator'));
    await c.connect(s.base, await s.services.alerts.currentSeq(s.complexId));
    const a1 = await motion(s, cameraId);
    await c.until(() => c.alertIds().includes(a1), 'the live alert');
    expect(c.messages.find((m) => m.type === 'alert')).toMatchObject({ alert: { id: a1, status: 'new', event: { kind: 'motion', cameraId } } });

    await c.disconnect();
    // Away for 30 s while alerts fire: at the start, in the middle, at the end.
    const missed: string[] = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 15_000));
      missed.push(await motion(s, cameraId));
    }
    const after = c.lastSeq();
    const before = c.messages.length;
    await c.connect(s.base, after);
    const replay = c.messages.slice(before);
    // The replay is the missed alerts in order, then caught-up.
    expect(replay.map((m) => (m.type === 'alert' ? m.alert.id : m.type))).toEqual([...missed, 'caught-up']);
    const a5 = await motion(s, cameraId);
    await c.until(() => c.alertIds().includes(a5), 'live after the replay');
    const counts = countById(c.alertIds());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()]).toEqual([a1, ...missed, a5]);
    // The feed seqs the console saw only grow.
    const seqs = c.messages.flatMap((m) => (m.type === 'alert' ? [m.feedSeq] : []));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // A status change is a feed row too: the same alert, newer state.
    const operator = await s.services.users.findRowByUsername('operator');
    const actor = { id: operator!.id, username: 'operator', displayName: operator!.displayName, role: 'operator' as const, complexId: s.complexId, districtId: null };
    await s.services.alerts.acknowledge(actor, a5, undefined);
    await c.until(() => c.messages.some((m) => m.type === 'alert' && m.alert.id === a5 && m.alert.status === 'acknowledged'), 'the acknowledgement');
    await c.disconnect();

    // Reconnecting with nothing new replays nothing.
    const n = c.messages.length;
    await c.connect(s.base, c.lastSeq());
    expect(c.messages.slice(n).map((m) => m.type)).toEqual(['caught-up']);
    await c.disconnect();

    // A seq from another database (ahead of this one) starts from now instead of waiting forever.
    const m = c.messages.length;
    await c.connect(s.base, c.lastSeq() + 1000);
    const caught = c.messages.slice(m).find((x) => x.type === 'caught-up');
    expect(caught).toEqual({ type: 'caught-up', seq: await s.services.alerts.currentSeq(s.complexId) });
    const a6 = await motion(s, cameraId);
    await c.until(() => c.alertIds().includes(a6), 'live after a reset');
    await c.disconnect();
  });

  it('a server restarted between two alerts: the reconnecting console gets both, once each', async () => {
    const cameraId = await aCamera(s);
    const c = new Console(await signIn(s, 'operator'));
    await c.connect(s.base, await s.services.alerts.currentSeq(s.complexId));
    const first = await motion(s, cameraId);
    await c.until(() => c.alertIds().includes(first), 'the first alert');
    await c.disconnect();
    const whileDown = await motion(s, cameraId); // fired after the console lost the server

    // Restart: the app closed and a new one opened — on PGlite with the database closed and reopened
    // on the same data dir (PostgreSQL outlives the server anyway; its test database is dropped by cleanup).
    await s.app.close();
    let handle = s.handle;
    if (env.engine === 'pglite') {
      await s.handle.close();
      handle = await openDatabase(env.config.database);
    }
    s = await open(env, handle);
    const afterRestart = await motion(s, cameraId);

    const before = c.messages.length;
    await c.connect(s.base, c.lastSeq());
    const replay = c.messages.slice(before);
    expect(replay.map((m) => (m.type === 'alert' ? m.alert.id : m.type))).toEqual([whileDown, afterRestart, 'caught-up']);
    const counts = countById(c.alertIds());
    expect([...counts.entries()]).toEqual([
      [first, 1],
      [whileDown, 1],
      [afterRestart, 1],
    ]);
    // The alert seq never went back after the restart.
    const seqs = c.messages.flatMap((m) => (m.type === 'alert' ? [m.alert.seq] : []));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await c.disconnect();
  });

  it('refuses a feed without a session and from another site', async () => {
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${s.base.replace('http', 'ws')}/api/v1/alerts/live`, { headers });
        ws.on('unexpected-response', (req, res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        ws.on('open', () => {
          resolve(101);
          ws.terminate();
        });
        ws.on('error', () => resolve(-1));
      });
    expect(await refused({ origin: s.base })).toBe(401);
    expect(await refused({ cookie: await signIn(s, 'operator'), origin: 'http://evil.example' })).toBe(403);
    expect(await refused({ cookie: await signIn(s, 'partner'), origin: s.base })).toBe(403);
  });
});
