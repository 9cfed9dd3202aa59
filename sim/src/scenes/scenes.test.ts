import { describe, expect, it } from 'vitest';
import { decodeGray } from '../testing/ffmpeg.ts';
import { TEST_CACHE, memoryLog } from '../testing/fixtures.ts';
import { SceneCache, clipKey } from './cache.ts';
import { PLACES, SPECIAL_SCENES, findScene, sceneIds } from './catalog.ts';
import { encodeArgs, sceneGraph, validateSpec, type ClipSpec } from './filtergraph.ts';
import { boxAt, motionInRegion, objectsAt, sceneTruth, type Box } from './truth.ts';

const spec = (over: Partial<ClipSpec> = {}): ClipSpec => ({
  scene: 'yard-day',
  codec: 'h264',
  main: '360p',
  stampId: 7,
  loopSeconds: 2,
  ...over,
});

describe('scene catalog and ffmpeg arguments', () => {
  it('has day and night variants of every place', () => {
    expect(sceneIds()).toEqual([
      ...PLACES.flatMap((p) => [`${p.id}-day`, `${p.id}-night`]),
      ...SPECIAL_SCENES.map((s) => s.id),
    ]);
    expect(findScene('parking-night')?.variant).toBe('night');
    expect(findScene('nowhere-day')).toBeUndefined();
  });

  it('encodes camera-like streams: no B-frames, fixed 2 s GOP, AUDs, Annex B, both streams from one graph', () => {
    const a = encodeArgs(spec({ main: '1080p', loopSeconds: 10 }), 'm.h264', 's.h264').join(' ');
    expect(a).toContain('-bf 0');
    expect(a).toContain('-g 50 -keyint_min 50 -sc_threshold 0');
    expect(a).toContain('aud=1');
    expect(a).toContain('-bsf:v h264_mp4toannexb -f h264 m.h264');
    expect(a).toContain('-b:v 4000k');
    expect(a).toContain('-b:v 500k');
    expect(a).toContain('-frames:v 250');
    const h = encodeArgs(spec({ codec: 'h265' }), 'm.h265', 's.h265').join(' ');
    expect(h).toContain('libx265');
    expect(h).toContain('aud=1:bframes=0:keyint=50');
    expect(h).toContain('-f hevc');
  });

  it('night scenes are darker and noisier; figures are textured and overlaid part by part', () => {
    const day = sceneGraph(spec());
    const night = sceneGraph(spec({ scene: 'yard-night' }));
    expect(night).toContain('eq=brightness=-0.22');
    expect(day).not.toContain('eq=brightness');
    expect(day).toContain('noise=alls=6:allf=t');
    expect(night).toContain('noise=alls=18:allf=t');
    expect(day).toContain('cellauto=');
    expect((day.match(/overlay=/g) ?? []).length).toBe(3 * 6);
  });

  it('rejects specs it cannot render', () => {
    expect(() => validateSpec(spec({ loopSeconds: 3 }))).toThrow(/even/);
    expect(() => validateSpec(spec({ scene: 'moon-day' }))).toThrow(/unknown scene/);
    expect(() => validateSpec(spec({ stampId: -1 }))).toThrow();
  });

  it('keys the cache by the arguments', () => {
    expect(clipKey(spec())).toBe(clipKey(spec()));
    expect(clipKey(spec())).not.toBe(clipKey(spec({ stampId: 8 })));
    expect(clipKey(spec())).not.toBe(clipKey(spec({ scene: 'yard-night' })));
  });
});

