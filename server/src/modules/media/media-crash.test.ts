import os from 'node:os';
import path from 'node:path';
import { LIVE_FRAME_INIT, LIVE_FRAME_MEDIA } from '@kuzet/contracts';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../platform/logger.ts';
import { captureLines, openSockets, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';
import { LiveHub } from '../live/live-hub.ts';
import { MediaService } from './media.service.ts';

/**
 * A media worker that dies from inside (an uncaught error in the thread, not
 * terminate()) comes back with its cameras and its subscribers: a direct consumer
 * and live WebSocket viewers (H.264, and H.265 through the transcoder) get a fresh
 * init segment and fragments again, the
 * simulator sees exactly one session per stream, stats() in flight does not hang,
 * and a worker that keeps crashing is restarted with backoff.
 */
interface Consumer {
  inits: number;
  /** Fragments since the last init, and whether the first of them was a keyframe. */
  since: { count: number; firstKey: boolean | null };
  unsubscribe: () => void;
}

interface Viewer {
  ws: WebSocket;
  inits: number;
  since: { count: number; firstKey: boolean | null };
}

describe('media worker crash', { timeout: 180_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let hub: LiveHub;
  let base = '';
  let cookie = '';
  let cameraId = '';
  let hevcId = '';
  const logs = captureLines();
  let socketsBefore = 0;

  const consume = (stream: 'main' | 'sub'): Consumer => {
    const c: Consumer = { inits: 0, since: { count: 0, firstKey: null }, unsubscribe: () => undefined };
    c.unsubscribe = media.subscribe(cameraId, stream, {
      onInit: () => {
        c.inits++;
        c.since = { count: 0, firstKey: null };
      },
      onFragment: (_d, meta) => {
        c.since.firstKey ??= meta.keyframe;
        c.since.count++;
      },
    });
    return c;
  };

  const view = (stream: 'main' | 'sub', id = cameraId): Viewer => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/cameras/${id}/live?stream=${stream}`, { headers: { cookie, origin: base } });
    const v: Viewer = { ws, inits: 0, since: { count: 0, firstKey: null } };
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const b = data as Buffer;
      if (b[0] === LIVE_FRAME_INIT) {
        v.inits++;
        v.since = { count: 0, firstKey: null };
      } else if (b[0] === LIVE_FRAME_MEDIA) {
        v.since.firstKey ??= (b[1]! & 1) === 1;
        v.since.count++;
      }
    });
    ws.on('error', () => undefined);
    return v;
  };

  /** Waits until a consumer has had a new init (after `inits`) and 10 fragments since, starting at a keyframe. */
  const resumed = async (who: string, x: { inits: number; since: { count: number; firstKey: boolean | null } }, inits: number) => {
    await waitUntil(() => x.inits > inits && x.since.count >= 10, 30_000, `${who} resumed after the crash`);
    expect(x.since.firstKey).toBe(true);
  };

  const crashLines = () => logs.lines.filter((l) => l.includes('media worker exited')).map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    socketsBefore = openSockets();
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [
        { id: 'crashy', scene: 'yard-day', codec: 'h264', main: '720p' },
        { id: 'hevc', scene: 'entrance-day', codec: 'h265', main: '720p' },
      ],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    const add = async (name: string) =>
      (
        await t.services.cameras.create(null, t.complexId, {
          name, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
          mainUrl: sim.url(name, 'main'), subUrl: sim.url(name, 'sub'), username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
        })
      ).id;
    cameraId = await add('crashy');
    hevcId = await add('hevc');
    const log = createLogger('debug', logs.stream);
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, log, {
      workers: 1,
      testHooks: true,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 3000, keyframeMs: 5000, connectMs: 3000 },
    });
    hub = new LiveHub(media, createLogger('silent'));
    const { buildApp } = await import('../../app.ts');
    const app = await buildApp({ config: t.env.config, services: t.services, logger: createLogger('silent'), hub });
    await media.start();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    t.app = app as unknown as TestApp['app'];
    cookie = (await freshSession(t, 'operator')).cookie;
    await waitUntil(() => [cameraId, hevcId].every((id) => media.statusOf(id)?.every((s) => s.state === 'online')), 60_000, 'cameras online');
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it('restarts a worker that throws, and its consumer and live viewer resume by themselves', async () => {
    const consumer = consume('main');
    const viewer = view('sub');
    const hevcViewer = view('sub', hevcId); // through the H.265 transcoder's ffmpeg
    await waitUntil(() => [consumer, viewer, hevcViewer].every((x) => x.since.count >= 10), 60_000, 'consumer and viewers receiving');
    const before = { consumer: consumer.inits, viewer: viewer.inits, hevcViewer: hevcViewer.inits };

    media.crashWorkerForTest(cameraId);
    // Asked after the crash message: the dying worker never answers, and the request must not hang.
    const inflight = await media.stats();
    expect(inflight.streams).toBe(0);

    // Back within 5 s: a new thread runs both streams again.
    await waitUntil(async () => (await media.stats()).streams === 4, 5000, 'worker restarted with its streams');
    expect(crashLines()).toHaveLength(1);
    expect(crashLines()[0]).toMatchObject({ worker: 0, crashesInARow: 1, restartInMs: 0, cameras: 2 });

    await resumed('consumer', consumer, before.consumer);
    await resumed('live viewer', viewer, before.viewer);
    await resumed('H.265 live viewer', hevcViewer, before.hevcViewer);
    for (const id of ['crashy', 'hevc']) for (const stream of ['main', 'sub'] as const) expect(sim.sessions(id, stream), `${id}/${stream}`).toBe(1);
    expect((await media.stats()).consumers).toBe(3); // each subscription once, not doubled

    consumer.unsubscribe();
    viewer.ws.close();
    hevcViewer.ws.close();
    // The unsubscriptions reach the new worker, not the dead one.
    await waitUntil(async () => (await media.stats()).consumers === 0, 10_000, 'no consumer left');
  });

  it('restarts a worker that crashes again soon with backoff, and still resumes its viewers', async () => {
    const consumer = consume('sub');
    await waitUntil(() => consumer.since.count >= 5, 30_000, 'consumer receiving');
    const inits = consumer.inits;
    media.crashWorkerForTest(cameraId); // the second crash within a minute of the first restart
    await waitUntil(() => crashLines().length === 2, 10_000, 'second crash logged');
    expect(crashLines()[1]).toMatchObject({ crashesInARow: 2, restartInMs: 1000 });
    // Meanwhile (the restart is a second away) its streams do not pass for online.
    expect(media.statusOf(cameraId)?.map((x) => x.state)).toEqual(['connecting', 'connecting']);
    await resumed('consumer', consumer, inits);
    expect(sim.sessions('crashy', 'main')).toBe(1);
    expect(sim.sessions('crashy', 'sub')).toBe(1);
    consumer.unsubscribe();
  });

  it('leaves no upstream session or socket behind on stop', async () => {
    await hub.stop();
    await media.stop();
    await waitUntil(() => ['crashy', 'hevc'].every((id) => sim.sessions(id, 'main') === 0 && sim.sessions(id, 'sub') === 0), 10_000, 'upstream sessions closed');
    await sim.stop();
    await waitUntil(() => openSockets() <= socketsBefore + 4, 10_000, 'sockets closed');
  });
});
