/** The detection scenes (issue 10): their truth, and that the rendered pixels agree with it. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { packetizeAnnexB } from '../media/packetizer.ts';
import { decodeStamp } from '../stamp.ts';
import { decodeGray } from '../testing/ffmpeg.ts';
import { TEST_CACHE, memoryLog } from '../testing/fixtures.ts';
import { SceneCache } from './cache.ts';
import { PLACES, sceneIds } from './catalog.ts';
import { sceneGraph, type ClipSpec } from './filtergraph.ts';
import { boxTouchesPolygon, sceneTruth, type Box, type SceneTruth } from './truth.ts';

const W = 640;
const H = 360;
const spec = (scene: string, over: Partial<ClipSpec> = {}): ClipSpec => ({
  scene,
  codec: 'h264',
  main: '360p',
  stampId: 21,
  loopSeconds: 4,
  ...over,
});
const canvas = { width: 1920, height: 1080, loopFrames: 250 };

describe('detection scene catalog', () => {
  it('adds the new scenes after the old ones (default stamp ids of old scenes unchanged)', () => {
    const ids = sceneIds();
    expect(ids.slice(0, 10)).toEqual(
      ['yard', 'entrance', 'parking', 'perimeter', 'quiet'].flatMap((p) => [`${p}-day`, `${p}-night`]),
    );
    for (const id of ['playground-night', 'basement-night', 'quiet-noisy-night', 'headlights-night', 'ir-switch'])
      expect(ids).toContain(id);
    expect(PLACES.find((p) => p.id === 'playground')?.zones?.[0]?.id).toBe('playground');
  });

  it('draws rain, headlights and the infrared switch with blend/overlay; tamper variants add one filter', () => {
    expect(sceneGraph(spec('quiet-noisy-night'))).toContain('noise=alls=34:allf=t');
    expect(sceneGraph(spec('quiet-noisy-night'))).toContain('flags=neighbor');
    expect(sceneGraph(spec('headlights-night'))).toContain('blend=c0_mode=addition');
    expect(sceneGraph(spec('ir-switch'))).toContain('saturation=0');
    expect(sceneGraph(spec('quiet-night', { tamper: 'cover' }))).toContain("lutyuv=y='22+val/24'");
    expect(sceneGraph(spec('quiet-night', { tamper: 'defocus' }))).toContain('gblur=sigma=13');
    expect(sceneGraph(spec('quiet-night', { tamper: 'turn' }))).toMatch(/crop=.*hflip/);
  });
});

describe('detection scene truth', () => {
  it('playground: p1 enters the zone once, p2 passes behind it and never touches it', () => {
    const t = sceneTruth('playground-night', canvas);
    expect(t.zones).toEqual([{ id: 'playground', polygon: expect.any(Array) }]);
    const entries = t.events.filter((e) => e.kind === 'zone_entry');
    expect(entries).toHaveLength(1);
    const e = entries[0]!;
    expect(e).toMatchObject({ zoneId: 'playground', objectId: 'p1' });
    expect(e.endMs - e.startMs).toBeGreaterThan(2000);
    const zone = t.zones[0]!.polygon;
    const norm = (b: [number, number, number, number, number]): Box => ({
      x: b[1] / 1920,
      y: b[2] / 1080,
      w: b[3] / 1920,
      h: b[4] / 1080,
    });
    const p1 = t.objects.find((o) => o.id === 'p1')!;
    // before the start frame its box is outside the zone, on it inside
    const startFrame = Math.round((e.startMs * 25) / 1000);
    const at = (n: number): Box => norm(p1.boxes.find((b) => b[0] === n)!);
    expect(boxTouchesPolygon(at(startFrame), zone)).toBe(true);
    expect(boxTouchesPolygon(at(startFrame - 1), zone)).toBe(false);
    const p2 = t.objects.find((o) => o.id === 'p2')!;
    // p2 keeps a margin: its box grown by 2 % of the picture still misses the zone
    for (const b of p2.boxes) {
      const n = norm(b);
      expect(boxTouchesPolygon({ x: n.x - 0.02, y: n.y - 0.02, w: n.w + 0.04, h: n.h + 0.04 }, zone)).toBe(false);
    }
    expect(t.events.find((x) => x.kind === 'none')).toMatchObject({ cause: 'outside_zone', objectId: 'p2' });
  });

  it('basement: a person reaches the door zone; negatives mark their distractors', () => {
    const b = sceneTruth('basement-night', canvas);
    expect(b.events.map((e) => `${e.kind}:${e.zoneId}`)).toEqual(['zone_entry:basement-door']);
    expect(sceneTruth('quiet-noisy-night', canvas).events).toEqual([
      { kind: 'none', cause: 'noise_rain', startMs: 0, endMs: 10000 },
    ]);
    expect(sceneTruth('headlights-night', canvas).events.map((e) => e.cause)).toEqual(['headlights', 'headlights']);
    expect(sceneTruth('ir-switch', canvas).events).toEqual([
      { kind: 'none', cause: 'ir_on', startMs: 3000, endMs: 7000 },
      { kind: 'none', cause: 'ir_off', startMs: 7000, endMs: 10000 },
    ]);
    expect(sceneTruth('yard-day', canvas).events).toEqual([]);
  });

  it('boxTouchesPolygon needs positive overlap', () => {
    const sq: Array<[number, number]> = [
      [0.2, 0.2],
      [0.4, 0.2],
      [0.4, 0.4],
      [0.2, 0.4],
    ];
    expect(boxTouchesPolygon({ x: 0.3, y: 0.3, w: 0.01, h: 0.01 }, sq)).toBe(true);
    expect(boxTouchesPolygon({ x: 0.4, y: 0.3, w: 0.1, h: 0.1 }, sq)).toBe(false);
    const tri: Array<[number, number]> = [
      [0, 0],
      [1, 0],
      [0, 1],
    ];
    expect(boxTouchesPolygon({ x: 0.6, y: 0.6, w: 0.1, h: 0.1 }, tri)).toBe(false); // inside the bbox, outside the triangle
  });
});

async function render(s: ClipSpec): Promise<{ frames: Buffer[]; truth: SceneTruth; sub: string }> {
  const [files] = await new SceneCache(TEST_CACHE, memoryLog().log).ensureAll([s]);
  const res = await decodeGray(files!.sub, { width: W, height: H, frames: s.loopSeconds * 25 });
  expect(res.frames).toHaveLength(s.loopSeconds * 25);
  return { frames: res.frames, truth: files!.truth, sub: files!.sub };
}

/** mean luma in a normalised region (below the stamp strip) */
function mean(f: Buffer, r: Box = { x: 0, y: 0.1, w: 1, h: 0.9 }): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(r.y * H); y < Math.min(H, Math.ceil((r.y + r.h) * H)); y++)
    for (let x = Math.floor(r.x * W); x < Math.min(W, Math.ceil((r.x + r.w) * W)); x++) {
      sum += f[y * W + x] ?? 0;
      n++;
    }
  return sum / Math.max(1, n);
}
function meanAbsDiff(a: Buffer, b: Buffer, r: Box): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.max(32, Math.floor(r.y * H)); y < Math.min(H, Math.ceil((r.y + r.h) * H)); y++)
    for (let x = Math.max(0, Math.floor(r.x * W)); x < Math.min(W, Math.ceil((r.x + r.w) * W)); x++) {
      sum += Math.abs((a[y * W + x] ?? 0) - (b[y * W + x] ?? 0));
      n++;
    }
  return sum / Math.max(1, n);
}
/** edge energy: mean squared horizontal gradient on 4×4 block means (so sensor noise averages out) */
function edges(f: Buffer): number {
  const bw = W / 4;
  const rows: number[][] = [];
  for (let by = 10; by < H / 4; by++) {
    const row: number[] = [];
    for (let bx = 0; bx < bw; bx++) {
      let s = 0;
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) s += f[(by * 4 + y) * W + bx * 4 + x] ?? 0;
      row.push(s / 16);
    }
    rows.push(row);
  }
  let sum = 0;
  let n = 0;
  for (const row of rows)
    for (let x = 1; x < row.length; x++) {
      sum += ((row[x] ?? 0) - (row[x - 1] ?? 0)) ** 2;
      n++;
    }
  return sum / n;
}
const frameOf = (ms: number): number => Math.round((ms * 25) / 1000);

