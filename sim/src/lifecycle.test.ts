/** Start/stop hygiene: nothing outlives stop(), aborting startup kills ffmpeg, bad config is refused. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCameras, startSimulator } from './index.ts';
import { clipName } from './scenes/cache.ts';
import { childProcesses } from './testing/ffmpeg.ts';
import { TEST_CACHE, memoryLog } from './testing/fixtures.ts';
import { TestRtspClient, udpReceiver } from './testing/rtsp-client.ts';

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('lifecycle', () => {
  it('stop() closes every socket and timer and leaves no ffmpeg behind', async () => {
    const sim = await startSimulator({
      cameras: [{ id: 'x', scene: 'quiet-night', codec: 'h264', main: '360p' }],
      loopSeconds: 2,
      cacheDir: TEST_CACHE,
      log: memoryLog().log,
    });
    const tcp = await TestRtspClient.connect(sim.rtspPort);
    await tcp.play(sim.url('x', 'sub'));
    const rx = await udpReceiver();
    const udp = await TestRtspClient.connect(sim.rtspPort);
    await udp.play(sim.url('x', 'main'), { udpPorts: rx.ports });
    const idle = await TestRtspClient.connect(sim.rtspPort);
    const truth = (await (await fetch(`http://127.0.0.1:${sim.httpPort}/truth/x`)).json()) as {
      cameraId: string;
      epochMs: number;
      loopFrames: number;
    };
    expect(truth).toMatchObject({ cameraId: 'x', loopFrames: 50 });
    expect((await fetch(`http://127.0.0.1:${sim.httpPort}/truth/nope`)).status).toBe(404);
    await sim.stop();
    await Promise.all([tcp.ended, udp.ended, idle.ended]);
    const n = rx.rtp.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(rx.rtp.length).toBe(n);
    await rx.close();
    expect(await refused(sim.rtspPort)).toBe(true);
    expect(await refused(sim.httpPort)).toBe(true);
    expect(childProcesses('ffmpeg')).toEqual([]);
    await sim.stop(); // idempotent
  });

  it('aborting startup kills the encoders and leaves no half-written clip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kuzet-sim-abort-'));
    try {
      const controller = new AbortController();
      const { lines, log } = memoryLog();
      const p = startSimulator({
        cameras: [
          { id: 'a', scene: 'yard-day', codec: 'h264' },
          { id: 'b', scene: 'parking-night', codec: 'h265' },
          { id: 'c', scene: 'entrance-day', codec: 'h264' },
        ],
        cacheDir: dir,
        log,
        signal: controller.signal,
      });
      for (let i = 0; i < 100 && childProcesses('ffmpeg').length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(childProcesses('ffmpeg').length).toBe(2); // at most two encodes at once
      controller.abort();
      await expect(p).rejects.toThrow();
      expect(childProcesses('ffmpeg')).toEqual([]);
      expect(lines.filter((l) => l.includes('encoding')).length).toBe(2);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad camera configs before encoding anything', async () => {
    const base = { scene: 'yard-day', codec: 'h264' as const };
    await expect(
      startSimulator({ cameras: [{ id: 'a/b', ...base }], cacheDir: TEST_CACHE, log: () => undefined }),
    ).rejects.toThrow(/url-safe/);
    await expect(
      startSimulator({
        cameras: [
          { id: 'a', ...base },
          { id: 'a', ...base },
        ],
        cacheDir: TEST_CACHE,
        log: () => undefined,
      }),
    ).rejects.toThrow(/duplicate/);
    await expect(
      startSimulator({
        cameras: [{ id: 'a', scene: 'moon-day', codec: 'h264' }],
        cacheDir: TEST_CACHE,
        log: () => undefined,
      }),
    ).rejects.toThrow(/unknown scene/);
    await expect(
      startSimulator({ cameras: [{ id: 'a', ...base }], loopSeconds: 5, cacheDir: TEST_CACHE, log: () => undefined }),
    ).rejects.toThrow(/even/);
  });

  it('demo set: twelve cameras from seven clips, yard-3 over the playground at night, with Basic, Digest and H.265 among them', () => {
    const cams = demoCameras();
    expect(cams).toHaveLength(12);
    expect(new Set(cams.map((c) => c.id)).size).toBe(12);
    const clips = new Set(
      cams.map((c) =>
        clipName({ scene: c.scene, codec: c.codec, main: c.main ?? '1080p', stampId: 1, loopSeconds: 10 }),
      ),
    );
    expect(clips.size).toBe(7);
    expect(cams.find((c) => c.id === 'yard-3')?.scene).toBe('playground-night');
    expect(cams.some((c) => c.auth?.kind === 'basic')).toBe(true);
    expect(cams.some((c) => c.auth?.kind === 'digest')).toBe(true);
    expect(cams.some((c) => c.codec === 'h265')).toBe(true);
    expect(demoCameras(30)).toHaveLength(30);
    expect(existsSync(TEST_CACHE)).toBe(true);
  });
});
