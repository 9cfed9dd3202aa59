import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LIVE_FRAME_INIT, LIVE_FRAME_MEDIA, LIVE_WALL_PATH, liveCloseCodes } from '@kuzet/contracts';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../platform/logger.ts';
import { openSockets, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from '../media/media.service.ts';
import { LiveHub } from './live-hub.ts';

/**
 * Live video over WebSocket from the real server: starts at the GOP cache, shares the
 * upstream session, refuses partners without a grant and cross-site pages, and leaves
 * nothing behind after many viewers come and go; H.265 goes through an on-demand
 * transcoder that stops after the last viewer.
 */
/** ffmpeg processes whose parent is this process. */
function ffmpegChildren(): number {
  let n = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && stat.includes('(ffmpeg)')) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

interface Viewer {
  ws: WebSocket;
  texts: { type: string; [k: string]: unknown }[];
  frames: { kind: number; keyframe: boolean; at: number }[];
  openedAt: number;
}

describe('live hub', { timeout: 180_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let hub: LiveHub;
  let base = '';
  let cookie = '';
  const ids: Record<string, string> = {};

  function view(cameraId: string, stream: 'sub' | 'main' = 'sub', headers: Record<string, string> = {}): Viewer {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/cameras/${cameraId}/live?stream=${stream}`, { headers: { cookie, origin: base, ...headers } });
    const v: Viewer = { ws, texts: [], frames: [], openedAt: Date.now() };
    ws.on('message', (data, isBinary) => {
      if (!isBinary) v.texts.push(JSON.parse(data.toString()) as Viewer['texts'][number]);
      else {
        const b = data as Buffer;
        v.frames.push({ kind: b[0]!, keyframe: (b[1]! & 1) === 1, at: Date.now() });
      }
    });
    ws.on('error', () => undefined);
    return v;
  }
  interface WallViewer {
    ws: WebSocket;
    texts: { type: string; channel: number; [k: string]: unknown }[];
    frames: { kind: number; keyframe: boolean; channel: number }[];
    opened: Promise<void>;
  }
  /** The wall's one socket. */
  function wall(cookieOf = cookie): WallViewer {
    const ws = new WebSocket(`${base.replace('http', 'ws')}${LIVE_WALL_PATH}`, { headers: { cookie: cookieOf, origin: base } });
    const v: WallViewer = { ws, texts: [], frames: [], opened: new Promise((r) => ws.once('open', () => r())) };
    ws.on('message', (data, isBinary) => {
      if (!isBinary) v.texts.push(JSON.parse(data.toString()) as WallViewer['texts'][number]);
      else {
        const b = data as Buffer;
        v.frames.push({ kind: b[0]!, keyframe: (b[1]! & 1) === 1, channel: b.readUInt16BE(2) });
      }
    });
    ws.on('error', () => undefined);
    return v;
  }
  const subscribe = (v: WallViewer, channel: number, cameraId: string, stream: 'sub' | 'main' = 'sub') =>
    v.ws.send(JSON.stringify({ type: 'subscribe', channel, cameraId, stream }));
  const mediaOn = (v: WallViewer, channel: number) => v.frames.filter((f) => f.channel === channel && f.kind === LIVE_FRAME_MEDIA).length;
  const liveViews = async (actorId: string) =>
    (await t.services.audit.list({ limit: 200, offset: 0, action: 'video.live_viewed', actorId }, null)).items.map((e) => e.subjectId);
  const closed = (v: Viewer) => new Promise<void>((r) => (v.ws.readyState === WebSocket.CLOSED ? r() : v.ws.once('close', () => r())));

  beforeAll(async () => {
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [
        { id: 'live264', scene: 'entrance-day', codec: 'h264', main: '720p' },
        { id: 'live265', scene: 'entrance-day', codec: 'h265', main: '720p' },
      ],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    for (const id of ['live264', 'live265']) {
      const c = await t.services.cameras.create(null, t.complexId, {
        name: id, type: 'entrance', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub'), username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
      });
      ids[id] = c.id;
    }
    const log = createLogger('silent');
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, log, { workers: 1 });
    hub = new LiveHub(media, log, 1000);
    const { buildApp } = await import('../../app.ts');
    const app = await buildApp({ config: t.env.config, services: t.services, logger: log, hub });
    await media.start();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    t.app = app as unknown as TestApp['app'];
    cookie = (await freshSession(t, 'operator')).cookie;
    await waitUntil(() => ['live264', 'live265'].every((k) => media.statusOf(ids[k]!)?.every((s) => s.state === 'online')), 60_000, 'cameras online');
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it('starts a viewer at the cached keyframe at once, then streams live', async () => {
    const v = view(ids.live264!);
    await waitUntil(() => v.frames.filter((f) => f.kind === LIVE_FRAME_MEDIA).length >= 30, 20_000, '30 live frames');
    expect(v.texts[0]).toMatchObject({ type: 'status', state: 'online' });
    expect(v.texts.find((m) => m.type === 'codec')).toMatchObject({ codec: expect.stringMatching(/^avc1\./), width: 640, height: 360, transcoded: false });
    const init = v.frames.findIndex((f) => f.kind === LIVE_FRAME_INIT);
    const first = v.frames[init + 1]!;
    expect(first).toMatchObject({ kind: LIVE_FRAME_MEDIA, keyframe: true });
    // The GOP cache arrives in one burst: the first picture is there well before the next keyframe would be (2 s GOP).
    expect(first.at - v.openedAt).toBeLessThan(1000);
    expect(sim.sessions('live264', 'sub')).toBe(1);
    v.ws.close();
    await closed(v);
  });

  it('opening and closing 16 tiles 50 times leaves no WebSocket, consumer, ffmpeg or socket behind', async () => {
    const socketsBefore = openSockets();
    for (let round = 0; round < 50; round++) {
      // One tile in eight is the H.265 camera: its transcoder starts and stops with the viewers.
      const tiles = Array.from({ length: 16 }, (_, i) => view(i % 8 === 7 ? ids.live265! : ids.live264!, i % 4 === 0 ? 'main' : 'sub'));
      await waitUntil(() => tiles.every((v) => v.ws.readyState === WebSocket.OPEN), 10_000, 'tiles open');
      for (const v of tiles) v.ws.close();
      await Promise.all(tiles.map(closed));
    }
    await waitUntil(async () => hub.viewerCount === 0 && (await media.stats()).consumers === 0, 10_000, 'no viewer or consumer left');
    await waitUntil(() => hub.transcoderCount === 0 && ffmpegChildren() === 0, 10_000, 'no transcoder or ffmpeg left');
    await waitUntil(() => openSockets() <= socketsBefore + 2, 10_000, 'sockets released');
    expect(sim.sessions('live264', 'sub')).toBe(1);
    expect(sim.sessions('live264', 'main')).toBe(1);
  });

  it('plays an H.265 camera as H.264 through one transcoder that stops after the last viewer', async () => {
    const viewers = [view(ids.live265!), view(ids.live265!)];
    await waitUntil(() => viewers.every((v) => v.frames.filter((f) => f.kind === LIVE_FRAME_MEDIA).length >= 10), 60_000, 'transcoded frames');
    for (const v of viewers) expect(v.texts.find((m) => m.type === 'codec')).toMatchObject({ codec: expect.stringMatching(/^avc1\./), transcoded: true });
    expect(hub.transcoderCount).toBe(1);
    for (const v of viewers) v.ws.close();
    const took = await waitUntil(() => hub.transcoderCount === 0, 10_000, 'transcoder stopped');
    expect(took).toBeLessThan(10_000);
  });

  it("carries several tiles over one socket, authorizes each camera: a partner's camera without a grant is refused alone, every view audited", async () => {
    const partner = await freshSession(t, 'partner');
    const admin = (await t.services.users.findRowByUsername('admin'))!;
    const actor = { id: admin.id, username: 'admin', displayName: '', role: 'admin' as const, complexId: null, districtId: admin.districtId };
    await t.services.cameraGrants.create(actor, ids.live264!, t.complexId, { userId: partner.userId, reason: 'Проверка', expiresAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() });
    const v = wall(partner.cookie);
    await v.opened;
    subscribe(v, 1, ids.live264!, 'sub');
    subscribe(v, 2, ids.live265!, 'sub'); // no grant for this one
    subscribe(v, 3, ids.live264!, 'main');
    subscribe(v, 4, '00000000-0000-4000-8000-000000000000', 'sub');
    await waitUntil(() => mediaOn(v, 1) >= 10 && mediaOn(v, 3) >= 10, 20_000, 'frames on channels 1 and 3');
    const refused = v.texts.filter((m) => m.type === 'refused').sort((a, b) => a.channel - b.channel);
    expect(refused).toEqual([
      { type: 'refused', channel: 2, code: liveCloseCodes.forbidden },
      { type: 'refused', channel: 4, code: liveCloseCodes.notFound },
    ]);
    expect(v.frames.filter((f) => f.channel === 2 || f.channel === 4)).toEqual([]);
    // Each channel starts with its own init segment and the cached keyframe.
    for (const ch of [1, 3]) {
      const mine = v.frames.filter((f) => f.channel === ch);
      expect(mine[0]).toMatchObject({ kind: LIVE_FRAME_INIT });
      expect(mine[1]).toMatchObject({ kind: LIVE_FRAME_MEDIA, keyframe: true });
      expect(v.texts.find((m) => m.channel === ch && m.type === 'codec')).toBeDefined();
    }
    expect(v.ws.readyState).toBe(WebSocket.OPEN);
    // One audit row per camera viewed, none for the refused ones.
    expect((await liveViews(partner.userId)).sort()).toEqual([ids.live264!, ids.live264!]);
    // Unsubscribing stops that channel only.
    v.ws.send(JSON.stringify({ type: 'unsubscribe', channel: 1 }));
    const before = mediaOn(v, 1);
    await waitUntil(() => mediaOn(v, 3) >= before + 20, 20_000, 'channel 3 goes on');
    expect(mediaOn(v, 1)).toBeLessThanOrEqual(before + 2); // what was already in flight
    // Signed out meanwhile: the open socket takes no new view.
    const session = await t.services.auth.authenticate(/kuzet_session=([^;]+)/.exec(partner.cookie)![1]);
    await t.services.auth.logout(session!);
    subscribe(v, 5, ids.live264!, 'sub');
    await waitUntil(() => v.texts.some((m) => m.type === 'refused' && m.channel === 5), 10_000, 'refusal after sign-out');
    expect(v.texts.find((m) => m.channel === 5)).toEqual({ type: 'refused', channel: 5, code: liveCloseCodes.unauthenticated });
    v.ws.close();
    await waitUntil(() => hub.viewerCount === 0, 10_000, 'no viewer left');
  });

  it('streams nothing that was not audited: a failing audit log refuses the view (both endpoints)', async () => {
    const failing = vi.spyOn(t.services.audit, 'append').mockRejectedValue(new Error('the database is down'));
    const failingMany = vi.spyOn(t.services.audit, 'appendMany').mockRejectedValue(new Error('the database is down'));
    try {
      const single = view(ids.live264!);
      let code = 0;
      single.ws.once('close', (c) => (code = c));
      // Either the refusal or (the defect) video with no record behind it.
      await waitUntil(() => code !== 0 || single.frames.length > 0, 20_000, 'refusal or video');
      expect(single.frames).toEqual([]);
      expect(code).toBe(liveCloseCodes.unavailable);
      const v = wall();
      await v.opened;
      subscribe(v, 9, ids.live264!);
      await waitUntil(() => v.texts.some((m) => m.type === 'refused'), 10_000, 'refusal');
      expect(v.texts.find((m) => m.type === 'refused')).toEqual({ type: 'refused', channel: 9, code: liveCloseCodes.unavailable });
      expect(v.frames).toEqual([]);
      expect(hub.viewerCount).toBe(0);
      v.ws.close();
    } finally {
      failing.mockRestore();
      failingMany.mockRestore();
    }
  });

  it('refuses a partner without a grant and a page of another origin', async () => {
    const partner = await freshSession(t, 'partner');
    const noGrant = new WebSocket(`${base.replace('http', 'ws')}/api/v1/cameras/${ids.live264}/live`, { headers: { cookie: partner.cookie, origin: base } });
    const status = await new Promise<number>((r) => noGrant.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(403);
    const foreign = new WebSocket(`${base.replace('http', 'ws')}/api/v1/cameras/${ids.live264}/live`, { headers: { cookie, origin: 'http://evil.example' } });
    expect(await new Promise<number>((r) => foreign.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)))).toBe(403);
    const audit = await t.services.audit.list({ limit: 200, offset: 0, action: 'video.live_viewed' }, null);
    expect(audit.total).toBeGreaterThan(100); // every live view is logged
    const foreignWall = new WebSocket(`${base.replace('http', 'ws')}${LIVE_WALL_PATH}`, { headers: { cookie, origin: 'http://evil.example' } });
    expect(await new Promise<number>((r) => foreignWall.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)))).toBe(403);
  });
});
