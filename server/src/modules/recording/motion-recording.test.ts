import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { waitUntil } from '../../testing/media-helpers.ts';
import { framesLost, recordedStamps } from '../../testing/recorded-stamps.ts';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from '../media/media.service.ts';
import { RecordingEvents } from './recording-events.ts';
import { RecordingService } from './recording.service.ts';

/**
 * Recording on motion against the camera simulator and the real recorder (media workers,
 * RecordingService, the index): a camera with policy 'motion' writes nothing without
 * motion while its pre-roll stays bounded; MediaService.setMotion(true) at T gives files
 * from a keyframe ≥ pre-roll before T, every frame stamp (read from decoded pixels)
 * following the one before — through the pre-roll/live seam, the motion within the
 * post-roll and the file rotations — until the post-roll after the last end; the gap after
 * is 'no_motion' on the timeline. A continuous camera is unaffected; a policy change
 * motion → continuous → off works in place.
 */
const LOOP_FRAMES = 50; // 2 s loops at 25 fps; GOP 2 s
const W = 640;
const H = 360;
const PRE = 3;
const POST = 4;

interface Row {
  path: string;
  startAt: Date;
  endAt: Date;
  state: string;
}

describe('recording on motion', { timeout: 240_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let recording: RecordingService;
  const ids: Record<string, string> = {};
  const at: Record<string, number> = {};
  const preRollSamples: number[] = [];

  const rows = async (cameraId: string): Promise<Row[]> =>
    (await t.env.handle.db.selectFrom('recordingSegments').select(['path', 'startAt', 'endAt', 'state']).where('cameraId', '=', cameraId).orderBy('startAt').execute()) as Row[];
  const events = async (cameraId: string) =>
    (await t.env.handle.db.selectFrom('recordingEvents').selectAll().where('cameraId', '=', cameraId).orderBy('at').orderBy('id').execute()).map((e) => ({ kind: e.kind, reason: e.reason, at: e.at.getTime() }));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const setPolicy = async (id: string, recordingPolicy: 'continuous' | 'motion' | 'off') => {
    const admin = await freshSession(t, 'admin');
    await t.services.cameras.update({ id: admin.userId, username: admin.username, displayName: '', role: 'admin', complexId: null, districtId: null }, id, { recordingPolicy });
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { KUZET_RECORDING_SEGMENT_SECONDS: '5', KUZET_MOTION_PREROLL_SECONDS: String(PRE), KUZET_MOTION_POSTROLL_SECONDS: String(POST) } });
    sim = await startSimulator({
      cameras: [
        { id: 'm', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 701 },
        { id: 'c', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 702 },
        { id: 'p', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 703 },
      ],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    const policy = { m: 'motion', c: 'continuous', p: 'motion' } as const;
    for (const name of ['m', 'c', 'p'] as const) {
      const c = await t.services.cameras.create(null, t.complexId, {
        name: `motion-${name}`, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: sim.url(name, 'main'), subUrl: null, username: null, password: null, recordingPolicy: policy[name], retentionDays: 30, enabled: true,
      });
      ids[name] = c.id;
    }
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('silent'), {
      workers: 2,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 3000, keyframeMs: 5000, connectMs: 3000 },
    });
    await media.start();
    recording = new RecordingService({ db: t.env.handle.db, cameras: t.services.cameras, media, config: t.env.config.recordings, events: new RecordingEvents(), log: createLogger('silent'), flushMs: 200 });
    await recording.start();
    await waitUntil(async () => (await rows(ids.c!)).length > 0, 30_000, 'the continuous camera recording');
    // Idle: the motion cameras fill their pre-roll; its size is sampled while GOPs age out.
    for (let i = 0; i < 10; i++) {
      await sleep(1000);
      preRollSamples.push((await media.stats()).preRollBytes);
    }

    // Motion on 'm': 4 s, a pause of 2 s (within the post-roll), 2 s more, then the post-roll.
    at.motion1 = Date.now();
    media.setMotion(ids.m!, true);
    await sleep(4000);
    media.setMotion(ids.m!, false);
    at.pause = Date.now();
    await sleep(2000);
    media.setMotion(ids.m!, true);
    await sleep(2000);
    at.end1 = Date.now();
    media.setMotion(ids.m!, false);
    // 'p': motion → continuous (idle: its pre-roll is written first).
    at.continuous = Date.now();
    await setPolicy(ids.p!, 'continuous');
    await waitUntil(async () => (await events(ids.m!)).some((e) => e.kind === 'stopped'), 30_000, 'm stopped after its post-roll');
    // A second motion on 'm', after a gap: later than its pre-roll reaches back (PRE + 2 s slack + a GOP).
    await sleep((PRE + 2 + 2 + 2) * 1000);
    at.motion2 = Date.now();
    media.setMotion(ids.m!, true);
    await sleep(1000);
    media.setMotion(ids.m!, false);
    await setPolicy(ids.p!, 'off');
    await waitUntil(async () => (await events(ids.m!)).filter((e) => e.kind === 'stopped').length === 2, 30_000, 'm stopped again');
    await recording.stop();
  }, 240_000);

  afterAll(async () => {
    await recording?.stop();
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it('a motion camera records nothing without motion; its pre-roll stays bounded while GOPs age out', async () => {
    console.log(`pre-roll of two idle 360p/0.6 Mbps motion cameras (pre-roll ${PRE} s): ${preRollSamples.map((b) => (b / 1024).toFixed(0)).join(', ')} KiB`);
    const firstStart = (await rows(ids.m!))[0]!.startAt.getTime();
    expect(firstStart).toBeGreaterThan(at.motion1! - PRE * 1000 - 2000 - 2000 - 200); // nothing from before the pre-roll
    // Two motion cameras idle: each holds ≥ PRE s (from a keyframe) + ≤ 2 s slack + ≤ one 2-s GOP of 0.6 Mbps.
    const perCamera = (PRE + 2 + 2) * (0.6e6 / 8);
    for (const b of preRollSamples.slice(3)) {
      expect(b).toBeGreaterThan(2 * PRE * (0.6e6 / 8) * 0.5);
      expect(b).toBeLessThan(2 * perCamera * 1.6);
    }
  });

  it('motion at T: files from a keyframe ≥ pre-roll before T, every frame through the seam and the post-roll extension, until the post-roll after the end', async () => {
    const stop1 = (await events(ids.m!)).find((e) => e.kind === 'stopped')!.at;
    const list = (await rows(ids.m!)).filter((r) => r.startAt.getTime() < stop1);
    expect(list.length).toBeGreaterThanOrEqual(2);
    const start = list[0]!.startAt.getTime();
    console.log(`motion at T: footage from T − ${at.motion1! - start} ms; ends ${list.at(-1)!.endAt.getTime() - at.end1!} ms after the last motion ended (post-roll ${POST} s)`);
    expect(start).toBeLessThanOrEqual(at.motion1! - PRE * 1000);
    expect(start).toBeGreaterThan(at.motion1! - PRE * 1000 - 2000 - 1000); // the newest keyframe that old: within a GOP (+ arrival jitter on a busy machine)
    const end = list.at(-1)!.endAt.getTime();
    expect(end).toBeGreaterThanOrEqual(at.end1! + POST * 1000 - 100);
    expect(end).toBeLessThanOrEqual(at.end1! + POST * 1000 + 2000 + 1500);
    // One recording: files meet (the pause within the post-roll left no gap).
    for (let i = 1; i < list.length; i++) expect(Math.abs(list[i]!.startAt.getTime() - list[i - 1]!.endAt.getTime())).toBeLessThanOrEqual(40);
    const stamps = [];
    for (const r of list) stamps.push(...(await recordedStamps(path.join(recording.root, r.path), W, H)));
    expect(stamps[0]?.id).toBe(701);
    expect(framesLost(stamps, LOOP_FRAMES)).toEqual({ lost: 0, breaks: [] });
    expect(stamps.length).toBeGreaterThanOrEqual(((end - start) / 40) * 0.98);
    const evs = await events(ids.m!);
    expect(evs.map((e) => `${e.kind}:${e.reason ?? ''}`)).toEqual(['started:motion', 'stopped:motion_ended', 'started:motion', 'stopped:motion_ended']);
    expect(evs[0]!.at).toBe(start);
    expect(evs[1]!.at).toBe(end);
  });

  it('the gap between two motion recordings is no_motion on the timeline', async () => {
    const list = await rows(ids.m!);
    const stop1 = (await events(ids.m!)).find((e) => e.kind === 'stopped')!.at;
    const second = list.filter((r) => r.startAt.getTime() > stop1);
    expect(second.length).toBeGreaterThan(0);
    expect(second[0]!.startAt.getTime()).toBeLessThanOrEqual(at.motion2! - PRE * 1000);
    t.clock.advance(Date.now() - t.clock.now().getTime());
    const from = new Date(at.motion1! - 20_000).toISOString();
    const to = new Date(Date.now()).toISOString();
    const tl = await t.services.playback.timeline(ids.m!, { from, to });
    expect(tl.ranges).toHaveLength(2);
    // Before the first recording: no event explains it (a camera new to the server). Between and after: no_motion.
    const later = tl.gaps.filter((g) => g.start >= tl.ranges[0]!.end);
    expect(later.length).toBeGreaterThanOrEqual(1);
    expect(later.map((g) => g.reason)).toEqual(later.map(() => 'no_motion'));
    const between = tl.gaps.find((g) => g.start === tl.ranges[0]!.end);
    expect(between?.reason).toBe('no_motion');
    expect(between?.end).toBe(tl.ranges[1]!.start);
  });

  it('a continuous camera is unaffected: one run of files, no frame lost', async () => {
    const list = await rows(ids.c!);
    expect(list.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < list.length; i++) expect(Math.abs(list[i]!.startAt.getTime() - list[i - 1]!.endAt.getTime())).toBeLessThanOrEqual(40);
    const stamps = [];
    for (const r of list.slice(0, 4)) stamps.push(...(await recordedStamps(path.join(recording.root, r.path), W, H)));
    expect(framesLost(stamps, LOOP_FRAMES).lost).toBe(0);
    expect((await events(ids.c!)).map((e) => `${e.kind}:${e.reason ?? ''}`)).toEqual(['started:', 'stopped:server_down']);
  });

  it('a policy change motion → continuous → off: the pre-roll written first, continuous recording, then recording_off', async () => {
    const list = await rows(ids.p!);
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]!.startAt.getTime()).toBeLessThanOrEqual(at.continuous! - PRE * 1000);
    expect(list.every((r) => r.state === 'closed')).toBe(true);
    for (let i = 1; i < list.length; i++) expect(Math.abs(list[i]!.startAt.getTime() - list[i - 1]!.endAt.getTime())).toBeLessThanOrEqual(40);
    const stamps = [];
    for (const r of list) stamps.push(...(await recordedStamps(path.join(recording.root, r.path), W, H)));
    expect(framesLost(stamps, LOOP_FRAMES).lost).toBe(0);
    expect((await events(ids.p!)).map((e) => `${e.kind}:${e.reason ?? ''}`)).toEqual(['started:', 'stopped:recording_off']);
  });
});

