import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from '../media/media.service.ts';

/**
 * Acceptance 2 (health part): a simulated camera that stops sending frames raises "offline"
 * within 30 s, and "back online" after it returns — through the real media engine with its
 * production stall timing (10 s without frames) and the default 8 s grouping hold.
 */
describe('offline and back online from a real simulated camera', { timeout: 120_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let cameraId = '';
  beforeAll(async () => {
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [{ id: 'cam', scene: 'yard-day', codec: 'h264', main: '720p' }],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    cameraId = (
      await t.services.cameras.create(null, t.complexId, {
        name: 'Двор',
        type: 'yard',
        buildingId: null,
        entranceId: null,
        zoneId: null,
        position: null,
        direction: null,
        fieldOfView: null,
        mainUrl: sim.url('cam', 'main'),
        subUrl: null,
        username: null,
        password: null,
        recordingPolicy: 'off',
        retentionDays: 30,
        enabled: true,
      })
    ).id;
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('silent'), {
      workers: 1,
      // stallMs as in production (10 s); quick reconnects so "back online" does not wait for a long backoff.
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 10_000, keyframeMs: 10_000, connectMs: 5000 },
    });
    await media.start();
    await waitUntil(async () => (await t.services.cameras.get(cameraId)).status.find((s) => s.stream === 'main')?.state === 'online', 60_000, 'camera online');
  }, 120_000);
  afterAll(async () => {
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  const alertsOf = (kind: 'offline' | 'online') =>
    t.env.handle.db.selectFrom('alerts as a').innerJoin('detectionEvents as e', 'e.id', 'a.eventId').select(['a.id', 'e.cameraId']).where('e.kind', '=', kind).execute();

  it('stalled: offline within 30 s; healthy again: back online', async () => {
    const stoppedAt = Date.now();
    sim.setFault('cam', 'stall');
    const ms = await waitUntil(async () => (await alertsOf('offline')).length > 0, 30_000, 'the offline alert');
    expect((await alertsOf('offline')).map((a) => a.cameraId)).toEqual([cameraId]);
    expect(Date.now() - stoppedAt).toBeLessThanOrEqual(30_000);
    console.log(`offline alert ${Date.now() - stoppedAt} ms after the camera stopped sending (waited ${ms} ms; loaded machine)`);
    sim.setFault('cam', 'none');
    await waitUntil(async () => (await alertsOf('online')).length > 0, 30_000, 'the online alert');
    expect((await alertsOf('online')).map((a) => a.cameraId)).toEqual([cameraId]);
  });
});
