/** Synthetic gray frames (160×90) for the analysis tests. */
import { FRAME_H, FRAME_PIXELS, FRAME_W } from '../analysis.ts';

/** A deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** A still scene: blocks of different gray (buildings, windows, paths) and fine texture, night-dark when asked. */
export function scene(seed: number, dark = false): Float32Array {
  const r = rng(seed);
  const bg = new Float32Array(FRAME_PIXELS);
  for (let i = 0; i < FRAME_PIXELS; i++) bg[i] = 70 + 10 * r();
  for (let k = 0; k < 40; k++) {
    const x0 = Math.floor(r() * FRAME_W);
    const y0 = Math.floor(r() * FRAME_H);
    const w = 4 + Math.floor(r() * 30);
    const h = 3 + Math.floor(r() * 20);
    const v = 30 + r() * 150;
    for (let y = y0; y < Math.min(FRAME_H, y0 + h); y++) for (let x = x0; x < Math.min(FRAME_W, x0 + w); x++) bg[y * FRAME_W + x] = v + 6 * r();
  }
  if (dark) for (let i = 0; i < FRAME_PIXELS; i++) bg[i] = 15 + bg[i]! * 0.35;
  return bg;
}

export function render(base: Float32Array, r: () => number, noise: number, f?: (i: number, x: number, y: number, v: number) => number): Uint8Array {
  const out = new Uint8Array(FRAME_PIXELS);
  for (let i = 0; i < FRAME_PIXELS; i++) {
    const x = i % FRAME_W;
    const y = (i - x) / FRAME_W;
    let v = base[i]!;
    if (f) v = f(i, x, y, v);
    out[i] = Math.max(0, Math.min(255, Math.round(v + noise * gauss(r))));
  }
  return out;
}

/** A textured figure (head, body, legs) about 8×24 px whose top-left is at (px, py). */
export function figure(px: number, py: number, tex: () => number, phase: number): (i: number, x: number, y: number, v: number) => number {
  const cells = new Map<number, number>();
  for (let y = 0; y < 24; y++) {
    for (let x = 0; x < 8; x++) {
      if (y < 5 && (x < 2 || x > 5)) continue; // head narrower
      if (y >= 15 && ((phase % 2 === 0 && x >= 3 && x <= 4) || (phase % 2 === 1 && x > 5))) continue; // legs swing
      cells.set((py + y) * FRAME_W + px + x, 20 + 200 * tex());
    }
  }
  return (i, _x, _y, v) => cells.get(i) ?? v;
}

/** A 7×7 box blur (defocus). */
export function blur(b: Float32Array): Float32Array {
  const out = new Float32Array(FRAME_PIXELS);
  for (let y = 0; y < FRAME_H; y++) {
    for (let x = 0; x < FRAME_W; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -3; dy <= 3; dy++) {
        for (let dx = -3; dx <= 3; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= FRAME_W || yy >= FRAME_H) continue;
          s += b[yy * FRAME_W + xx]!;
          n++;
        }
      }
      out[y * FRAME_W + x] = s / n;
    }
  }
  return out;
}
