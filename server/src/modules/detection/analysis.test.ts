import { describe, expect, it } from 'vitest';
import { FRAME_PIXELS, FRAME_W, MotionAnalyzer } from './analysis.ts';
import { blur, figure, render, rng, scene } from './testing/synthetic.ts';
import type { DetectionReport, ZoneSpec } from './detection.types.ts';
import { CameraTracker, type EventIntent } from './tracker.ts';
import { inSchedule, rasterize } from './zones.ts';

/**
 * The analysis on synthetic gray frames (160×90): a textured still scene with sensor noise,
 * and what happens to it — slow light, a headlight sweep, the infrared switch, a covered,
 * defocused or turned camera, a textured figure walking into a zone, an exclude mask.
 */

const T0 = Date.parse('2026-11-30T20:00:00Z'); // 01:00 in Almaty (UTC+5): night
const zone = (over: Partial<ZoneSpec> = {}): ZoneSpec => ({
  id: 'z1', kind: 'include', polygon: [[0.5, 0.3], [1, 0.3], [1, 1], [0.5, 1]], sensitivity: 5, minObjectSize: 0.004,
  schedule: { kind: 'always' }, cooldownSeconds: 5, enabled: true, ...over,
});

interface Run { intents: EventIntent[]; activeFrames: number }

/** Frames every `stepMs` through a tracker: the first `learn` frames of the still scene, then `make(k)`. */
function run(tracker: CameraTracker, base: Float32Array, opts: { frames: number; learn?: number; stepMs?: number; noise?: number; seed?: number; make?: (k: number, r: () => number) => Uint8Array }): Run {
  const r = rng(opts.seed ?? 7);
  const step = opts.stepMs ?? 200;
  const learn = opts.learn ?? 30;
  const intents: EventIntent[] = [];
  let activeFrames = 0;
  for (let k = 0; k < learn + opts.frames; k++) {
    const data = k < learn || !opts.make ? render(base, r, opts.noise ?? 3) : opts.make(k - learn, r);
    const s = tracker.step({ data, at: T0 + k * step }, true);
    intents.push(...s.intents);
    if (k >= learn && s.activity) activeFrames++;
  }
  intents.push(...tracker.tick(T0 + (learn + opts.frames + 100) * step));
  return { intents, activeFrames };
}

const starts = (r: Run, kind?: DetectionReport['kind']) => r.intents.filter((i) => i.phase === 'start' && (!kind || i.kind === kind));

