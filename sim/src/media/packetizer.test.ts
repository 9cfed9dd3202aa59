import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SceneCache } from '../scenes/cache.ts';
import { TEST_CACHE, memoryLog } from '../testing/fixtures.ts';
import { accessUnits, isAud, nalType, splitNals, type Codec } from './annexb.ts';
import { DEFAULT_MTU, PACKET_OVERHEAD, packetizeAnnexB, payloadsFor, type PacketizedClip } from './packetizer.ts';

/** Depacketizes one frame's payloads back into NAL units (RFC 6184 / RFC 7798). */
function depacketize(payloads: Buffer[], codec: Codec): Buffer[] {
  const nals: Buffer[] = [];
  let fu: Buffer[] | undefined;
  for (const p of payloads) {
    const type = codec === 'h264' ? (p[0] ?? 0) & 0x1f : ((p[0] ?? 0) >> 1) & 0x3f;
    const hdr = codec === 'h264' ? 1 : 2;
    if (type === (codec === 'h264' ? 24 : 48)) {
      for (let o = hdr; o < p.length;) {
        const len = p.readUInt16BE(o);
        nals.push(p.subarray(o + 2, o + 2 + len));
        o += 2 + len;
      }
    } else if (type === (codec === 'h264' ? 28 : 49)) {
      const fuh = p[hdr] ?? 0;
      const start = (fuh & 0x80) !== 0;
      const end = (fuh & 0x40) !== 0;
      if (start) {
        expect(fu).toBeUndefined();
        const head =
          codec === 'h264'
            ? Buffer.from([((p[0] ?? 0) & 0xe0) | (fuh & 0x1f)])
            : Buffer.from([((p[0] ?? 0) & 0x81) | ((fuh & 0x3f) << 1), p[1] ?? 1]);
        fu = [head];
      }
      expect(fu).toBeDefined();
      fu?.push(p.subarray(hdr + 1));
      if (end) {
        nals.push(Buffer.concat(fu ?? []));
        fu = undefined;
      }
    } else {
      nals.push(p);
    }
  }
  expect(fu).toBeUndefined();
  return nals;
}

function framePayloads(clip: PacketizedClip, f: number): Buffer[] {
  const out: Buffer[] = [];
  for (let p = clip.framePacket[f]!; p < clip.framePacket[f + 1]!; p++) {
    const o = clip.packetStart[p]!;
    const len = clip.packetStart[p + 1]! - o;
    expect(clip.data[o]).toBe(0x24);
    expect(clip.data.readUInt16BE(o + 2)).toBe(len - 4);
    const marker = (clip.data[o + 5]! & 0x80) !== 0;
    expect(marker).toBe(p === clip.framePacket[f + 1]! - 1);
    expect(len - PACKET_OVERHEAD).toBeLessThanOrEqual(DEFAULT_MTU);
    out.push(clip.data.subarray(o + PACKET_OVERHEAD, o + len));
  }
  return out;
}

describe.each(['h264', 'h265'] as const)('%s packetizer on a real clip', (codec) => {
  it('packets reassemble into exactly the NAL units of each access unit (AUDs dropped)', async () => {
    const [files] = await new SceneCache(TEST_CACHE, memoryLog().log).ensureAll([
      { scene: 'entrance-day', codec, main: '360p', stampId: 3, loopSeconds: 4 },
    ]);
    const stream = await readFile(files!.sub);
    const clip = packetizeAnnexB(stream, codec);
    const aus = accessUnits(splitNals(stream), codec);
    expect(clip.frameCount).toBe(100);
    expect([...clip.keyframe].map((k, i) => (k ? i : -1)).filter((i) => i >= 0)).toEqual([0, 50]);
    let fragmented = 0;
    let aggregated = 0;
    for (let f = 0; f < clip.frameCount; f++) {
      const payloads = framePayloads(clip, f);
      fragmented += payloads.filter((p) => nalType(p, codec) === (codec === 'h264' ? 28 : 49)).length;
      aggregated += payloads.filter((p) => nalType(p, codec) === (codec === 'h264' ? 24 : 48)).length;
      const expected = aus[f]!.filter((n) => !isAud(n, codec));
      expect(depacketize(payloads, codec).map((b) => b.toString('hex'))).toEqual(
        expected.map((b) => b.toString('hex')),
      );
    }
    expect(fragmented).toBeGreaterThan(0);
    expect(aggregated).toBe(2); // the parameter sets before each keyframe
    expect(clip.params.sps.length).toBeGreaterThan(3);
    if (codec === 'h265') expect(clip.params.vps).toBeDefined();
  });
});

describe('packetizer edge cases', () => {
  it('fragments a large NAL into MTU-sized FU-A packets with S and E bits', () => {
    const nal = Buffer.alloc(5000, 0xab);
    nal[0] = 0x65; // IDR, NRI 3
    const p = payloadsFor([nal], 'h264', 1400);
    expect(p).toHaveLength(4);
    expect(p.map((x) => x[0])).toEqual([0x7c, 0x7c, 0x7c, 0x7c]);
    expect(p.map((x) => x[1])).toEqual([0x85, 0x05, 0x05, 0x45]);
    expect(p.every((x) => x.length <= 1400)).toBe(true);
  });

  it('rejects a stream without parameter sets', () => {
    expect(() => packetizeAnnexB(Buffer.from([0, 0, 0, 1, 0x41, 0x9a, 0, 0, 1, 0x41, 0x9b]), 'h264')).toThrow(
      /parameter sets/,
    );
  });
});
