/** Tamper faults (cover, defocus, turn): the served picture switches at a keyframe, the truth says when. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.ts';
import { decodeStamp } from './stamp.ts';
import { decodeGray, stampProblems, stampsOf } from './testing/ffmpeg.ts';
import { TEST_CACHE, memoryLog } from './testing/fixtures.ts';

const W = 640;
const H = 360;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let sim: Simulator;
const logs = memoryLog();

beforeAll(async () => {
  sim = await startSimulator({
    cameras: [
      { id: 't1', scene: 'playground-night', codec: 'h264', main: '360p', stampId: 31, tamper: true, subGopSeconds: 1 },
      { id: 't2', scene: 'playground-night', codec: 'h264', main: '360p', stampId: 32 },
    ],
    loopSeconds: 4,
    cacheDir: TEST_CACHE,
    log: logs.log,
  });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
});

const mean = (f: Buffer): number => {
  let s = 0;
  for (let i = 40 * W; i < f.length; i++) s += f[i] ?? 0;
  return s / (f.length - 40 * W);
};

async function frames(id: string, n: number): Promise<Buffer[]> {
  const res = await decodeGray(sim.url(id, 'sub'), { width: W, height: H, frames: n, transport: 'tcp' });
  expect(res.frames.length).toBe(n);
  return res.frames;
}

describe('tamper faults', () => {
  it('cover switches the picture at the next keyframe; the stream stays continuous; none brings it back', async () => {
    const healthy = mean((await frames('t1', 3))[2]!);
    // start a viewer, then cover the camera while it watches
    const watching = decodeGray(sim.url('t1', 'sub'), { width: W, height: H, frames: 120, transport: 'tcp' });
    const playing = (): number =>
      sim.allSessions().find((x) => x.cameraId === 't1' && x.stream === 'sub')?.playing ?? 0;
    for (let i = 0; i < 100 && playing() === 0; i++) await sleep(50);
    await sleep(1100); // past the first sub keyframe: ffmpeg is decoding
    sim.setFault('t1', 'cover');
    const at = await sim.pictureSwitch('t1');
    expect(at).toBeGreaterThan(Date.now() - 100);
    expect(at! - Date.now()).toBeLessThanOrEqual(2100);
    expect(sim.truth('t1').tamper).toEqual([{ cause: 'covered', startMs: at, endMs: null }]);
    const res = await watching;
    expect(stampProblems(stampsOf(res.frames, W, H), 31, 100)).toEqual([]);
    const means = res.frames.map(mean);
    // the picture goes dark on a frame that is a multiple of 50 (a keyframe of both streams), and stays dark
    const first = means.findIndex((m) => m < 30);
    expect(first).toBeGreaterThan(0);
    expect(decodeStamp({ width: W, height: H, data: res.frames[first]! })!.frame % 50).toBe(0);
    expect(means.slice(first).every((m) => m < 30)).toBe(true);
    expect(means[first - 1]!).toBeGreaterThan(healthy - 10);

    sim.setFault('t1', 'none');
    const back = await sim.pictureSwitch('t1');
    await sleep(Math.max(0, back! - Date.now()) + 100);
    expect(mean((await frames('t1', 3))[2]!)).toBeGreaterThan(healthy - 10);
    expect(sim.truth('t1').tamper).toEqual([{ cause: 'covered', startMs: at, endMs: back }]);
  });

  it('defocus and turn via the HTTP API; /cameras shows the picture', async () => {
    const healthy = await frames('t1', 10);
    for (const kind of ['defocus', 'turn'] as const) {
      const res = await fetch(`http://127.0.0.1:${sim.httpPort}/cameras/t1/fault`, {
        method: 'POST',
        body: JSON.stringify({ kind }),
      });
      expect(res.status).toBe(200);
      const at = await sim.pictureSwitch('t1');
      await sleep(Math.max(0, at! - Date.now()) + 100);
      const cams = (await (await fetch(`http://127.0.0.1:${sim.httpPort}/cameras`)).json()) as Array<{
        id: string;
        picture: string;
      }>;
      expect(cams.find((c) => c.id === 't1')?.picture).toBe(kind);
      const got = await frames('t1', 10);
      // compare the same loop frames: the picture differs from the healthy one beyond noise
      const byFrame = new Map(healthy.map((f) => [decodeStamp({ width: W, height: H, data: f })?.frame, f]));
      let diff = 0;
      let n = 0;
      for (const f of got) {
        const ref = byFrame.get(decodeStamp({ width: W, height: H, data: f })?.frame);
        if (!ref) continue;
        for (let i = 40 * W; i < f.length; i += 7) {
          diff += Math.abs((f[i] ?? 0) - (ref[i] ?? 0));
          n++;
        }
      }
      if (n) expect(diff / n).toBeGreaterThan(3);
    }
    expect(
      sim
        .truth('t1')
        .tamper.slice(-2)
        .map((t) => t.cause),
    ).toEqual(['defocused', 'turned']);
    sim.setFault('t1', 'none');
    const bad = await fetch(`http://127.0.0.1:${sim.httpPort}/cameras/t1/fault`, {
      method: 'POST',
      body: '{"kind":"melt"}',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('cover');
  });

  it('a camera without pre-rendered variants renders one on first use, then switches', async () => {
    sim.setFault('t2', 'cover');
    const at = await sim.pictureSwitch('t2');
    expect(typeof at).toBe('number');
    expect(logs.lines.some((l) => l.includes('rendering the "cover" picture of t2'))).toBe(true);
    await sleep(Math.max(0, at! - Date.now()) + 100);
    expect(mean((await frames('t2', 3))[2]!)).toBeLessThan(30);
    expect(sim.truth('t2')).toMatchObject({ subGopSeconds: 2, tamper: [{ cause: 'covered', endMs: null }] });
    expect(sim.truth('t1').subGopSeconds).toBe(1);
    expect(sim.truth('t1').zones[0]?.id).toBe('playground');
  }, 60_000);
});
