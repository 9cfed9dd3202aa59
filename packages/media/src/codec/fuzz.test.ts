/**
 * Fuzz-style robustness: random, bit-flipped and truncated input into the SPS parsers,
 * the Annex B splitter and EBSP→RBSP. Nothing may throw; results must stay sane; the
 * splitters must agree with naive reference implementations. Seeded, so reproducible.
 */
import { describe, expect, it } from 'vitest';
import { parseH264Sps } from './h264-sps.ts';
import { parseH265Sps } from './h265-sps.ts';
import { ebspToRbsp, splitAnnexB } from './nal.ts';
import { H264_SPS, H265_SPS } from './fixtures.ts';
import { prng, randomBytes } from './testing.ts';

const rand = prng(0x5eed);
const int = (n: number): number => Math.floor(rand() * n);

function mutate(src: Uint8Array): Uint8Array {
  const b = Uint8Array.from(src);
  for (let k = 1 + int(4); k > 0; k--) {
    const i = int(b.length);
    b[i] = (b[i] as number) ^ (1 << int(8));
  }
  return b;
}

function checkSps(info: { width: number; height: number; fps: number | null } | null): void {
  if (!info) return;
  expect(info.width).toBeGreaterThan(0);
  expect(info.height).toBeGreaterThan(0);
  expect(info.width).toBeLessThanOrEqual(16888);
  expect(info.height).toBeLessThanOrEqual(16888);
  if (info.fps !== null) expect(info.fps).toBeGreaterThan(0);
}

describe('SPS parsers never throw', () => {
  it.each([
    ['h264', parseH264Sps, H264_SPS, [0x67]],
    ['h265', parseH265Sps, H265_SPS, [0x42, 0x01]],
  ] as const)('%s: random, mutated and truncated input', (_name, parse, sps, header) => {
    const t0 = performance.now();
    for (let i = 0; i < 5000; i++) {
      const junk = randomBytes(rand, int(80));
      if (rand() < 0.8) junk.set(header.slice(0, junk.length));
      checkSps(parse(junk));
      checkSps(parse(mutate(sps)));
    }
    for (let n = 0; n <= sps.length; n++) checkSps(parse(sps.subarray(0, n)));
    // Most prefixes still carry the resolution; once past the VUI the full answer appears.
    expect(parse(sps)).not.toBeNull();
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

/** Reference: byte-by-byte search, as in the spec's byte stream syntax. */
function naiveSplit(buf: Uint8Array): string[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < buf.length; i++) if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) starts.push(i);
  const out: string[] = [];
  starts.forEach((s, k) => {
    let end = starts[k + 1] ?? buf.length;
    while (end > s + 3 && buf[end - 1] === 0) end--;
    if (end > s + 3) out.push(Buffer.from(buf.subarray(s + 3, end)).toString('hex'));
  });
  return out;
}

function naiveRbsp(buf: Uint8Array): string {
  const out: number[] = [];
  let zeros = 0;
  for (const b of buf) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out).toString('hex');
}

describe('byte stream utilities agree with naive references', () => {
  it('splitAnnexB and ebspToRbsp on start-code-dense random input', () => {
    const t0 = performance.now();
    for (let i = 0; i < 5000; i++) {
      const buf = randomBytes(rand, int(200));
      // Bias towards 0, 1 and 3 so that start codes and emulation bytes are frequent.
      for (let j = 0; j < buf.length; j++) if (rand() < 0.6) buf[j] = [0, 0, 0, 1, 3][int(5)] as number;
      const nalus = splitAnnexB(buf);
      expect(nalus.map((n) => Buffer.from(n).toString('hex'))).toEqual(naiveSplit(buf));
      for (const n of nalus) expect(n.buffer).toBe(buf.buffer);
      expect(Buffer.from(ebspToRbsp(buf)).toString('hex')).toBe(naiveRbsp(buf));
    }
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
