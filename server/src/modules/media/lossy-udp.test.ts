import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamStatus } from '@kuzet/contracts';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { captureLines, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from './media.service.ts';

/**
 * Issue 7's target line over UDP: with 2 % of the RTP datagrams lost at random the
 * camera stays online or degraded, its loss rate visible. The simulator drops the
 * datagrams itself (seeded), from the first packet on: the camera also has to come up
 * through the loss (a 1080p keyframe of ~100 packets is rarely whole; its slices are
 * passed on cut short at the gap). `npm run bench -- lossy` runs the same for 5 minutes.
 */
const SECONDS = 30;

describe('lossy UDP camera', { timeout: 240_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let id = '';
  const logs = captureLines();
  const main = (): StreamStatus | undefined => media.statusOf(id)?.find((s) => s.stream === 'main');
  const playing = () => ['online', 'degraded'].includes(main()?.state ?? '');

  beforeAll(async () => {
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [{ id: 'udp-lossy', scene: 'yard-day', codec: 'h264', main: '1080p', udpLossPercent: 2, udpLossSeed: 7 }],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    const c = await t.services.cameras.create(null, t.complexId, {
      name: 'udp-lossy', type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
      mainUrl: sim.url('udp-lossy', 'main'), subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
      transport: 'udp',
    });
    id = c.id;
    // The product's watchdogs (stall and keyframe: 10 s); only the reconnect backoff is shortened.
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('debug', logs.stream), {
      workers: 1,
      rtpPorts: null,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 10_000, keyframeMs: 10_000, connectMs: 5000 },
    });
    await media.start();
    await waitUntil(playing, 60_000, 'the lossy UDP camera online');
  }, 180_000);

  afterAll(async () => {
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it(`stays online or degraded for ${SECONDS} s at 2 % random RTP loss over UDP, the loss rate visible`, async () => {
    let fragments = 0;
    let keyframes = 0;
    const unsub = media.subscribe(id, 'main', {
      onInit: () => undefined,
      onFragment: (_d, meta) => {
        fragments++;
        if (meta.keyframe) keyframes++;
      },
    });
    const dropsBefore = sim.udpStats('udp-lossy').dropped;
    const samples: StreamStatus[] = [];
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      samples.push(main()!);
      await sleep(200);
    }
    unsub();
    const states = new Set(samples.map((s) => s.state));
    expect([...states].filter((s) => s !== 'online' && s !== 'degraded')).toEqual([]);
    expect(new Set(samples.map((s) => s.transport))).toEqual(new Set(['udp']));
    expect(states.has('degraded')).toBe(true); // 2 % is above the 1 % threshold
    const losses = samples.map((s) => s.lossPercent).filter((l): l is number => l !== null);
    expect(Math.max(...losses)).toBeGreaterThan(1);
    expect(Math.max(...losses)).toBeLessThan(10);
    expect(sim.udpStats('udp-lossy').dropped).toBeGreaterThan(dropsBefore);
    expect(new Set(samples.map((s) => `${s.width}x${s.height}`))).toEqual(new Set(['1920x1080']));
    // Generous: 25 fps and a keyframe every 2 s; half of it is plenty on a busy machine.
    expect(fragments).toBeGreaterThan(SECONDS * 25 * 0.5);
    expect(keyframes).toBeGreaterThan(SECONDS / 2 / 2);
    // What the console gets: the loss rate in the camera's status.
    const dto = (await t.services.cameras.get(id)).status.find((s) => s.stream === 'main')!;
    expect(dto).toMatchObject({ transport: 'udp', lossPercent: expect.any(Number) });
  });
});
