import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeStamp, startSimulator, type Simulator } from '@kuzet/sim';
import { parseFmp4 } from '@kuzet/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { run, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from '../media/media.service.ts';
import { RecordingEvents } from './recording-events.ts';
import { RecordingService } from './recording.service.ts';
import { recoverRecordings, salvage } from './recovery.ts';

/**
 * The recorder against the camera simulator: two cameras recorded in 5 s files for ~20 s
 * (ffprobe-clean, consecutive files meet within a frame — read from the stamps in the
 * decoded pixels — and the index matches the files), a camera that drops leaves a gap,
 * and a recorded file cut at 30 random offsets is recovered to its last whole fragment.
 */
const LOOP_FRAMES = 50; // 2 s loops at 25 fps
const W = 640;
const H = 360;

interface Row {
  id: number;
  cameraId: string;
  path: string;
  startAt: Date;
  endAt: Date;
  bytes: number;
  keyframes: [number, number][];
  state: string;
}

describe('recorder', { timeout: 180_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let recording: RecordingService;
  const events = new RecordingEvents();
  const ids: Record<string, string> = {};
  const segments: { path: string; final: boolean }[] = [];
  const outage = { from: 0, to: 0 };
  let root = '';

  const rows = async (cameraId: string): Promise<Row[]> =>
    (await t.env.handle.db.selectFrom('recordingSegments').selectAll().where('cameraId', '=', cameraId).orderBy('startAt').execute()) as unknown as Row[];

  beforeAll(async () => {
    t = await createTestApp({ env: { KUZET_RECORDING_SEGMENT_SECONDS: '5' } });
    root = t.env.config.recordings.dir;
    sim = await startSimulator({
      cameras: [
        { id: 'a', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 601 },
        { id: 'b', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 602 },
        { id: 'drop', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 603 },
      ],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    for (const name of ['a', 'b', 'drop']) {
      const c = await t.services.cameras.create(null, t.complexId, {
        name: `rec-${name}`, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: sim.url(name, 'main'), subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
      });
      ids[name] = c.id;
    }
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('silent'), {
      workers: 2,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 3000, keyframeMs: 5000, connectMs: 3000 },
    });
    await media.start();
    events.on('segment', (s) => segments.push({ path: s.path, final: s.final }));
    recording = new RecordingService({ db: t.env.handle.db, cameras: t.services.cameras, media, config: t.env.config.recordings, events, log: createLogger('silent') });
    await recording.start();
    const opened = async (id: string) => (await rows(id)).length > 0;
    await waitUntil(async () => (await opened(ids.a!)) && (await opened(ids.b!)) && (await opened(ids.drop!)), 30_000, 'every camera recording');
    await new Promise((r) => setTimeout(r, 5000));
    // The 'drop' camera goes away for ~5 s and comes back by itself.
    sim.setFault('drop', 'offline');
    outage.from = Date.now();
    await new Promise((r) => setTimeout(r, 5000));
    outage.to = Date.now();
    sim.setFault('drop', 'none');
    await waitUntil(async () => (await rows(ids.drop!)).some((r) => r.startAt.getTime() > outage.to), 30_000, 'drop recording again');
    await new Promise((r) => setTimeout(r, 8000));
    // Its policy set to off: the registry change stops its recording (recording_off).
    const admin = await freshSession(t, 'admin');
    await t.services.cameras.update({ id: admin.userId, username: admin.username, displayName: '', role: 'admin', complexId: null, districtId: null }, ids.drop!, { recordingPolicy: 'off' });
    await waitUntil(async () => (await rows(ids.drop!)).every((r) => r.state === 'closed'), 10_000, 'drop stops recording');
    await recording.stop();
  }, 180_000);

  afterAll(async () => {
    await recording?.stop();
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it('writes ffprobe-clean fMP4 files whose index rows match them', async () => {
    for (const name of ['a', 'b']) {
      const list = await rows(ids[name]!);
      expect(list.length).toBeGreaterThanOrEqual(3);
      for (const r of list) {
        expect(r.state).toBe('closed');
        expect(r.path).toMatch(new RegExp(`^${ids[name]}/\\d{4}-\\d{2}-\\d{2}/${r.startAt.getTime()}\\.mp4$`));
        const file = path.join(root, r.path);
        const buf = fs.readFileSync(file);
        expect(r.bytes).toBe(buf.length);
        const parsed = parseFmp4(buf);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) continue;
        expect(parsed.file.fragments[0]!.samples[0]!.dts).toBe(0); // tfdt of the first fragment is 0
        // The keyframe index: every entry points at a moof whose first sample is a keyframe at that time.
        const keyFrags = parsed.file.fragments.filter((f) => f.samples[0]!.keyframe);
        expect(r.keyframes.map(([, off]) => off)).toEqual(keyFrags.map((f) => f.offset));
        r.keyframes.forEach(([ms], i) => expect(Math.abs(ms - keyFrags[i]!.samples[0]!.dts / 90)).toBeLessThanOrEqual(1));
        expect(r.keyframes[0]).toEqual([0, expect.any(Number)]);
        const s = salvage(buf)!;
        expect(s.wholeBytes).toBe(buf.length);
        expect(Math.abs(r.endAt.getTime() - r.startAt.getTime() - s.durationMs)).toBeLessThanOrEqual(2);
        // No fragment longer than ~1 s.
        for (const f of parsed.file.fragments) expect(f.samples.reduce((a, x) => a + x.duration, 0)).toBeLessThanOrEqual(90_000 + 3600);
        const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts_time,dts_time', '-of', 'csv=p=0', file]);
        expect(probe.code, probe.stderr).toBe(0);
        expect(probe.stderr).toBe('');
        const dts = probe.stdout.toString().trim().split('\n').map((l) => Number(l.split(',')[1]));
        expect(dts.length).toBe(parsed.file.samples.length);
        for (let i = 1; i < dts.length; i++) expect(dts[i]!).toBeGreaterThan(dts[i - 1]!);
      }
    }
    expect(segments.some((s) => s.final)).toBe(true);
  });

  it('consecutive files of a camera meet within one frame: in wall time and in the stamps of decoded pixels', async () => {
    /** Every frame decoded (gray): all of them must decode; the first and last stamps are returned. */
    const edge = async (file: string, count: number) => {
      const raw = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
      expect(raw.code, raw.stderr).toBe(0);
      const size = W * H;
      expect(raw.stdout.length / size, file).toBe(count);
      return [0, count - 1].map((i) => decodeStamp({ width: W, height: H, data: raw.stdout.subarray(i * size, (i + 1) * size) })!);
    };
    for (const name of ['a', 'b']) {
      const list = await rows(ids[name]!);
      const stamps = [];
      for (const r of list) {
        const buf = fs.readFileSync(path.join(root, r.path));
        const parsed = parseFmp4(buf);
        if (!parsed.ok) throw new Error(parsed.error);
        const [first, last] = await edge(path.join(root, r.path), parsed.file.samples.length);
        expect(first?.id).toBe(name === 'a' ? 601 : 602);
        expect(last?.id).toBe(first?.id);
        stamps.push({ first: first!.frame, last: last!.frame, start: r.startAt.getTime(), end: r.endAt.getTime() });
      }
      for (let k = 0; k + 1 < stamps.length; k++) {
        expect((stamps[k + 1]!.first - stamps[k]!.last + LOOP_FRAMES) % LOOP_FRAMES).toBe(1);
        expect(Math.abs(stamps[k + 1]!.start - stamps[k]!.end)).toBeLessThanOrEqual(40);
      }
    }
  });

  it('a camera that drops leaves a gap: the file before ends, a new one starts later, none spans the outage; policy off stops it', async () => {
    const list = await rows(ids.drop!);
    const before = list.filter((r) => r.endAt.getTime() <= outage.from + 1000);
    const after = list.filter((r) => r.startAt.getTime() >= outage.from);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    for (const r of list) expect(r.startAt.getTime() < outage.to - 1000 && r.endAt.getTime() > outage.from + 1000).toBe(false);
    const gapStart = before.at(-1)!.endAt.getTime();
    const gapEnd = after[0]!.startAt.getTime();
    expect(gapEnd - gapStart).toBeGreaterThan(3000);
    const evs = await t.env.handle.db.selectFrom('recordingEvents').selectAll().where('cameraId', '=', ids.drop!).orderBy('at').orderBy('id').execute();
    expect(evs.map((e) => `${e.kind}:${e.reason ?? ''}`)).toEqual(['started:', 'stopped:camera_offline', 'started:', 'stopped:recording_off']);
    expect(Math.abs(evs[1]!.at.getTime() - gapStart)).toBeLessThanOrEqual(1);
  });

  it('recovers a recorded file cut at any of 30 random byte offsets to its last whole fragment', async () => {
    const r = (await rows(ids.a!))[1]!;
    const original = fs.readFileSync(path.join(root, r.path));
    const parsed = parseFmp4(original);
    if (!parsed.ok) throw new Error(parsed.error);
    const frags = parsed.file.fragments;
    const ends = frags.map((f, i) => frags[i + 1]?.offset ?? original.length);
    const cutRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-recovery-'));
    const db = t.env.handle.db;
    let seed = 20261130;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const cuts = [0, 7, frags[0]!.offset, frags[0]!.offset + 9, ends[0]!, original.length, ...Array.from({ length: 24 }, () => Math.floor(random() * original.length))];
    try {
      for (const [i, cut] of cuts.entries()) {
        const file = path.join(cutRoot, r.path);
        fs.rmSync(cutRoot, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, original.subarray(0, cut));
        await db.deleteFrom('recordingSegments').where('path', '=', r.path).where('state', '!=', 'closed').execute();
        // Half the cuts have an 'open' row (the server died while writing), half none (died before the first index batch).
        const withRow = i % 2 === 0;
        await db.deleteFrom('recordingSegments').where('path', '=', r.path).execute();
        if (withRow) {
          await db.insertInto('recordingSegments').values({ complexId: t.complexId, cameraId: ids.a!, path: r.path, startAt: r.startAt, endAt: r.startAt, codec: 'avc1', keyframes: '[]', state: 'open' }).execute();
        }
        await recoverRecordings({ db, root: cutRoot, log: createLogger('silent') });
        const whole = ends.filter((e) => e <= cut).at(-1);
        const row = await db.selectFrom('recordingSegments').selectAll().where('path', '=', r.path).executeTakeFirst();
        if (whole === undefined) {
          expect(fs.existsSync(file), `cut ${cut}`).toBe(false);
          expect(row, `cut ${cut}`).toBeUndefined();
          continue;
        }
        expect(fs.statSync(file).size, `cut ${cut}`).toBe(whole);
        expect(row).toMatchObject({ state: 'recovered', bytes: whole, startAt: r.startAt });
        const kept = frags.filter((_, j) => ends[j]! <= whole);
        expect(row!.keyframes).toEqual(r.keyframes.filter(([, off]) => off < whole));
        const lastFrag = kept.at(-1)!;
        const endMs = Math.round(lastFrag.samples.reduce((a, s) => Math.max(a, s.dts + s.duration), 0) / 90);
        expect(row!.endAt.getTime() - r.startAt.getTime()).toBe(endMs);
        if (cut === original.length) expect(row!.endAt.getTime()).toBeCloseTo(r.endAt.getTime(), -1);
        const probe = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
        expect(probe.code, probe.stderr).toBe(0);
        expect(Number(probe.stdout.toString().trim())).toBe(kept.reduce((a, f) => a + f.samples.length, 0));
      }
    } finally {
      fs.rmSync(cutRoot, { recursive: true, force: true });
      // Leave the real recording's row as it was.
      await db.deleteFrom('recordingSegments').where('path', '=', r.path).execute();
      await db.insertInto('recordingSegments').values({ complexId: t.complexId, cameraId: ids.a!, path: r.path, startAt: r.startAt, endAt: r.endAt, bytes: r.bytes, codec: 'avc1', keyframes: JSON.stringify(r.keyframes), state: 'closed' }).execute();
    }
  });
});