describe('motion analysis', () => {
  it('stays quiet on sensor noise, heavy night noise and slow light changes', () => {
    for (const [noise, dark] of [[3, false], [7, true]] as const) {
      const base = scene(1, dark);
      const t = new CameraTracker({ enabled: true, zones: [zone({ polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] })] });
      const r = run(t, base, { frames: 600, noise, make: (k, g) => render(base, g, noise, (_i, _x, _y, v) => v * (1 + 0.4 * Math.sin(k / 200)) + 10 * Math.sin(k / 150)) });
      expect(starts(r)).toEqual([]);
    }
  });

  it('finds a textured figure walking into an include zone: start, boxes on the figure, end', () => {
    const base = scene(2);
    const t = new CameraTracker({ enabled: true, zones: [zone()] });
    const tex = rng(99);
    // Enters from the left at 2 px per 200 ms frame: crosses x = 80 (the zone's edge) at k ≈ 35.
    const r = run(t, base, { frames: 120, make: (k, g) => (k < 70 ? render(base, g, 3, figure(10 + 2 * k, 50, tex, k)) : render(base, g, 3)) });
    const s = starts(r, 'motion');
    expect(s).toHaveLength(1);
    const start = s[0]!;
    expect(start.zoneId).toBe('z1');
    const enteredAt = T0 + (30 + 35) * 200;
    expect(Math.abs(start.startedAt - enteredAt)).toBeLessThan(2000);
    const boxes = r.intents.filter((i) => i.eventKey === start.eventKey).flatMap((i) => i.boxes);
    expect(boxes.length).toBeGreaterThan(2);
    for (const b of boxes) {
      // The figure spans y 50..74 px of 90, and x within its path.
      expect(b.box.y).toBeGreaterThan(0.5);
      expect(b.box.y + b.box.h).toBeLessThan(0.86);
      expect(b.box.h).toBeGreaterThan(0.15);
    }
    const end = r.intents.find((i) => i.eventKey === start.eventKey && i.phase === 'end');
    expect(end?.endedAt).toBeGreaterThan(start.startedAt);
    expect(end!.peakScore).toBeGreaterThan(0);
  });

  it('ignores a figure outside the zone and one under an exclude mask', () => {
    const base = scene(3);
    const tex = rng(5);
    const walkLeft = (k: number, g: () => number) => render(base, g, 3, figure(5 + (k % 60), 50, tex, k));
    const outside = run(new CameraTracker({ enabled: true, zones: [zone()] }), base, { frames: 100, make: walkLeft });
    expect(starts(outside, 'motion')).toEqual([]);
    const masked = new CameraTracker({
      enabled: true,
      zones: [zone({ polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] }), zone({ id: 'mask', kind: 'exclude', polygon: [[0, 0.4], [0.5, 0.4], [0.5, 1], [0, 1]] })],
    });
    expect(starts(run(masked, base, { frames: 100, make: walkLeft }), 'motion')).toEqual([]);
  });

  it('takes a headlight sweep (a bright moving cone without a figure) for light, not motion or tamper', () => {
    const base = scene(4, true);
    const t = new CameraTracker({ enabled: true, zones: [zone({ polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] })] });
    // Every 6 s a car's lights sweep the yard for 2 s: the lit area multiplies the picture and adds a glow.
    const r = run(t, base, {
      frames: 300, noise: 5, stepMs: 40,
      make: (k, g) => {
        const p = k % 150;
        if (p >= 50) return render(base, g, 5);
        const cx = -40 + p * 5;
        return render(base, g, 5, (_i, x, y, v) => {
          const d = ((x - cx) / 35) ** 2 + ((y - 60) / 25) ** 2;
          const light = Math.exp(-d);
          return v * (1 + 1.6 * light) + 60 * light;
        });
      },
    });
    expect(starts(r)).toEqual([]);
  });

  it('takes the infrared switch (brighter, flatter, same edges) for light, not motion or tamper', () => {
    const base = scene(5, true);
    const t = new CameraTracker({ enabled: true, zones: [zone({ polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] })] });
    const r = run(t, base, { frames: 200, noise: 5, make: (k, g) => (k < 20 ? render(base, g, 5) : render(base, g, 4, (_i, _x, _y, v) => 1.8 * v + 40)) });
    expect(starts(r)).toEqual([]);
  });

  for (const [cause, make] of [
    ['covered', (_b: Float32Array, g: () => number) => render(new Float32Array(FRAME_PIXELS).fill(18), g, 2)],
    ['defocused', (b: Float32Array, g: () => number) => render(blur(blur(b)), g, 3)],
    ['turned', (b: Float32Array, g: () => number) => render(scene(77), g, 3, (i) => b[(i + 53 * FRAME_W + 61) % FRAME_PIXELS]!)],
  ] as const) {
    it(`reports a ${cause} camera only once it has stayed so for 3 s, and its end`, () => {
      const base = scene(6);
      // Keyframe cadence (1 s) for 12 s of tamper, then back to normal.
      const t = new CameraTracker({ enabled: true, zones: [] });
      const r = run(t, base, { frames: 30, stepMs: 1000, learn: 15, make: (k, g) => (k < 12 ? make(base, g) : render(base, g, 3)) });
      const s = starts(r, 'tamper');
      expect(s.map((x) => x.cause)).toEqual([cause]);
      expect(s[0]!.startedAt).toBe(T0 + 15 * 1000);
      expect(r.intents.some((i) => i.eventKey === s[0]!.eventKey && i.phase === 'end')).toBe(true);
      // A short one (2 s) is not reported.
      const t2 = new CameraTracker({ enabled: true, zones: [] });
      const r2 = run(t2, base, { frames: 20, stepMs: 1000, learn: 15, make: (k, g) => (k < 2 ? make(base, g) : render(base, g, 3)) });
      expect(starts(r2, 'tamper')).toEqual([]);
    });
  }

  it('learns a changed background: a parked object stops being motion', () => {
    const a = new MotionAnalyzer();
    const base = scene(8);
    const g = rng(3);
    for (let k = 0; k < 20; k++) a.process({ data: render(base, g, 3), at: T0 + k * 2000 });
    const parked = figure(100, 40, rng(4), 0);
    let first = 0, last = 0;
    for (let k = 0; k < 400; k++) {
      const res = a.process({ data: render(base, g, 3, parked), at: T0 + (20 + k) * 2000 });
      if (k === 0) first = res.objects.length;
      last = res.objects.length;
    }
    expect(first).toBe(1);
    expect(last).toBe(0);
  });
});