describe('ground truth', () => {
  const truth = sceneTruth('parking-day', { width: 1920, height: 1080, loopFrames: 250 });

  it('lists cars and a person with per-frame boxes inside the picture', () => {
    expect(truth.objects.map((o) => `${o.id}:${o.kind}`).sort()).toEqual(['c1:car', 'c2:car', 'c3:car', 'p1:person']);
    for (const o of truth.objects) {
      for (const [, x, y, w, h] of o.boxes) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(x + w).toBeLessThanOrEqual(1920);
        expect(y + h).toBeLessThanOrEqual(1080);
      }
    }
    const c1 = truth.objects.find((o) => o.id === 'c1');
    expect(c1?.firstFrame).toBeGreaterThanOrEqual(15);
    expect(c1?.lastFrame).toBeLessThanOrEqual(76);
  });

  it('a walking figure changes shape: its box width oscillates', () => {
    const p = sceneTruth('yard-day', { width: 1920, height: 1080, loopFrames: 250 }).objects.find((o) => o.id === 'p1');
    const widths = new Set(p?.boxes.filter((b) => b[1] > 0 && b[1] + b[3] < 1920).map((b) => b[3]));
    expect(widths.size).toBeGreaterThan(10);
  });

  it('answers "motion in region R between frames a and b"', () => {
    const lane: Box = { x: 0, y: 700, w: 1920, h: 200 };
    expect(motionInRegion(truth, lane, 30, 40)).toContain('c1');
    expect(objectsAt(truth, 5)).toEqual([]);
    expect(
      motionInRegion(
        sceneTruth('quiet-night', { width: 640, height: 360, loopFrames: 50 }),
        { x: 0, y: 0, w: 640, h: 360 },
        0,
        49,
      ),
    ).toEqual([]);
  });
});

describe('rendered pixels agree with the truth', () => {
  it("the picture changes inside a figure's box and not around it", async () => {
    const s = spec({ scene: 'yard-day', loopSeconds: 4, stampId: 1 });
    const [files] = await new SceneCache(TEST_CACHE, memoryLog().log).ensureAll([s]);
    const truth = files!.truth;
    const res = await decodeGray(files!.main, { width: 640, height: 360, frames: 100 });
    expect(res.frames).toHaveLength(100);
    const p1 = truth.objects.find((o) => o.id === 'p1')!;
    const n = Math.round((p1.firstFrame + p1.lastFrame) / 2);
    const box = boxAt(p1, n)!;
    // a reference frame where nothing covers that box
    const ref = [...Array(100).keys()].find((f) => objectsAt(truth, f).every((o) => !overlaps(o.box, grow(box, 12))))!;
    expect(ref).toBeDefined();
    const a = res.frames[n]!;
    const b = res.frames[ref]!;
    const inside = meanDiff(a, b, box);
    const ring = ringDiff(a, b, box, 4, 12, truth, n);
    expect(inside).toBeGreaterThan(15);
    expect(ring).toBeLessThan(inside / 4);
  });
});

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const grow = (b: Box, d: number): Box => ({ x: b.x - d, y: b.y - d, w: b.w + 2 * d, h: b.h + 2 * d });

function meanDiff(a: Buffer, b: Buffer, box: Box): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, box.y); y < Math.min(360, box.y + box.h); y++) {
    for (let x = Math.max(0, box.x); x < Math.min(640, box.x + box.w); x++) {
      sum += Math.abs((a[y * 640 + x] ?? 0) - (b[y * 640 + x] ?? 0));
      n++;
    }
  }
  return sum / Math.max(1, n);
}

function ringDiff(
  a: Buffer,
  b: Buffer,
  box: Box,
  d0: number,
  d1: number,
  truth: ReturnType<typeof sceneTruth>,
  n: number,
): number {
  const outer = grow(box, d1);
  const inner = grow(box, d0);
  const others = objectsAt(truth, n)
    .map((o) => o.box)
    .filter((o) => !(o.x === box.x && o.y === box.y));
  let sum = 0;
  let count = 0;
  for (let y = Math.max(40, outer.y); y < Math.min(360, outer.y + outer.h); y++) {
    for (let x = Math.max(0, outer.x); x < Math.min(640, outer.x + outer.w); x++) {
      const p = { x, y, w: 1, h: 1 };
      if (overlaps(p, inner) || others.some((o) => overlaps(p, grow(o, d1)))) continue;
      sum += Math.abs((a[y * 640 + x] ?? 0) - (b[y * 640 + x] ?? 0));
      count++;
    }
  }
  return sum / Math.max(1, count);
}
