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
});
