import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SceneCache } from './scenes/cache.ts';
import { CELLS, blockSizeFor, decodeStamp, paintStamp, stampBits, stampFilters, stampGeometry } from './stamp.ts';
import { decodeGray, stampProblems, stampsOf } from './testing/ffmpeg.ts';
import { memoryLog } from './testing/fixtures.ts';

function frame(
  width: number,
  height: number,
  channels = 1,
  fill = 128,
): { width: number; height: number; data: Uint8Array } {
  return { width, height, data: new Uint8Array(width * height * channels).fill(fill) };
}

describe('stamp layout', () => {
  it('uses 16 px blocks at 1080p and 720p, 8 px at 360p, and fits the width', () => {
    expect(blockSizeFor(1920, 1080)).toBe(16);
    expect(blockSizeFor(1280, 720)).toBe(16);
    expect(blockSizeFor(640, 360)).toBe(8);
    expect(blockSizeFor(320, 180)).toBe(4);
    expect(stampGeometry(640, 360).strip.w).toBeLessThanOrEqual(640);
    expect(() => blockSizeFor(100, 60)).toThrow();
  });

  it('has sync, 16+16 data bits, 4 check bits and an end marker', () => {
    const bits = stampBits({ id: 0xabcd, frame: 0x1234 });
    expect(bits).toHaveLength(CELLS);
    expect(bits.slice(0, 4)).toEqual([1, 0, 1, 1]);
    expect(bits.at(-1)).toBe(1);
    expect(parseInt(bits.slice(4, 20).join(''), 2)).toBe(0xabcd);
    expect(parseInt(bits.slice(20, 36).join(''), 2)).toBe(0x1234);
  });

  it('draws with one drawbox per white constant cell and one enable expression per frame-dependent cell', () => {
    const f = stampFilters(1, 640, 360);
    expect(f[0]).toMatch(/^drawbox=x=0:y=0:w=344:h=24:color=black:t=fill$/);
    expect(f.filter((x) => x.includes('enable=')).length).toBe(16 + 4);
    expect(f.join(',')).toContain("enable='eq(mod(floor(n/32768),2),1)'");
    expect(() => stampFilters(70000, 640, 360)).toThrow();
  });
});

describe('stamp decoder', () => {
  it('round-trips on gray and RGB buffers of several sizes', () => {
    for (const [w, h] of [
      [1920, 1080],
      [1280, 720],
      [640, 360],
      [320, 180],
    ] as const) {
      for (const channels of [1, 3, 4]) {
        for (const value of [
          { id: 0, frame: 0 },
          { id: 65535, frame: 65535 },
          { id: 4242, frame: 249 },
        ]) {
          const f = frame(w, h, channels);
          paintStamp(f, value);
          expect(decodeStamp(f)).toEqual(value);
        }
      }
    }
  });

  it('reads a 1080p stamp after the frame was scaled to 640x360', () => {
    const big = frame(1920, 1080);
    paintStamp(big, { id: 77, frame: 123 });
    const small = frame(640, 360);
    for (let y = 0; y < 360; y++)
      for (let x = 0; x < 640; x++) small.data[y * 640 + x] = big.data[y * 3 * 1920 + x * 3] ?? 0;
    expect(decodeStamp(small)).toEqual({ id: 77, frame: 123 });
  });

  it('tolerates noise and mid-gray contrast loss, rejects frames without a stamp or with a flipped bit', () => {
    const f = frame(640, 360);
    paintStamp(f, { id: 9, frame: 10 });
    for (let i = 0; i < f.data.length; i++)
      f.data[i] = Math.max(0, Math.min(255, 40 + ((f.data[i] ?? 0) * 0.6 + ((i * 7919) % 41) - 20)));
    expect(decodeStamp(f)).toEqual({ id: 9, frame: 10 });
    expect(decodeStamp(frame(640, 360))).toBeNull();
    const g = frame(640, 360);
    paintStamp(g, { id: 9, frame: 10 });
    const c = stampGeometry(640, 360).cell(30); // a frame bit
    for (let y = c.y; y < c.y + 8; y++)
      for (let x = c.x; x < c.x + 8; x++) g.data[y * 640 + x] = 255 - (g.data[y * 640 + x] ?? 0);
    expect(decodeStamp(g)).toBeNull();
    expect(decodeStamp({ width: 10, height: 10, data: new Uint8Array(7) })).toBeNull();
  });
});

describe('stamp in a real encoded clip', () => {
  it('every decoded frame of a fresh encode carries its id and loop frame number', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kuzet-sim-stamp-'));
    try {
      const { lines, log } = memoryLog();
      const cache = new SceneCache(dir, log);
      const spec = {
        scene: 'parking-night',
        codec: 'h264' as const,
        main: '360p' as const,
        stampId: 31337,
        loopSeconds: 2,
      };
      const [files] = await cache.ensureAll([spec]);
      expect(lines.some((l) => /encoding scene parking-night h264 360p\+sub \(stamp 31337\)… 1\/1/.test(l))).toBe(true);
      const res = await decodeGray(files!.sub, { width: 640, height: 360, frames: 50 });
      expect(res.code).toBe(0);
      expect(res.frames).toHaveLength(50);
      const stamps = stampsOf(res.frames, 640, 360);
      expect(stampProblems(stamps, 31337, 50)).toEqual([]);
      expect(stamps[0]).toEqual({ id: 31337, frame: 0 });
      // second time: served from the cache, no encode
      const again = memoryLog();
      await new SceneCache(dir, again.log).ensureAll([spec]);
      expect(again.lines.filter((l) => l.includes('encoding'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
