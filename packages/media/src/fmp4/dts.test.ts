/** DtsEstimator on decode-order pts patterns of real encoders (frame units: 1 frame = 10 ticks). */
import { describe, expect, it } from 'vitest';
import { DtsEstimator } from './dts.ts';

const F = 10;
/** Decode-order pts (in frames) of a repeating pattern, `gops` times, one GOP = `len` frames. */
function pattern(order: number[], len: number, gops: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < gops; g++) for (const p of order) out.push((g * len + p) * F);
  return out;
}
const IBBP = pattern([0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11, 15, 13, 14], 16, 3); // x264 bframes=2, no pyramid
const PYRAMID = pattern([0, 4, 2, 1, 3, 8, 6, 5, 7, 12, 10, 9, 11], 13, 3); // b-pyramid: depth 2

function run(pts: number[], est: DtsEstimator): number[] {
  return pts.map((p) => est.next(p, F));
}

function checkValid(pts: number[], dts: number[]): void {
  for (let i = 0; i < dts.length; i++) {
    expect(dts[i]).toBeLessThanOrEqual(pts[i] as number);
    if (i > 0) expect(dts[i]).toBeGreaterThan(dts[i - 1] as number);
  }
}

describe('DtsEstimator', () => {
  it('is the identity for pts in order (no B-frames): dts = pts, depth 0', () => {
    const pts = [0, 10, 20, 30, 45, 50];
    const est = new DtsEstimator();
    expect(run(pts, est)).toEqual(pts);
    expect(est.depth).toBe(0);
  });

  it('with the depth known (SPS), gives every IBBP picture a dts ≤ pts, increasing one frame apart', () => {
    const est = new DtsEstimator(1);
    const dts = run(IBBP, est);
    checkValid(IBBP, dts);
    expect(dts).toEqual(IBBP.map((_, i) => (i - 1) * F)); // the first picture decodes one frame before it shows
    expect(est.depth).toBe(1);
    expect(dts.some((d, i) => d !== IBBP[i])).toBe(true);
  });

  it('handles a b-pyramid (depth 2) the same way', () => {
    const dts = run(PYRAMID, new DtsEstimator(2));
    checkValid(PYRAMID, dts);
    expect(dts).toEqual(PYRAMID.map((_, i) => (i - 2) * F));
  });

  it('learns an unknown depth from the stream: monotonic throughout, a few squeezed ticks, then the rule again', () => {
    const est = new DtsEstimator(0);
    const dts = run(PYRAMID, est);
    expect(est.depth).toBe(2);
    for (let i = 1; i < dts.length; i++) expect(dts[i]).toBeGreaterThan(dts[i - 1] as number);
    // Only the transient right after each raise breaks dts ≤ pts; from the second GOP on it holds exactly.
    const late = PYRAMID.slice(13);
    const lateDts = dts.slice(13);
    checkValid(late, lateDts);
    expect(lateDts).toEqual(late.map((_, i) => (i + 13 - 2) * F));
  });

  it('scan() finds the depth a batch needs without changing state', () => {
    const est = new DtsEstimator();
    expect(est.scan(PYRAMID)).toBe(2);
    expect(est.scan(IBBP)).toBe(1);
    expect(est.depth).toBe(0);
    est.raise(est.scan(PYRAMID));
    checkValid(PYRAMID, run(PYRAMID, est));
  });

  it('peek() predicts next() without consuming', () => {
    const est = new DtsEstimator(1);
    run(IBBP.slice(0, 5), est);
    const p = est.peek(IBBP[5] as number, F);
    expect(est.next(IBBP[5] as number, F)).toBe(p);
  });

  it('keeps dts increasing over a repeated pts (offset -1) and restarts after a jump or a step back beyond the window', () => {
    const est = new DtsEstimator(0, 1000);
    expect(run([0, 10, 10, 20], est)).toEqual([0, 10, 11, 20]);
    expect(est.next(50_000, F)).toBe(50_000); // forward jump: no stale dts from before it
    expect(est.next(100, F)).toBe(100); // backward jump: the timeline restarts, depth unchanged
    expect(est.depth).toBe(0);
    const e2 = new DtsEstimator(0, 1e9);
    run(Array.from({ length: 30 }, (_, i) => i * F), e2);
    expect(e2.next(5 * F, F)).toBe(5 * F); // 24 frames back: no reordering is that deep
    expect(e2.depth).toBe(0);
  });
});
