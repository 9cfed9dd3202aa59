import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeStamp, startSimulator, type Simulator } from '@kuzet/sim';
import { parseFmp4 } from '@kuzet/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { captureLines, closedPort, openSockets, run, silentServer, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from './media.service.ts';

/**
 * The media engine against the camera simulator (a real RTSP server): one upstream
 * session per stream, status reasons for every failure, fMP4 that ffprobe accepts
 * with no frame lost, and no credential in any log line or API response.
 */
const SECRET = 'Dig3st-Secret-42';
const LOOP_FRAMES = 50; // 2 s loops at 25 fps

describe('media engine', { timeout: 120_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const logs = captureLines();
  const ids: Record<string, string> = {};
  const cacheDir = path.join(os.tmpdir(), 'kuzet-sim-test-cache');
  let socketsBefore = 0;

  const status = async (name: string) => (await t.services.cameras.get(ids[name]!)).status.find((s) => s.stream === 'main')!;

  beforeAll(async () => {
    socketsBefore = openSockets();
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [
        { id: 'ok', scene: 'yard-day', codec: 'h264', main: '720p', stampId: 501 },
        { id: 'locked', scene: 'yard-day', codec: 'h264', main: '720p', auth: { kind: 'digest', username: 'viewer', password: SECRET } },
        { id: 'faulty', scene: 'yard-day', codec: 'h264', main: '720p' },
      ],
      httpPort: false,
      loopSeconds: 2,
      cacheDir,
      log: () => undefined,
    });
    silent = await silentServer();
    const refused = await closedPort();
    const add = async (name: string, mainUrl: string, subUrl: string | null) => {
      const c = await t.services.cameras.create(null, t.complexId, {
        name, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl, subUrl, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
      });
      ids[name] = c.id;
    };
    await add('ok', sim.url('ok', 'main'), sim.url('ok', 'sub'));
    await add('locked', sim.url('locked', 'main'), null);
    await add('wrong-password', sim.url('locked', 'main').replace(SECRET, 'Wr0ng-Pa55'), null);
    await add('faulty', sim.url('faulty', 'main'), null);
    await add('refused', `rtsp://viewer:${SECRET}@127.0.0.1:${refused}/cam/x/main`, null);
    await add('silent', `rtsp://127.0.0.1:${silent.port}/cam/x/main`, null);
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('debug', logs.stream), {
      workers: 2,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 3000, keyframeMs: 5000, connectMs: 3000 },
    });
    await media.start();
    await waitUntil(async () => (await status('ok')).state === 'online', 30_000, 'camera ok online');
  }, 180_000);

  afterAll(async () => {
    await media?.stop();
    await sim?.stop();
    await silent?.close();
    await t?.close();
  });

  it('opens exactly one upstream session per stream however many consumers attach', async () => {
    const counts = new Array(8).fill(0);
    const unsubs = counts.map((_, i) =>
      media.subscribe(ids.ok!, i % 2 ? 'sub' : 'main', { onInit: () => undefined, onFragment: () => void counts[i]++ }),
    );
    await waitUntil(() => counts.every((c) => c > 10), 20_000, 'fragments for every consumer');
    expect(sim.sessions('ok', 'main')).toBe(1);
    expect(sim.sessions('ok', 'sub')).toBe(1);
    for (const u of unsubs) u();
    const s = await status('ok');
    expect(s).toMatchObject({ state: 'online', reason: null, codec: 'h264', width: 1280, height: 720 });
  });

  it('produces fMP4 that ffprobe accepts, with no frame lost or repeated (stamps read from decoded pixels)', async () => {
    let init: Uint8Array | null = null;
    const frags: Uint8Array[] = [];
    const unsub = media.subscribe(ids.ok!, 'sub', { onInit: (_c, d) => (init = d), onFragment: (d) => frags.push(d) });
    await waitUntil(() => frags.length >= 120, 20_000, '120 fragments');
    unsub();
    const file = Buffer.concat([init!, ...frags]);
    const parsed = parseFmp4(file);
    expect(parsed.ok).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-fmp4-'));
    const mp4 = path.join(dir, 'live.mp4');
    fs.writeFileSync(mp4, file);
    const probe = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', mp4]);
    expect(probe.code, probe.stderr).toBe(0);
    const stream = (JSON.parse(probe.stdout.toString()) as { streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[] }).streams[0]!;
    expect(stream).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(Number(stream.nb_read_frames)).toBe(frags.length);
    const raw = await run('ffmpeg', ['-v', 'error', '-i', mp4, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    expect(raw.code, raw.stderr).toBe(0);
    const size = 640 * 360;
    const stamps: (ReturnType<typeof decodeStamp>)[] = [];
    for (let o = 0; o + size <= raw.stdout.length; o += size) stamps.push(decodeStamp({ width: 640, height: 360, data: raw.stdout.subarray(o, o + size) }));
    expect(stamps.length).toBe(frags.length);
    expect(stamps.every((s) => s?.id === 501)).toBe(true);
    const steps = stamps.slice(1).map((s, i) => (s!.frame - stamps[i]!.frame + LOOP_FRAMES * 1000) % LOOP_FRAMES);
    expect(new Set(steps)).toEqual(new Set([1]));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects to a Digest-protected camera', async () => {
    await waitUntil(async () => (await status('locked')).state === 'online', 30_000, 'locked online');
  });

  it('gives the right reason for every failure within 30 s, other cameras unaffected', async () => {
    const expectReason = async (name: string, reason: string) => {
      const took = await waitUntil(async () => {
        const s = await status(name);
        return s.state === 'offline' && s.reason === reason;
      }, 30_000, `${name} offline with ${reason}`);
      expect(took).toBeLessThan(30_000);
    };
    await expectReason('wrong-password', 'auth_failed');
    await expectReason('refused', 'refused');
    await expectReason('silent', 'timeout');
    for (const [fault, reason] of [['stall', 'stalled'], ['end', 'ended'], ['garbage', 'garbage']] as const) {
      await waitUntil(async () => (await status('faulty')).state === 'online', 30_000, 'faulty online again');
      sim.setFault('faulty', fault);
      await expectReason('faulty', reason);
      sim.setFault('faulty', 'none');
    }
    await waitUntil(async () => (await status('faulty')).state === 'online', 30_000, 'faulty recovers by itself');
    expect((await status('ok')).state).toBe('online');
    const history = await t.services.cameraHistory.history(ids.faulty!, {});
    expect(history.items.map((i) => i.reason)).toEqual(expect.arrayContaining(['stalled', 'ended', 'garbage']));
  });

  it('keeps memory flat and leaks no socket over repeated failures', async () => {
    const rss = () => process.memoryUsage().rss;
    const statsBefore = await media.stats();
    const before = rss();
    // The refused and silent cameras keep failing and retrying meanwhile (backoff capped at 1 s).
    await new Promise((r) => setTimeout(r, 8000));
    const after = rss();
    expect(after - before).toBeLessThan(40 * 1024 * 1024);
    const stats = await media.stats();
    expect(stats.frames).toBeGreaterThan(statsBefore.frames); // the healthy camera kept flowing
    expect(stats.gopCacheBytes).toBeLessThan(30 * 1024 * 1024);
  });

  it('writes no credential to any log line or API response', async () => {
    const admin = await freshSession(t, 'admin');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras?limit=50`, headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    const events = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras/events?once=true`, headers: { cookie: admin.cookie } });
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: { cookie: admin.cookie } });
    expect(logs.lines.length).toBeGreaterThan(5);
    for (const text of [res.body, events.body, audit.body, ...logs.lines]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('Wr0ng-Pa55');
    }
  });

  it('releases every socket and worker on stop', async () => {
    await media.stop();
    await sim.stop();
    await silent.close();
    await waitUntil(() => openSockets() <= socketsBefore + 2, 10_000, 'sockets closed');
  });
});