describe('detection scene pixels agree with the truth', () => {
  it('playground-night: the figure is in its box at the zone entry; nothing else changes in the zone', async () => {
    const { frames, truth } = await render(spec('playground-night'));
    const e = truth.events.find((x) => x.kind === 'zone_entry')!;
    const n = frameOf(e.startMs) + 3;
    const p1 = truth.objects.find((o) => o.id === 'p1')!;
    const raw = p1.boxes.find((b) => b[0] === n)!;
    const box: Box = { x: raw[1] / W, y: raw[2] / H, w: raw[3] / W, h: raw[4] / H };
    const empty = frames[2]!; // before anyone appears
    expect(meanAbsDiff(frames[n]!, empty, box)).toBeGreaterThan(8);
    // the zone away from p1 stays as it was (night noise only)
    const zoneLeft: Box = { x: 0.1, y: 0.42, w: 0.2, h: 0.3 };
    expect(meanAbsDiff(frames[n]!, empty, zoneLeft)).toBeLessThan(6);
    for (const f of frames) expect(decodeStamp({ width: W, height: H, data: f })?.id).toBe(21);
  });

  it('quiet-noisy-night: heavy noise and streaks everywhere, but the picture stays the same on average', async () => {
    const { frames } = await render(spec('quiet-noisy-night'));
    const quiet = await render(spec('quiet-night'));
    const flicker = (fs: Buffer[]): number => meanAbsDiff(fs[10]!, fs[11]!, { x: 0, y: 0.1, w: 1, h: 0.9 });
    expect(flicker(frames)).toBeGreaterThan(flicker(quiet.frames) * 1.5);
    const avg = (from: number): number => frames.slice(from, from + 25).reduce((s, f) => s + mean(f), 0) / 25;
    expect(Math.abs(avg(0) - avg(50))).toBeLessThan(1.5);
  });

  it('headlights-night: the yard lights up while a beam sweeps and is dark otherwise', async () => {
    const { frames, truth } = await render(spec('headlights-night'));
    const sweep = truth.events[0]!;
    const mid = frameOf((sweep.startMs + sweep.endMs) / 2);
    const dark = frameOf(truth.events[0]!.startMs) - 3;
    expect(mean(frames[mid]!)).toBeGreaterThan(mean(frames[dark]!) + 10);
  });

  it('ir-switch: gray, brighter, more contrast from ir_on to ir_off, dusk otherwise', async () => {
    const { frames, truth } = await render(spec('ir-switch'));
    const on = truth.events.find((e) => e.cause === 'ir_on')!;
    const ir = frames[frameOf(on.startMs) + 5]!;
    const dusk = frames[frameOf(on.startMs) - 5]!;
    const back = frames[frameOf(on.endMs) + 5]!;
    expect(mean(ir)).toBeGreaterThan(mean(dusk) + 15);
    expect(edges(ir)).toBeGreaterThan(edges(dusk));
    expect(Math.abs(mean(back) - mean(dusk))).toBeLessThan(3);
  });

  it('tamper variants: covered is dark and flat, defocused loses detail, turned shows another view', async () => {
    // the average of frames 0–9 (nobody in the picture yet): sensor noise averages out
    const still = async (t?: ClipSpec['tamper']): Promise<Buffer> => {
      const fs = (await render(spec('playground-night', t ? { tamper: t } : {}))).frames.slice(0, 10);
      expect(decodeStamp({ width: W, height: H, data: fs[2]! })).toEqual({ id: 21, frame: 2 });
      const out = Buffer.alloc(W * H);
      for (let i = 0; i < out.length; i++) out[i] = Math.round(fs.reduce((s, f) => s + (f[i] ?? 0), 0) / fs.length);
      return out;
    };
    const normal = await still();
    const covered = await still('cover');
    const blurred = await still('defocus');
    const turned = await still('turn');
    expect(mean(covered)).toBeLessThan(30);
    expect(edges(covered)).toBeLessThan(edges(normal) / 2);
    expect(edges(blurred)).toBeLessThan(edges(normal) / 2);
    expect(meanAbsDiff(turned, normal, { x: 0, y: 0.1, w: 1, h: 0.9 })).toBeGreaterThan(8);
    expect(Math.abs(mean(turned) - mean(normal))).toBeLessThan(15);
  });

  it('subGopSeconds 1: the sub stream has a keyframe every 25 frames, the main every 50', async () => {
    const s = spec('quiet-night', { subGopSeconds: 1 });
    const [files] = await new SceneCache(TEST_CACHE, memoryLog().log).ensureAll([s]);
    const keys = (clip: ReturnType<typeof packetizeAnnexB>): number[] =>
      [...clip.keyframe].flatMap((k, i) => (k ? [i] : []));
    expect(keys(packetizeAnnexB(await readFile(files!.sub), 'h264'))).toEqual([0, 25, 50, 75]);
    expect(keys(packetizeAnnexB(await readFile(files!.main), 'h264'))).toEqual([0, 50]);
  });
});
