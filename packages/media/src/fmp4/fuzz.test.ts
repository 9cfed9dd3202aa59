/**
 * Fuzz-style robustness of the box parser: garbage, truncations, bit flips and forged
 * box sizes/sample counts of a valid file. parseFmp4 must answer (ok or error), never
 * throw, and never produce more samples than the bytes could describe.
 */
import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../types.ts';
import { H264_PPS, H264_SPS, H265_PPS, H265_SPS, H265_VPS } from '../codec/fixtures.ts';
import { prng, randomBytes } from '../codec/testing.ts';
import { Fmp4Muxer } from './muxer.ts';
import { listBoxes, parseFmp4, splitLengthPrefixed } from './parser.ts';

const rand = prng(0xf4f4);
const int = (n: number): number => Math.floor(rand() * n);

function validFile(codec: 'h264' | 'h265'): Buffer {
  const m = new Fmp4Muxer();
  const init = m.init(
    codec === 'h264' ? { codec, sps: H264_SPS, pps: H264_PPS } : { codec, vps: H265_VPS, sps: H265_SPS, pps: H265_PPS },
  );
  const slice = (key: boolean): Uint8Array =>
    codec === 'h264' ? Uint8Array.of(key ? 0x65 : 0x41, 0x88, 1, 2) : Uint8Array.of(key ? 0x26 : 0x02, 1, 3, 4);
  const aus: AccessUnit[] = Array.from({ length: 6 }, (_, i) => ({
    codec,
    nalus: [slice(i % 3 === 0)],
    pts: i * 3600,
    keyframe: i % 3 === 0,
    receivedAt: 0,
  }));
  return Buffer.concat([init, m.fragment(aus.slice(0, 3)), m.fragment(aus.slice(3))]);
}

function check(buf: Uint8Array): void {
  const r = parseFmp4(buf);
  if (r.ok) {
    expect(r.file.samples.length).toBeLessThanOrEqual(buf.length);
    for (const s of r.file.samples) expect(s.data.length).toBe(s.size);
  } else expect(r.error).not.toMatch(/^unexpected/); // only the parser's own, deliberate errors
  listBoxes(buf);
}

describe.each(['h264', 'h265'] as const)('%s: parseFmp4 never throws', (codec) => {
  const file = validFile(codec);

  it('parses the valid file', () => {
    const r = parseFmp4(file);
    expect(r.ok && r.file.samples.length).toBe(6);
  });

  it('survives truncation at every offset', () => {
    for (let n = 0; n < file.length; n++) check(file.subarray(0, n));
  });

  it('survives bit flips, forged sizes and counts, and garbage', () => {
    const t0 = performance.now();
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(file);
      for (let k = 1 + int(6); k > 0; k--) {
        const j = int(b.length);
        b[j] = (b[j] ?? 0) ^ (1 << int(8));
      }
      check(b);
      // Forge a 32-bit field at a random offset: box sizes, sample counts, offsets.
      const f = Buffer.from(file);
      f.writeUInt32BE([0, 1, 7, 8, 0xffffffff, 0x7fffffff, int(2 ** 32)][int(7)] as number, int(f.length - 3));
      check(f);
      check(randomBytes(rand, int(256)));
    }
    expect(performance.now() - t0).toBeLessThan(8000);
  });

  it('splitLengthPrefixed rejects inconsistent lengths', () => {
    for (let i = 0; i < 2000; i++) {
      const nalus = splitLengthPrefixed(randomBytes(rand, int(64)));
      if (nalus) for (const n of nalus) expect(n.length).toBeGreaterThanOrEqual(0);
    }
  });
});
