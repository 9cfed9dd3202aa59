import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { run, waitUntil } from '../../testing/media-helpers.ts';
import { framesLost, recordedStamps } from '../../testing/recorded-stamps.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { MediaService, shardOf } from '../media/media.service.ts';
import { RecordingEvents } from './recording-events.ts';
import { RecordingService } from './recording.service.ts';

/**
 * Acceptance 6 of issue 8 (worker): two media workers, two recorded cameras on each; one
 * worker throws from inside. The other worker's cameras record on with no frame lost
 * (frame stamps read from the decoded pixels of every frame of every file follow each
 * other modulo the loop). The dead worker's open files are recovered at once by the main
 * side (rows 'recovered', cut to their last whole fragment, the fds it left closed), its
 * cameras get 'stopped server_down', and they resume by themselves: a gap, then new files
 * and 'started'.
 */
const LOOP_FRAMES = 50; // 2 s loops at 25 fps
const W = 640;
const H = 360;

interface Row {
  cameraId: string;
  path: string;
  startAt: Date;
  endAt: Date;
  bytes: number;
  state: string;
}

describe('recording through a media worker crash', { timeout: 180_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let recording: RecordingService;
  const events = new RecordingEvents();
  /** Camera ids per worker, and their stamp ids. */
  const onWorker: [string[], string[]] = [[], []];
  const stampOf = new Map<string, number>();
  let crashed = 0;
  let crashAt = 0;
  let recoveredSeenAfterMs = -1;
  let root = '';

  const rows = async (cameraId: string): Promise<Row[]> =>
    (await t.env.handle.db.selectFrom('recordingSegments').selectAll().where('cameraId', '=', cameraId).orderBy('startAt').execute()) as unknown as Row[];

  beforeAll(async () => {
    t = await createTestApp({ env: { KUZET_RECORDING_SEGMENT_SECONDS: '5' } });
    root = t.env.config.recordings.dir;
    const simIds = ['w1', 'w2', 'w3', 'w4'];
    sim = await startSimulator({
      cameras: simIds.map((id, i) => ({ id, scene: 'yard-day' as const, codec: 'h264' as const, main: '360p' as const, stampId: 701 + i })),
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    // Two cameras on each worker: camera ids are random, so draw until each shard has two.
    const rowsToInsert = [];
    let k = 0;
    while (onWorker[0].length < 2 || onWorker[1].length < 2) {
      const simId = simIds[onWorker[0].length + onWorker[1].length]!;
      const row = await t.services.cameras.prepare(t.complexId, {
        name: `crash-${k++}`, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: sim.url(simId, 'main'), subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
      });
      const shard = onWorker[shardOf(row.id, 2)]!;
      if (shard.length >= 2) continue;
      shard.push(row.id);
      stampOf.set(row.id, 701 + simIds.indexOf(simId));
      rowsToInsert.push(row);
    }
    await t.services.cameras.insertPrepared(null, t.complexId, rowsToInsert);
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('silent'), {
      workers: 2,
      testHooks: true,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 3000, keyframeMs: 5000, connectMs: 3000 },
    });
    await media.start();
    recording = new RecordingService({ db: t.env.handle.db, cameras: t.services.cameras, media, config: t.env.config.recordings, events, log: createLogger('silent') });
    await recording.start();
    const all = [...onWorker[0], ...onWorker[1]];
    await waitUntil(async () => (await Promise.all(all.map(async (id) => (await rows(id)).length > 0))).every(Boolean), 30_000, 'every camera recording');
    await new Promise((r) => setTimeout(r, 6000)); // past a rotation, into the second file

    crashed = 0;
    crashAt = Date.now();
    media.crashWorkerForTest(onWorker[crashed]![0]!);
    // Recovered at once by the main side, not at the next start.
    recoveredSeenAfterMs = await waitUntil(
      async () => (await Promise.all(onWorker[crashed]!.map(async (id) => (await rows(id)).some((r) => r.state === 'recovered')))).every(Boolean),
      15_000,
      "the crashed worker's files recovered",
    );
    // Both of its cameras record again in new files.
    await waitUntil(
      async () => (await Promise.all(onWorker[crashed]!.map(async (id) => (await rows(id)).some((r) => r.startAt.getTime() > crashAt)))).every(Boolean),
      30_000,
      'the crashed cameras recording again',
    );
    await new Promise((r) => setTimeout(r, 6000));
    await recording.stop();
  }, 180_000);

  afterAll(async () => {
    await recording?.stop();
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it("the other worker's cameras record on with no frame lost across the crash", async () => {
    for (const id of onWorker[1 - crashed]!) {
      const list = await rows(id);
      expect(list.every((r) => r.state === 'closed')).toBe(true);
      // Files that cover the crash: the first starts before it, the last ends well after it.
      expect(list[0]!.startAt.getTime()).toBeLessThan(crashAt - 3000);
      expect(list.at(-1)!.endAt.getTime()).toBeGreaterThan(crashAt + 5000);
      const stamps = [];
      for (let i = 0; i < list.length; i++) {
        const r = list[i]!;
        if (i > 0) expect(Math.abs(r.startAt.getTime() - list[i - 1]!.endAt.getTime())).toBeLessThanOrEqual(40);
        stamps.push(...(await recordedStamps(path.join(root, r.path), W, H)));
      }
      expect(stamps.length).toBeGreaterThan(25 * 15);
      expect(new Set(stamps.map((s) => s?.id))).toEqual(new Set([stampOf.get(id)]));
      expect(framesLost(stamps, LOOP_FRAMES)).toEqual({ lost: 0, breaks: [] });
    }
  });

  it("the crashed worker's open files are recovered at once, their fds closed, and its cameras resume after a gap", async () => {
    expect(recoveredSeenAfterMs).toBeGreaterThanOrEqual(0);
    const fds = fs.readdirSync('/proc/self/fd').map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
    for (const id of onWorker[crashed]!) {
      const list = await rows(id);
      const recovered = list.filter((r) => r.state === 'recovered');
      expect(recovered).toHaveLength(1);
      const rec = recovered[0]!;
      const file = path.join(root, rec.path);
      expect(fs.statSync(file).size).toBe(rec.bytes);
      // What was kept ends at the crash, give or take the fragment being built (≤ ~1 s).
      expect(rec.endAt.getTime()).toBeLessThanOrEqual(crashAt + 500);
      expect(rec.endAt.getTime()).toBeGreaterThan(crashAt - 2500);
      expect(fds.filter((l) => l === file)).toEqual([]); // the dead worker's fd was closed for it
      const probe = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
      expect(probe.code, probe.stderr).toBe(0);
      expect(probe.stderr).toBe('');
      expect(Number(probe.stdout.toString().trim())).toBeGreaterThan(0);
      // Before it: closed files; after it: new files, from a new worker, after a gap.
      const i = list.indexOf(rec);
      expect(list.slice(0, i).every((r) => r.state === 'closed')).toBe(true);
      const after = list.slice(i + 1);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((r) => r.state === 'closed')).toBe(true);
      expect(after[0]!.startAt.getTime()).toBeGreaterThan(rec.endAt.getTime());
      expect(after[0]!.startAt.getTime()).toBeGreaterThan(crashAt);
      const evs = await t.env.handle.db.selectFrom('recordingEvents').selectAll().where('cameraId', '=', id).orderBy('at').orderBy('id').execute();
      expect(evs.map((e) => `${e.kind}:${e.reason ?? ''}`)).toEqual(['started:', 'stopped:server_down', 'started:', 'stopped:server_down']);
      expect(evs[1]!.at.getTime()).toBe(rec.endAt.getTime());
      expect(evs[2]!.at.getTime()).toBe(after[0]!.startAt.getTime());
      // The new files are whole and continue the camera's frames.
      const stamps = (await Promise.all(after.map((r) => recordedStamps(path.join(root, r.path), W, H)))).flat();
      expect(framesLost(stamps, LOOP_FRAMES).lost).toBe(0);
    }
    expect(await t.env.handle.db.selectFrom('recordingSegments').select('id').where('state', '=', 'open').execute()).toEqual([]);
  });
});
