import { describe, expect, it } from 'vitest';
import { GopCache } from './gop-cache.ts';

const frag = (n: number, keyframe: boolean, size = 10) => ({ data: new Uint8Array(size), keyframe, pts: n * 3600, receivedAt: n });

describe('GopCache', () => {
  it('holds the fragments from the last keyframe on', () => {
    const c = new GopCache();
    c.push(frag(0, false)); // before any keyframe: useless, dropped
    expect(c.snapshot()).toHaveLength(0);
    c.push(frag(1, true));
    c.push(frag(2, false));
    c.push(frag(3, true));
    c.push(frag(4, false));
    expect(c.snapshot().map((f) => f.pts)).toEqual([3 * 3600, 4 * 3600]);
    expect(c.bytes).toBe(20);
  });
  it('stays bounded when keyframes never come', () => {
    const c = new GopCache(100);
    c.push(frag(0, true, 40));
    c.push(frag(1, false, 40));
    c.push(frag(2, false, 40));
    expect(c.bytes).toBeLessThanOrEqual(100);
    c.push(frag(3, false, 40));
    expect(c.snapshot()).toHaveLength(0);
  });
  it('keeps its own copy, intact while its arena is reused and grows over GOPs of changing size', () => {
    const c = new GopCache();
    for (let gop = 0; gop < 6; gop++) {
      const size = [1000, 30_000, 5_000, 90_000, 90_000, 200][gop]!;
      for (let n = 0; n < 4; n++) {
        const data = new Uint8Array(size).fill(gop * 16 + n);
        c.push({ data, keyframe: n === 0, pts: gop * 100 + n, receivedAt: 0 });
        data.fill(0xff); // the caller's buffer is reused at once
      }
      const snap = c.snapshot();
      expect(snap.map((f) => f.pts)).toEqual([0, 1, 2, 3].map((n) => gop * 100 + n));
      expect(snap.map((f) => [f.data.length, f.data[0], f.data[size - 1]])).toEqual([0, 1, 2, 3].map((n) => [size, gop * 16 + n, gop * 16 + n]));
      expect(snap.map((f) => f.keyframe)).toEqual([true, false, false, false]);
    }
  });
});
