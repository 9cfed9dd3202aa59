import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { decodeStamp, startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcesses, run, waitUntil } from '../../testing/media-helpers.ts';
import { transcodeToH264 } from './ffmpeg-child.ts';
import { createTestApp, type SignedIn, type TestApp } from '../../testing/test-app.ts';
import { listBoxes } from '@kuzet/media';
import { chromium } from 'playwright-core';
import { captureFromSimulator, encodedFootage, grayFrames, recordingEvent, statusEvent, writeRecording, type Footage, type WrittenRecording } from './testing/recording-fixture.ts';

/**
 * Playback against real recorded files: footage pulled from the camera simulator over
 * RTSP, written in the recorder's format (decision 0005) with index rows, then read back
 * through the API — timestamps checked with ffprobe, pictures by the stamps drawn into
 * every simulated frame and read back from decoded pixels.
 */
const W = 640;
const H = 360;
const LOOP_FRAMES = 100; // 4 s loops at 25 fps
const T0 = Date.parse('2026-11-29T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('playback API', { timeout: 180_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let footage: Footage;
  let cameraId: string;
  let h265Camera: string;
  let root: string;
  const files: Record<string, WrittenRecording> = {};
  const as: Record<string, SignedIn> = {};

  const get = (role: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: as[role]!.cookie } });
  const post = (role: string, url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: { cookie: as[role]!.cookie, 'x-csrf-token': as[role]!.csrf } });
  const media = (role: string, cam: string, q: Record<string, number>) =>
    get(role, `/api/v1/cameras/${cam}/recordings/media?${new URLSearchParams(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, iso(v)])))}`);
  const addCamera = async (name: string) =>
    (
      await t.services.cameras.create(null, t.complexId, {
        name, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: 'rtsp://127.0.0.1:1/none', subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: false,
      })
    ).id;
  const write = (cam: string, startMs: number, first: number, count: number, f = footage) =>
    writeRecording({ db: t.env.handle.db, root, complexId: t.complexId, cameraId: cam, footage: f, startMs, first, count });

  beforeAll(async () => {
    t = await createTestApp();
    root = t.env.config.recordings.dir;
    for (const role of ['inspector', 'operator', 'partner', 'admin'] as const) as[role] = await t.signIn(role);
    sim = await startSimulator({
      cameras: [{ id: 'pb', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 777 }],
      httpPort: false,
      loopSeconds: 4,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    footage = await captureFromSimulator(sim, 'pb', 200, { loopFrames: LOOP_FRAMES, width: W, height: H });
    await sim.stop();
    cameraId = await addCamera('Двор 1');
    // A and B touch (8 s, B starts where A ends); a minute without footage (disk full);
    // C; the camera went offline (status only); D; a hole with no reason; E.
    files.a = await write(cameraId, T0, 0, 100);
    files.b = await write(cameraId, files.a.endMs, 100, 100);
    await recordingEvent(t.env.handle.db, { complexId: t.complexId, cameraId, at: new Date(files.b.endMs + 200), kind: 'stopped', reason: 'disk_full' });
    await recordingEvent(t.env.handle.db, { complexId: t.complexId, cameraId, at: new Date(T0 + 63_900), kind: 'started' });
    files.c = await write(cameraId, T0 + 64_000, 0, 100);
    await statusEvent(t.env.handle.db, { complexId: t.complexId, cameraId, at: new Date(T0 + 70_000), state: 'offline', reason: 'timeout' });
    await statusEvent(t.env.handle.db, { complexId: t.complexId, cameraId, at: new Date(T0 + 119_000), state: 'online' });
    files.d = await write(cameraId, T0 + 120_000, 0, 50);
    files.e = await write(cameraId, T0 + 200_000, 0, 50);
    h265Camera = await addCamera('Подъезд H265');
    const hevc = await encodedFootage({ codec: 'h265', seconds: 3, width: 320, height: 180 });
    files.h = await writeRecording({ db: t.env.handle.db, root, complexId: t.complexId, cameraId: h265Camera, footage: hevc, startMs: T0, first: 0, count: 75 });
  }, 180_000);

  afterAll(async () => {
    await sim?.stop();
    await t?.close();
  });

  it('timeline: touching files merged, gaps with their reasons', async () => {
    const res = await get('operator', `/api/v1/cameras/${cameraId}/recordings/timeline?from=${iso(T0 - 10_000)}&to=${iso(T0 + 210_000)}`);
    expect(res.statusCode, res.body).toBe(200);
    const tl = res.json() as { ranges: { start: string; end: string }[]; gaps: { start: string; end: string; reason: string }[] };
    expect(tl.ranges).toEqual([
      { start: iso(T0), end: iso(files.b!.endMs) },
      { start: iso(files.c!.startMs), end: iso(files.c!.endMs) },
      { start: iso(files.d!.startMs), end: iso(files.d!.endMs) },
      { start: iso(files.e!.startMs), end: iso(files.e!.endMs) },
    ]);
    expect(tl.gaps).toEqual([
      { start: iso(T0 - 10_000), end: iso(T0), reason: 'unknown' },
      { start: iso(files.b!.endMs), end: iso(files.c!.startMs), reason: 'disk_full' },
      { start: iso(files.c!.endMs), end: iso(files.d!.startMs), reason: 'camera_offline' },
      { start: iso(files.d!.endMs), end: iso(files.e!.startMs), reason: 'unknown' },
      { start: iso(files.e!.endMs), end: iso(T0 + 210_000), reason: 'unknown' },
    ]);
  });

  it('lists the files of a range, paged', async () => {
    const res = await get('operator', `/api/v1/cameras/${cameraId}/recordings?from=${iso(T0)}&to=${iso(T0 + 100_000)}&limit=2&offset=1`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { total: number; items: { start: string; state: string; held: boolean; bytes: number }[] };
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.start)).toEqual([iso(files.b!.startMs), iso(files.c!.startMs)]);
    expect(page.items[0]).toMatchObject({ state: 'closed', held: false, bytes: files.b!.bytes });
  });

  it('media: a continuous fMP4 from the keyframe before `from`, on the origin timeline, the right picture at `from`', async () => {
    const origin = T0 - 60_000;
    const from = T0 + 1_500; // between keyframes (0 and 2 s into file A)
    const res = await media('operator', cameraId, { from, origin });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['x-kuzet-start']).toBe(iso(T0));
    expect(res.headers['x-kuzet-end']).toBe(iso(files.b!.endMs)); // the contiguous range ends there
    expect(res.headers['x-kuzet-next']).toBe(iso(files.c!.startMs));
    const body = res.rawPayload;
    const top = listBoxes(body);
    expect(top.ok).toBe(true);
    // A and B have the same init: sent once.
    expect(top.ok && top.boxes.filter((b) => b.type === 'moov').length).toBe(1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-pb-'));
    const file = path.join(dir, 'media.mp4');
    fs.writeFileSync(file, body);
    const probe = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file]);
    expect(probe.code, probe.stderr).toBe(0);
    const pts = probe.stdout.toString().trim().split('\n').map(Number);
    expect(pts.length).toBe(200);
    expect(pts[0]).toBeCloseTo((T0 - origin) / 1000, 3);
    // Continuous across the file boundary: every step one frame.
    const steps = new Set(pts.slice(1).map((p, i) => Math.round((p - pts[i]!) * 1000)));
    expect(steps).toEqual(new Set([40]));
    const frames = await grayFrames(body, W, H);
    expect(frames.length).toBe(200);
    // The picture shown at media time (from − origin) is the camera's frame at wall time `from`.
    const t = (from - origin) / 1000;
    const k = pts.findLastIndex((p) => p <= t + 1e-6);
    const truth = files.a!.frames.findLast((f) => f.wallMs <= from)!;
    const stamp = decodeStamp({ width: W, height: H, data: frames[k]! });
    expect(stamp).toEqual({ id: 777, frame: truth.stamp });
    // Every picture is the frame recorded for its wall time (A then B, no frame lost or repeated).
    const all = [...files.a!.frames, ...files.b!.frames].map((f) => f.stamp);
    expect(frames.map((f) => decodeStamp({ width: W, height: H, data: f })?.frame)).toEqual(all);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('media: crossing a file boundary inside the window is continuous; `to` ends at the next keyframe', async () => {
    const origin = T0;
    const res = await media('operator', cameraId, { from: T0 + 3_900, to: T0 + 5_000, origin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-kuzet-start']).toBe(iso(T0 + 2_000));
    expect(res.headers['x-kuzet-end']).toBe(iso(files.b!.startMs + 2_000));
    expect(res.headers['x-kuzet-next']).toBe(iso(files.b!.startMs + 2_000));
    const frames = await grayFrames(res.rawPayload, W, H);
    const stamps = frames.map((f) => decodeStamp({ width: W, height: H, data: f })?.frame);
    expect(stamps).toEqual([...files.a!.frames.slice(50), ...files.b!.frames.slice(0, 50)].map((f) => f.stamp));
  });

  it('media: from inside a gap starts at the next footage; nothing after it is a 404 with a message', async () => {
    const res = await media('operator', cameraId, { from: T0 + 30_000, origin: T0 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-kuzet-start']).toBe(iso(files.c!.startMs));
    const none = await media('operator', cameraId, { from: T0 + 400_000, origin: T0 });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'RECORDING_NOT_FOUND' } });
  });

  it('bad parameters get a 400 that says what to change', async () => {
    const cases: [string, RegExp][] = [
      [`/api/v1/cameras/${cameraId}/recordings/media?from=${iso(T0)}&origin=${iso(T0 + 1000)}`, /origin.*must not be after/],
      [`/api/v1/cameras/${cameraId}/recordings/media?from=${iso(T0)}&origin=${iso(T0)}&to=${iso(T0 - 1)}`, /"to".*must be after/],
      [`/api/v1/cameras/${cameraId}/recordings/timeline?from=${iso(T0)}&to=${iso(T0 + 8 * 86_400_000)}`, /at most 7 days/],
      [`/api/v1/cameras/${cameraId}/recordings/timeline?from=yesterday&to=${iso(T0)}`, /./],
      [`/api/v1/cameras/${cameraId}/recordings/snapshot?at=${iso(Date.now() + 3_600_000)}`, /future/],
    ];
    for (const [url, msg] of cases) {
      const res = await get('inspector', url);
      expect(res.statusCode, url).toBe(400);
      const e = res.json() as { error: { code: string; message: string; details?: { fields: { message: string }[] } } };
      expect(e.error.code).toBe('VALIDATION_FAILED');
      expect(`${e.error.message} ${e.error.details?.fields.map((f) => f.message).join(' ')}`).toMatch(msg);
    }
    const long = await post('inspector', `/api/v1/cameras/${cameraId}/recordings/clips`, { start: iso(T0), end: iso(T0 + 3_601_000) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toMatch(/at most 60 minutes/);
  });

  it('snapshot: the JPEG of the frame at that instant', async () => {
    const at = T0 + 2_500 + 10; // frame 62 of file A (past a fragment and a keyframe)
    const res = await get('inspector', `/api/v1/cameras/${cameraId}/recordings/snapshot?at=${iso(at)}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    const [gray] = await grayFrames(res.rawPayload, W, H);
    const truth = files.a!.frames.findLast((f) => f.wallMs <= at)!;
    expect(decodeStamp({ width: W, height: H, data: gray! })).toEqual({ id: 777, frame: truth.stamp });
    const gap = await get('inspector', `/api/v1/cameras/${cameraId}/recordings/snapshot?at=${iso(T0 + 30_000)}`);
    expect(gap.statusCode).toBe(404);
  });

  it('clip: an ordinary MP4 of the range — full duration, not fragmented, creation time set, named by camera and Almaty time', async () => {
    const res = await post('inspector', `/api/v1/cameras/${cameraId}/recordings/clips`, { start: iso(T0 + 1_000), end: iso(T0 + 7_000) });
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json() as { id: string; state: string };
    await t.services.playback.clips.settled(job.id);
    const done = await get('inspector', `/api/v1/cameras/${cameraId}/recordings/clips/${job.id}`);
    expect(done.json()).toMatchObject({ state: 'done', progress: 1, fileName: 'двор-1_2026-11-29_15-00-00.mp4' });
    // Another exporter does not see someone else's clip.
    expect((await get('admin', `/api/v1/cameras/${cameraId}/recordings/clips/${job.id}`)).statusCode).toBe(404);
    const file = await get('inspector', `/api/v1/cameras/${cameraId}/recordings/clips/${job.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('двор-1_2026-11-29_15-00-00.mp4')}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-clip-'));
    const mp4 = path.join(dir, 'clip.mp4');
    fs.writeFileSync(mp4, file.rawPayload);
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:format_tags=creation_time:stream=nb_frames,codec_name', '-of', 'json', mp4]);
    expect(probe.code, probe.stderr).toBe(0);
    const info = JSON.parse(probe.stdout.toString()) as { format: { duration: string; tags: { creation_time: string } }; streams: { nb_frames: string; codec_name: string }[] };
    // From the keyframe at the start of file A (T0) to the requested end: 7 s.
    expect(Number(info.format.duration)).toBeCloseTo(7, 0);
    expect(Number(info.streams[0]!.nb_frames)).toBe(175);
    expect(info.format.tags.creation_time).toBe(iso(T0).replace('Z', '000Z'));
    const boxes = listBoxes(file.rawPayload);
    const types = boxes.ok ? boxes.boxes.map((b) => b.type) : [];
    expect(types).not.toContain('moof');
    expect(types.indexOf('moov')).toBeLessThan(types.indexOf('mdat')); // +faststart
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('H.265 footage is transcoded to H.264 on the same timeline', async () => {
    const origin = T0 - 1000;
    const res = await media('operator', h265Camera, { from: T0 + 500, origin });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['x-kuzet-transcoded']).toBe('h265');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-pb265-'));
    const file = path.join(dir, 'media.mp4');
    fs.writeFileSync(file, res.rawPayload);
    const probe = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:packet=pts_time', '-of', 'json', file]);
    expect(probe.code, probe.stderr).toBe(0);
    const info = JSON.parse(probe.stdout.toString()) as { streams: { codec_name: string }[]; packets: { pts_time: string }[] };
    expect(info.streams[0]!.codec_name).toBe('h264');
    expect(info.packets.length).toBe(75);
    expect(Number(info.packets[0]!.pts_time)).toBeCloseTo((T0 - origin) / 1000, 3);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the H.265 transcoder is killed when the client goes away', async () => {
    const before = childProcesses('ffmpeg');
    let release: () => void = () => undefined;
    const never = new Promise<void>((r) => (release = r));
    // Input that never ends (a viewer paused on a long recording): ffmpeg waits for more.
    const input = (async function* () {
      yield fs.readFileSync(files.h!.abs);
      await never;
    })();
    const warn: string[] = [];
    const t265 = transcodeToH264(input, { warn: (_o, m) => warn.push(m) });
    await new Promise<void>((r) => t265.stream.once('data', () => r()));
    expect(childProcesses('ffmpeg')).toBeGreaterThan(before);
    t265.stream.destroy(); // what the route does when the socket closes
    await waitUntil(() => childProcesses('ffmpeg') === before, 10_000, 'ffmpeg gone');
    release();
    expect(warn).toEqual([]);
  });

  it('roles: partners never see footage; an operator plays back but exports nothing', async () => {
    const tl = `/api/v1/cameras/${cameraId}/recordings/timeline?from=${iso(T0)}&to=${iso(T0 + 60_000)}`;
    expect((await get('partner', tl)).statusCode).toBe(403);
    expect((await media('partner', cameraId, { from: T0, origin: T0 })).statusCode).toBe(403);
    expect((await media('operator', cameraId, { from: T0, origin: T0 })).statusCode).toBe(200);
    expect((await get('operator', `/api/v1/cameras/${cameraId}/recordings/snapshot?at=${iso(T0 + 100)}`)).statusCode).toBe(403);
    expect((await post('operator', `/api/v1/cameras/${cameraId}/recordings/clips`, { start: iso(T0), end: iso(T0 + 1000) })).statusCode).toBe(403);
  });

  it('audit: playback (one row per viewing), snapshots and clip downloads, with camera and time range', async () => {
    const db = t.env.handle.db;
    const rows = async (action: string) =>
      db.selectFrom('auditLog as l').leftJoin('auditDetails as d', 'd.seq', 'l.seq').select(['l.actorId', 'l.subjectId', 'l.action', 'd.details']).where('l.action', '=', action).where('l.subjectId', '=', cameraId).orderBy('l.seq').execute();
    const fresh = await t.signIn('district_chief');
    as.chief = fresh;
    const before = (await rows('video.playback_viewed')).length;
    // One viewing asking chunk after chunk: one row.
    const r1 = await media('chief', cameraId, { from: T0, to: T0 + 2_000, origin: T0 });
    await media('chief', cameraId, { from: T0 + 2_000, to: T0 + 4_000, origin: T0 });
    const played = (await rows('video.playback_viewed')).slice(before);
    expect(r1.statusCode).toBe(200);
    expect(played).toHaveLength(1);
    expect(played[0]).toMatchObject({ actorId: fresh.userId, subjectId: cameraId, details: { from: iso(T0), to: iso(T0 + 2_000) } });
    const exported = await rows('video.exported');
    expect(exported.some((r) => (r.details as { kind?: string } | null)?.kind === 'snapshot')).toBe(true);
    expect(exported.some((r) => (r.details as { kind?: string } | null)?.kind === 'clip')).toBe(true);
  });

  it('bookmarks: create, list (also on the timeline), delete', async () => {
    const base = `/api/v1/cameras/${cameraId}/bookmarks`;
    const created = await post('operator', base, { at: iso(T0 + 3_000), note: 'Мужчина у подъезда' });
    expect(created.statusCode, created.body).toBe(201);
    const b = created.json() as { id: string };
    const list = await get('operator', `${base}?from=${iso(T0)}&to=${iso(T0 + 10_000)}`);
    expect(list.json()).toMatchObject([{ id: b.id, note: 'Мужчина у подъезда', at: iso(T0 + 3_000) }]);
    const tl = await get('operator', `/api/v1/cameras/${cameraId}/recordings/timeline?from=${iso(T0)}&to=${iso(T0 + 10_000)}`);
    expect((tl.json() as { bookmarks: { id: string }[] }).bookmarks.map((x) => x.id)).toEqual([b.id]);
    const del = await t.app.inject({ method: 'DELETE', url: `${base}/${b.id}`, headers: { cookie: as.operator!.cookie, 'x-csrf-token': as.operator!.csrf } });
    expect(del.statusCode).toBe(200);
    expect((await get('operator', `${base}?from=${iso(T0)}&to=${iso(T0 + 10_000)}`)).json()).toEqual([]);
  });

  it('media first byte over HTTP (figure)', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const started = performance.now();
    const firstByte = await new Promise<number>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: `/api/v1/cameras/${cameraId}/recordings/media?from=${iso(T0 + 65_000)}&origin=${iso(T0)}`, headers: { cookie: as.operator!.cookie } },
        (res) => {
          res.once('data', () => {
            resolve(performance.now() - started);
            res.destroy();
          });
          res.once('error', () => undefined);
        },
      );
      req.once('error', reject);
    });
    console.log(`[playback figure] media first byte ${firstByte.toFixed(1)} ms (${t.env.engine})`);
    expect(firstByte).toBeGreaterThan(0);
  });

  it('Chromium plays the response through MSE and shows the frame of the requested second', async () => {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: process.env.KUZET_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'], headless: true });
    try {
      const context = await browser.newContext();
      const [name, value] = as.operator!.cookie.split(';')[0]!.split('=') as [string, string];
      await context.addCookies([{ name, value, url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/api/health`);
      const origin = T0 - 3_600_000;
      const from = T0 + 5_321; // inside file B
      // Browser code as text: the server's TypeScript has no DOM types.
      const script = `(async ({ url, at }) => {
        const res = await fetch(url);
        const codec = res.headers.get('x-kuzet-codec');
        const data = await res.arrayBuffer();
        const ms = new MediaSource();
        const video = document.createElement('video');
        video.muted = true;
        video.src = URL.createObjectURL(ms);
        document.body.appendChild(video);
        await new Promise((r) => ms.addEventListener('sourceopen', r, { once: true }));
        const sb = ms.addSourceBuffer('video/mp4; codecs="' + codec + '"');
        sb.appendBuffer(data);
        await new Promise((r, j) => {
          sb.addEventListener('updateend', r, { once: true });
          sb.addEventListener('error', () => j(new Error('append failed')), { once: true });
        });
        video.currentTime = at;
        await new Promise((r) => video.addEventListener('seeked', r, { once: true }));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const c = document.createElement('canvas');
        c.width = video.videoWidth;
        c.height = video.videoHeight;
        const g = c.getContext('2d');
        g.drawImage(video, 0, 0);
        const px = g.getImageData(0, 0, c.width, c.height).data;
        const gray = new Array(c.width * c.height);
        for (let i = 0; i < gray.length; i++) gray[i] = px[i * 4];
        return { start: sb.buffered.start(0), end: sb.buffered.end(sb.buffered.length - 1), ranges: sb.buffered.length, width: c.width, height: c.height, gray };
      })(${JSON.stringify({ url: `/api/v1/cameras/${cameraId}/recordings/media?from=${iso(from)}&origin=${iso(origin)}`, at: (from - origin) / 1000 })})`;
      const shown = (await page.evaluate(script)) as { start: number; end: number; ranges: number; width: number; height: number; gray: number[] };
      expect(shown.ranges).toBe(1);
      expect(shown.start).toBeCloseTo((files.b!.startMs - origin) / 1000, 1);
      expect(shown.end).toBeCloseTo((files.b!.endMs - origin) / 1000, 1);
      const truth = files.b!.frames.findLast((f) => f.wallMs <= from)!;
      const stamp = decodeStamp({ width: shown.width, height: shown.height, data: Uint8Array.from(shown.gray) });
      expect(stamp).toEqual({ id: 777, frame: truth.stamp });
    } finally {
      await browser.close();
    }
  });

  it('a file deleted meanwhile (retention) is skipped, never a 500', async () => {
    fs.rmSync(files.c!.abs);
    const res = await media('operator', cameraId, { from: T0 + 64_500, origin: T0 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-kuzet-start']).toBe(iso(files.d!.startMs));
    const snap = await get('inspector', `/api/v1/cameras/${cameraId}/recordings/snapshot?at=${iso(T0 + 65_000)}`);
    expect(snap.statusCode).toBe(404);
    fs.rmSync(files.a!.abs);
    const skipped = await media('operator', cameraId, { from: T0 + 1_000, origin: T0 });
    expect(skipped.statusCode).toBe(200);
    expect(skipped.headers['x-kuzet-start']).toBe(iso(files.b!.startMs));
    fs.rmSync(files.b!.abs);
    fs.rmSync(files.d!.abs);
    fs.rmSync(files.e!.abs);
    const gone = await media('operator', cameraId, { from: T0, origin: T0 });
    expect(gone.statusCode).toBe(404);
  });
});
