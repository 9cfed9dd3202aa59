/** ffmpeg as the client: what a real NVR would see. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraFrameAt, startSimulator, type Simulator } from './index.ts';
import { decodeGray, stampProblems, stampsOf } from './testing/ffmpeg.ts';
import { TEST_CACHE, memoryLog } from './testing/fixtures.ts';

let sim: Simulator;
const W = 640;
const H = 360;

beforeAll(async () => {
  sim = await startSimulator({
    cameras: [
      { id: 'a', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 101 },
      { id: 'b', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 102 },
      {
        id: 'digest',
        scene: 'parking-day',
        codec: 'h264',
        main: '360p',
        auth: { kind: 'digest', username: 'admin', password: 's3cret' },
      },
      {
        id: 'basic',
        scene: 'parking-day',
        codec: 'h264',
        main: '360p',
        auth: { kind: 'basic', username: 'viewer', password: 'pa ss' },
      },
      { id: 'hevc', scene: 'perimeter-night', codec: 'h265', main: '360p', stampId: 103 },
    ],
    loopSeconds: 2,
    cacheDir: TEST_CACHE,
    log: memoryLog().log,
  });
});
afterAll(async () => {
  await sim?.stop();
});

describe('ffmpeg as an RTSP client', () => {
  it('decodes 60 consecutive frames over TCP and over UDP: right camera id, no loss, no repeat, across the loop seam', async () => {
    const [tcp, udp] = await Promise.all([
      decodeGray(sim.url('a', 'sub'), { width: W, height: H, frames: 60, transport: 'tcp' }),
      decodeGray(sim.url('b', 'sub'), { width: W, height: H, frames: 60, transport: 'udp' }),
    ]);
    for (const [res, id] of [
      [tcp, 101],
      [udp, 102],
    ] as const) {
      expect(res.code, res.stderr).toBe(0);
      expect(res.frames).toHaveLength(60);
      expect(stampProblems(stampsOf(res.frames, W, H), id, 50)).toEqual([]);
    }
    // the truth's clock agrees with the pixels: the last frame came out of the decoder (nearly) when it was shown
    const last = stampsOf(tcp.frames.slice(-1), W, H)[0]!;
    const truth = sim.truth('a');
    const expected = cameraFrameAt(truth, tcp.lastDataAt) % truth.loopFrames;
    const lag = (expected - last.frame + truth.loopFrames) % truth.loopFrames;
    expect(lag).toBeLessThanOrEqual(8); // decoder frame threads + pipe; a wrong epoch would be off by up to 49
  });

  it('authenticates with Digest and Basic from the URL, refuses a wrong password, plays H.265', async () => {
    const wrong = sim.url('digest', 'sub').replace('s3cret', 'nope');
    const [digest, basic, refused, hevc] = await Promise.all([
      decodeGray(sim.url('digest', 'sub'), { width: W, height: H, frames: 5, transport: 'tcp' }),
      decodeGray(sim.url('basic', 'main'), { width: W, height: H, frames: 5, transport: 'tcp' }),
      decodeGray(wrong, { width: W, height: H, frames: 5, transport: 'tcp' }),
      decodeGray(sim.url('hevc', 'sub'), { width: W, height: H, frames: 70, transport: 'tcp' }),
    ]);
    expect(digest.code, digest.stderr).toBe(0);
    expect(digest.frames).toHaveLength(5);
    expect(basic.code, basic.stderr).toBe(0);
    expect(basic.frames).toHaveLength(5);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401|Unauthorized/);
    expect(hevc.code, hevc.stderr).toBe(0);
    // ffmpeg's HEVC decoder emits gray pictures until the first keyframe (it joins mid-GOP): skip those
    const stamps = stampsOf(hevc.frames, W, H);
    const first = stamps.findIndex((s) => s !== null);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(stamps.length - first).toBeGreaterThanOrEqual(10);
    expect(stampProblems(stamps.slice(first), 103, 50)).toEqual([]);
  });
});
