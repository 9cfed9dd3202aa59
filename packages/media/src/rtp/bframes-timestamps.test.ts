/**
 * The 64-bit timestamp extension with B-frames: RTP timestamps are presentation times
 * sent in decode order, so they step back by design. Each step back must land before
 * the reference (not be read as a 13-hour jump forward), including across the 2^32 wrap,
 * and must not move the reference.
 */
import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../types.ts';
import { H264Depacketizer } from './h264-depacketizer.ts';
import { parseRtpPacket } from './rtp-packet.ts';
import { makeNal, TestPacketizer } from './test-helpers.ts';

const F = 3600;
/** I0 P3 B1 B2 P6 B4 B5 …: decode order of 2 B-frames, in frames. */
const ORDER = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11, 15, 13, 14];

function run(start: number): number[] {
  const aus: AccessUnit[] = [];
  const d = new H264Depacketizer({ onAccessUnit: (au) => aus.push(au) });
  const pz = new TestPacketizer('h264', { mtu: 1200 });
  ORDER.forEach((f, i) => {
    const nal = i === 0 ? makeNal('h264', 5, 400) : makeNal('h264', 1, 200, i);
    for (const b of pz.packetize([nal], (start + f * F) >>> 0)) {
      const p = parseRtpPacket(b);
      if (p) d.push(p, 1);
    }
  });
  return aus.map((au) => au.pts);
}

describe('timestamp extension with B-frames', () => {
  it('keeps presentation times exact in decode order', () => {
    expect(run(90_000)).toEqual(ORDER.map((f) => 90_000 + f * F));
  });

  it('across the 2^32 wrap: a step back before the wrap point is not a jump', () => {
    const start = 2 ** 32 - 5 * F; // the wrap falls between frames 4 and 6
    expect(run(start)).toEqual(ORDER.map((f) => start + f * F));
  });
});
