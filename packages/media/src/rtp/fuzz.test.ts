/**
 * Fuzz-style robustness: thousands of random, truncated, mutated, dropped, duplicated
 * and reordered packets (seeded, so failures reproduce). Nothing may throw, memory
 * held by the depacketizers stays under their caps, and what comes out is well formed.
 */
import { describe, expect, it } from 'vitest';
import type { AccessUnit, VideoCodec } from '../types.ts';
import { H264Depacketizer } from './h264-depacketizer.ts';
import { H265Depacketizer } from './h265-depacketizer.ts';
import { parseRtcp } from './rtcp.ts';
import { createRtpPacket, parseRtpPacket } from './rtp-packet.ts';
import { buildRtp, prng, syntheticStream, TestPacketizer } from './test-helpers.ts';

const rand = prng(0xc0ffee);
const int = (n: number) => Math.floor(rand() * n);
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

function mutate(pkt: Buffer): Buffer {
  const b = Buffer.from(pkt);
  const kind = int(4);
  if (kind === 0) return b.subarray(0, int(b.length + 1)); // truncate
  if (kind === 1) {
    for (let i = 0; i < 1 + int(8); i++) {
      const at = int(b.length);
      b[at] = (b[at] as number) ^ (1 << int(8)); // bit flips
    }
  }
  if (kind === 2) b[12 + int(Math.max(1, b.length - 12))] = int(256); // payload header byte
  if (kind === 3) b[int(Math.min(4, b.length))] = int(256); // RTP header byte
  return b;
}

describe('fuzz: RTP parsing', () => {
  it('parseRtpPacket and parseRtcp never throw and keep views in bounds', () => {
    const into = createRtpPacket();
    const valid = buildRtp({ sequenceNumber: 1, timestamp: 2, csrcs: [1], extension: [5], padding: 2 }, bytes(40));
    for (let i = 0; i < 20000; i++) {
      const b = i % 2 ? bytes(int(80)) : mutate(valid);
      if (i % 3 === 0) b[0] = 0x80 | (b[0] ?? 0); // mostly version 2, to reach the deeper checks
      const off = int(3);
      const p = parseRtpPacket(b, off, b.length - off - int(2), into);
      if (p) {
        expect(p.payload.byteOffset).toBeGreaterThanOrEqual(b.byteOffset + off + 12);
        expect(p.payload.byteOffset + p.payload.length).toBeLessThanOrEqual(b.byteOffset + b.length);
      }
      parseRtcp(b, off, Math.max(0, b.length - off));
    }
  });
});

describe.each(['h264', 'h265'] as VideoCodec[])('fuzz: %s depacketizer', (codec) => {
  const caps = { maxNaluBytes: 16 * 1024, maxAccessUnitBytes: 32 * 1024, maxNalusPerAccessUnit: 64 };
  const bound = 2 * caps.maxAccessUnitBytes + caps.maxNaluBytes;

  function make() {
    const aus: AccessUnit[] = [];
    const Depacketizer = codec === 'h264' ? H264Depacketizer : H265Depacketizer;
    const d = new Depacketizer({ ...caps, onAccessUnit: (au) => aus.push(au) });
    const check = (au: AccessUnit) => {
      expect(au.nalus.length).toBeGreaterThan(0);
      expect(au.nalus.length).toBeLessThanOrEqual(caps.maxNalusPerAccessUnit);
      expect(au.nalus.reduce((s, n) => s + n.length, 0)).toBeLessThanOrEqual(caps.maxAccessUnitBytes);
      expect(Number.isSafeInteger(au.pts)).toBe(true);
    };
    return { d, aus, check };
  }

  it('survives a damaged stream (drops, duplicates, swaps, mutations, junk) and recovers', () => {
    const { d, aus, check } = make();
    const stream = syntheticStream(codec, 600, { gop: 12, bigFrame: 12000, smallFrame: 3000, firstTs: 0xfff00000 });
    const pz = new TestPacketizer(codec, { mtu: 1400 });
    const pkts = stream.flatMap((au) => pz.packetize(au.nalus, au.ts));
    const damaged: Buffer[] = [];
    const cut = Math.floor(pkts.length * 0.8); // the last 20% stays clean: the stream must recover
    for (let i = 0; i < pkts.length; i++) {
      const p = pkts[i] as Buffer;
      const r = i < cut ? rand() : 1;
      if (r < 0.04)
        continue; // drop
      else if (r < 0.07)
        damaged.push(p, p); // duplicate
      else if (r < 0.1 && i + 1 < cut)
        damaged.push(pkts[++i] as Buffer, p); // swap
      else if (r < 0.16) damaged.push(mutate(p));
      else if (r < 0.18)
        damaged.push(buildRtp({ sequenceNumber: int(65536), timestamp: int(2 ** 32) }, bytes(int(1500))));
      else damaged.push(p);
    }
    const into = createRtpPacket();
    for (const b of damaged) {
      const p = parseRtpPacket(b, 0, b.length, into);
      if (p) d.push(p, 1);
      expect(d.bufferedBytes).toBeLessThanOrEqual(bound);
    }
    aus.forEach(check);
    expect(d.stats.lostPackets + d.stats.latePackets).toBeGreaterThan(0);
    // After the damage ends, the stream resumes at a keyframe and every later frame
    // arrives intact, on the original 64-bit timeline (the timestamps wrapped on the way).
    const from = Math.floor(stream.length * 0.85);
    const expected = stream.slice(from).map((_, k) => 0xfff00000 + (from + k) * 3600);
    const tail = aus.slice(-expected.length);
    expect(tail.map((a) => a.pts)).toEqual(expected);
    expect(Buffer.from(tail.at(-1)!.nalus[0]!)).toEqual(Buffer.from(stream.at(-1)!.nalus[0]!));
  });

  it('survives pure junk payloads behind valid RTP headers', () => {
    const { d, aus, check } = make();
    const into = createRtpPacket();
    let seq = 0;
    for (let i = 0; i < 20000; i++) {
      const payload = bytes(int(i % 10 === 0 ? 1400 : 40));
      // Bias towards the interesting payload types: aggregation and fragmentation.
      if (payload.length > 0 && i % 2)
        payload[0] = codec === 'h264' ? (int(2) ? 28 : 24) | 0x60 : (int(2) ? 49 : 48) << 1;
      if (payload.length > 2 && i % 4 === 1) payload[codec === 'h264' ? 1 : 2] = (payload[1] as number) & 0x3f; // middle fragments
      seq = (seq + (int(10) === 0 ? int(5) : 1)) & 0xffff;
      const b = buildRtp({ sequenceNumber: seq, timestamp: Math.floor(i / 8) * 3000, marker: int(8) === 0 }, payload);
      d.push(parseRtpPacket(b, 0, b.length, into)!, 1);
      expect(d.bufferedBytes).toBeLessThanOrEqual(bound);
    }
    aus.forEach(check);
  });
});