describe('zones', () => {
  it('rasterizes a polygon by pixel centres', () => {
    const m = rasterize([[0, 0], [0.5, 0], [0.5, 1], [0, 1]], 10, 4);
    expect([...m.subarray(0, 10)]).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(m.reduce((s, v) => s + v, 0)).toBe(20);
    const tri = rasterize([[0, 0], [1, 0], [0, 1]], 20, 20);
    const n = tri.reduce((s, v) => s + v, 0);
    expect(n).toBeGreaterThan(180);
    expect(n).toBeLessThan(220);
  });

  it('applies schedules in Almaty time, wrapping midnight, with the day the window began', () => {
    const w = { kind: 'window' as const, from: '23:00', to: '06:00' };
    // 2026-11-30 is a Monday. 18:30 UTC = 23:30 Almaty (UTC+5).
    expect(inSchedule(w, Date.parse('2026-11-30T18:30:00Z'))).toBe(true);
    expect(inSchedule(w, Date.parse('2026-11-30T22:00:00Z'))).toBe(true); // 03:00 Tue
    expect(inSchedule(w, Date.parse('2026-12-01T01:30:00Z'))).toBe(false); // 06:30 Tue
    expect(inSchedule(w, Date.parse('2026-11-30T07:00:00Z'))).toBe(false); // 12:00 Mon
    expect(inSchedule({ ...w, days: [1] }, Date.parse('2026-11-30T22:00:00Z'))).toBe(true); // Tue 03:00 belongs to Monday's night
    expect(inSchedule({ ...w, days: [2] }, Date.parse('2026-11-30T22:00:00Z'))).toBe(false);
    expect(inSchedule({ kind: 'window', from: '08:00', to: '18:00' }, Date.parse('2026-11-30T07:00:00Z'))).toBe(true);
    expect(inSchedule({ kind: 'always' }, 0)).toBe(true);
  });

  it('reports no motion out of a zone\'s schedule', () => {
    const base = scene(2);
    const tex = rng(99);
    // T0 is 01:00 Almaty: a 08:00–18:00 zone is off.
    const t = new CameraTracker({ enabled: true, zones: [zone({ schedule: { kind: 'window', from: '08:00', to: '18:00' } })] });
    const r = run(t, base, { frames: 100, make: (k, g) => render(base, g, 3, figure(60 + k, 50, tex, k)) });
    expect(starts(r)).toEqual([]);
    const t2 = new CameraTracker({ enabled: true, zones: [zone({ schedule: { kind: 'window', from: '23:00', to: '06:00' } })] });
    expect(starts(run(t2, base, { frames: 100, make: (k, g) => render(base, g, 3, figure(60 + k, 50, tex, k)) }))).toHaveLength(1);
  });
});