describe('recording on motion through a media worker crash', { timeout: 180_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let recording: RecordingService;
  let id = '';

  beforeAll(async () => {
    t = await createTestApp({ env: { KUZET_RECORDING_SEGMENT_SECONDS: '5', KUZET_MOTION_PREROLL_SECONDS: String(PRE), KUZET_MOTION_POSTROLL_SECONDS: String(POST) } });
    sim = await startSimulator({
      cameras: [{ id: 'k', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 704 }],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    const c = await t.services.cameras.create(null, t.complexId, {
      name: 'motion-k', type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
      mainUrl: sim.url('k', 'main'), subUrl: null, username: null, password: null, recordingPolicy: 'motion', retentionDays: 30, enabled: true,
    });
    id = c.id;
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('silent'), {
      workers: 1,
      testHooks: true,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 3000, keyframeMs: 5000, connectMs: 3000 },
    });
    await media.start();
    recording = new RecordingService({ db: t.env.handle.db, cameras: t.services.cameras, media, config: t.env.config.recordings, events: new RecordingEvents(), log: createLogger('silent'), flushMs: 200 });
    await recording.start();
    await waitUntil(async () => (await media.stats()).preRollBytes > 0, 30_000, 'the pre-roll filling');
  }, 180_000);

  afterAll(async () => {
    await recording?.stop();
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it('motion survives the worker: the restarted worker is told, records again, and stops after the post-roll', async () => {
    const evs = async () => (await t.env.handle.db.selectFrom('recordingEvents').selectAll().where('cameraId', '=', id).orderBy('at').orderBy('id').execute()).map((e) => `${e.kind}:${e.reason ?? ''}`);
    const files = async () => t.env.handle.db.selectFrom('recordingSegments').select(['startAt', 'endAt', 'state']).where('cameraId', '=', id).orderBy('startAt').execute();
    await new Promise((r) => setTimeout(r, 3000));
    media.setMotion(id, true);
    await waitUntil(async () => (await files()).length > 0, 20_000, 'recording on motion');
    await new Promise((r) => setTimeout(r, 2000));
    const crashAt = Date.now();
    media.crashWorkerForTest(id);
    await waitUntil(async () => (await files()).some((f) => f.startAt.getTime() > crashAt), 30_000, 'recording again after the restart');
    media.setMotion(id, false);
    await waitUntil(async () => (await evs()).at(-1) === 'stopped:motion_ended', 30_000, 'stopped after the post-roll');
    expect(await evs()).toEqual(['started:motion', 'stopped:server_down', 'started:motion', 'stopped:motion_ended']);
    const list = await files();
    expect(list.every((f) => f.state !== 'open')).toBe(true);
  });
});
