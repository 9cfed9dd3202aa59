import os from 'node:os';
import path from 'node:path';
import { LIVE_FRAME_MEDIA } from '@kuzet/contracts';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { childProcesses, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from '../media/media.service.ts';
import { LiveHub, socketSink, type LiveSocket } from './live-hub.ts';

/**
 * The H.265 transcoder's stop/start races, through the real hub and media engine
 * (an H.265 camera of the simulator): whatever the order of idle stops, new viewers
 * and the hub's stop, every ffmpeg stays reachable by the hub and none outlives
 * hub.stop() (the process table is checked the moment stop() resolves).
 */
class FakeSocket implements LiveSocket {
  bufferedAmount = 0;
  readyState = 1;
  media = 0;
  private readonly listeners: (() => void)[] = [];
  send(data: string | Uint8Array): void {
    if (typeof data !== 'string' && data[0] === LIVE_FRAME_MEDIA) this.media++;
  }
  close(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    for (const l of this.listeners) l();
  }
  on(_event: 'close', listener: () => void): void {
    this.listeners.push(listener);
  }
}

const ffmpegs = () => childProcesses('ffmpeg');

describe('h265 transcoder races', { timeout: 180_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let cameraId = '';
  /** Called when a transcoder lets go of its upstream: that is when it has begun to stop its ffmpeg. */
  let onUpstreamGone: (() => void) | null = null;
  const log = createLogger('silent');

  beforeAll(async () => {
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [{ id: 'hevc', scene: 'entrance-day', codec: 'h265', main: '720p' }],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    const c = await t.services.cameras.create(null, t.complexId, {
      name: 'hevc', type: 'entrance', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
      mainUrl: sim.url('hevc', 'main'), subUrl: sim.url('hevc', 'sub'), username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
    });
    cameraId = c.id;
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, log, { workers: 1 });
    await media.start();
    await waitUntil(() => media.statusOf(cameraId)?.find((s) => s.stream === 'sub')?.state === 'online', 60_000, 'camera online');
    const subscribe = media.subscribe.bind(media);
    vi.spyOn(media, 'subscribe').mockImplementation((id, stream, consumer) => {
      const unsubscribe = subscribe(id, stream, consumer);
      return () => {
        unsubscribe();
        const hook = onUpstreamGone;
        onUpstreamGone = null;
        hook?.();
      };
    });
  }, 180_000);

  afterAll(async () => {
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  const watch = (hub: LiveHub) => {
    const s = new FakeSocket();
    s.on('close', hub.attach(socketSink(s), cameraId, 'sub'));
    return s;
  };

  it('keeps a viewer who arrives during an idle stop on an ffmpeg the hub still reaches', async () => {
    expect(ffmpegs(), 'no ffmpeg before the test').toBe(0);
    const hub = new LiveHub(media, log, 20);
    const first = watch(hub);
    expect(hub.transcoderCount).toBe(1);
    let late: FakeSocket | null = null;
    // The idle stop has let go of the camera and waits for ffmpeg to exit: a viewer comes.
    onUpstreamGone = () => setImmediate(() => (late = watch(hub)));
    first.close();
    await waitUntil(() => (late?.media ?? 0) >= 5, 60_000, 'the late viewer gets transcoded video');
    expect(hub.transcoderCount).toBe(1);
    expect(ffmpegs()).toBe(1);
    await hub.stop();
    expect(ffmpegs()).toBe(0);
  });

  it('waits in stop() for the ffmpeg an idle stop is still killing', async () => {
    const hub = new LiveHub(media, log, 20);
    const viewer = watch(hub);
    let stopped: Promise<void> | null = null;
    onUpstreamGone = () => setImmediate(() => (stopped = hub.stop()));
    viewer.close();
    await waitUntil(() => stopped !== null, 10_000, 'hub stop during the idle stop');
    await stopped;
    expect(ffmpegs()).toBe(0);
  });

  it('starts no ffmpeg for a viewer who arrives while the hub stops', async () => {
    const hub = new LiveHub(media, log, 20);
    watch(hub);
    const stopping = hub.stop();
    const late = watch(hub); // its subscription is refused; its ticks keep trying meanwhile
    await stopping;
    expect(ffmpegs()).toBe(0);
    expect(hub.transcoderCount).toBe(0);
    late.close();
  });

  it('leaves no ffmpeg after a storm of viewers coming and going around the idle timeout', async () => {
    const hub = new LiveHub(media, log, 15);
    const open: FakeSocket[] = [];
    for (let round = 0; round < 60; round++) {
      // Interleavings, not waiting for anything: a few viewers come, some leave, at 0–30 ms apart.
      open.push(watch(hub));
      if (round % 3 === 0) open.push(watch(hub));
      while (open.length > (round % 4)) open.shift()!.close();
      await new Promise((r) => setTimeout(r, (round * 7) % 31));
    }
    await hub.stop();
    expect(ffmpegs()).toBe(0);
  });
});
