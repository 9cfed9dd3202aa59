import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamStatus } from '@kuzet/contracts';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { startLossyProxy, type LossyProxy } from '@kuzet/sim/lossy-proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { captureLines, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from './media.service.ts';

/**
 * Damaged streams stay online (issue 7, item 2): the camera simulator behind a lossy
 * proxy (RTP packets dropped, payloads corrupted, timestamps jumping) through the real
 * media engine. The status is sampled every 200 ms, as a console would see it.
 */
const LOSSY_SECONDS = 60;

describe('damaged streams', { timeout: 300_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let lossy: LossyProxy;
  let dead: LossyProxy;
  const ids: Record<string, string> = {};
  const logs = captureLines();

  const main = (name: string): StreamStatus | undefined => media.statusOf(ids[name]!)?.find((s) => s.stream === 'main');
  const playing = (name: string) => ['online', 'degraded'].includes(main(name)?.state ?? '');

  beforeAll(async () => {
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [
        { id: 'lossy', scene: 'yard-day', codec: 'h264', main: '1080p' }, // keyframes of ~100 packets: rarely whole at 2 % loss
        { id: 'dead', scene: 'yard-day', codec: 'h264', main: '720p' },
        { id: 'resize', scene: 'yard-day', codec: 'h264', main: '720p' },
      ],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    const target = { host: sim.host, port: sim.rtspPort };
    // Clean until the camera is up (at 2 % loss the first whole 1080p keyframe can take a while).
    lossy = await startLossyProxy({ target, seed: 7 });
    dead = await startLossyProxy({ target, seed: 8 });
    const add = async (name: string, mainUrl: string) => {
      const c = await t.services.cameras.create(null, t.complexId, {
        name, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl, subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
      });
      ids[name] = c.id;
    };
    await add('lossy', lossy.url(sim.url('lossy', 'main')));
    await add('dead', dead.url(sim.url('dead', 'main')));
    await add('resize', sim.url('resize', 'main'));
    // The product's watchdogs (stall and keyframe: 10 s); only the reconnect backoff is shortened.
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('debug', logs.stream), {
      workers: 1,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 10_000, keyframeMs: 10_000, connectMs: 5000 },
    });
    await media.start();
    for (const name of ['lossy', 'dead', 'resize']) await waitUntil(() => playing(name), 60_000, `${name} online`);
  }, 240_000);

  afterAll(async () => {
    await media?.stop();
    await lossy?.close();
    await dead?.close();
    await sim?.stop();
    await t?.close();
  });

  it(`keeps a camera online or degraded through 2 % loss, 1 % corruption and timestamp jumps for ${LOSSY_SECONDS} s`, async () => {
    // Parameter-set packets are one per GOP (1 in ~700 at 1080p): corrupt a fifth of them so a
    // flipped SPS/PPS byte is sure to happen within the minute.
    lossy.configure({ lossPercent: 2, corruptPercent: 1, corruptParameterSetPercent: 20, jumpPercent: 1 });
    let inits = 0;
    let fragments = 0;
    const unsub = media.subscribe(ids.lossy!, 'main', { onInit: () => void inits++, onFragment: () => void fragments++ });
    const samples: StreamStatus[] = [];
    const until = Date.now() + LOSSY_SECONDS * 1000;
    while (Date.now() < until) {
      samples.push(main('lossy')!);
      await sleep(200);
    }
    unsub();
    const states = new Set(samples.map((s) => s.state));
    expect([...states].filter((s) => s !== 'online' && s !== 'degraded')).toEqual([]);
    expect(states.has('degraded')).toBe(true); // 2 % > the 1 % threshold
    const losses = samples.map((s) => s.lossPercent).filter((l): l is number => l !== null);
    expect(Math.max(...losses)).toBeGreaterThan(1);
    expect(Math.max(...losses)).toBeLessThan(10);
    expect(new Set(samples.map((s) => `${s.width}x${s.height}`))).toEqual(new Set(['1920x1080']));
    expect(inits).toBe(1); // no flipped parameter set was believed: no new init segment
    expect(fragments).toBeGreaterThan(LOSSY_SECONDS * 25 * 0.5);
    expect(lossy.stats).toMatchObject({ dropped: expect.any(Number), corrupted: expect.any(Number) });
    expect(lossy.stats.dropped).toBeGreaterThan(0);
    expect(lossy.stats.corruptedParameterSets).toBeGreaterThan(0);
    expect(lossy.stats.jumps).toBeGreaterThan(0);
    // What the console gets: the loss rate in the camera's status.
    const dto = (await t.services.cameras.get(ids.lossy!)).status.find((s) => s.stream === 'main')!;
    expect(dto.lossPercent).toEqual(expect.any(Number));
  });

  it('turns a camera whose every packet is lost offline (its watchdogs, 10 s)', async () => {
    expect(playing('dead')).toBe(true);
    dead.configure({ lossPercent: 100 });
    const took = await waitUntil(() => main('dead')?.state === 'offline', 30_000, 'dead offline');
    // Whichever watchdog sees it first: no packet (stalled) or no keyframe since the last one.
    expect(['stalled', 'no_keyframe']).toContain(main('dead')?.reason);
    console.log(`100 % loss → offline after ${(took / 1000).toFixed(1)} s`);
  });

  it('believes a real resolution change within two keyframes and sends a new init segment', async () => {
    const events: ('init' | 'key')[] = [];
    const unsub = media.subscribe(ids.resize!, 'main', {
      onInit: () => void events.push('init'),
      onFragment: (_d, meta) => void (meta.keyframe && events.push('key')),
    });
    await waitUntil(() => events.includes('init'), 10_000, 'first init');
    expect(main('resize')).toMatchObject({ width: 1280, height: 720 });
    await sim.setMainSize('resize', '360p');
    const from = events.length;
    await waitUntil(() => events.slice(from).includes('init'), 20_000, 'a new init segment');
    await waitUntil(() => main('resize')?.width === 640, 5000, 'status says 640×360');
    unsub();
    expect(main('resize')).toMatchObject({ width: 640, height: 360, state: 'online' });
    // The new SPS is seen at the first keyframe of the new clip and believed at the second,
    // whose fragment follows the new init: at most one keyframe of the new clip before it
    // (one more may be an old-clip keyframe already in flight).
    const keysBefore = events.slice(from, events.indexOf('init', from)).length;
    expect(keysBefore).toBeLessThanOrEqual(2);
  });
});
