import { describe, expect, it } from 'vitest';
import type { AccessUnit, VideoParameterSets } from '../types.ts';
import type { DropReason } from './depacketizer.ts';
import { H265Depacketizer } from './h265-depacketizer.ts';
import { parseRtpPacket } from './rtp-packet.ts';
import { buildRtp, makeNal, syntheticStream, TestPacketizer } from './test-helpers.ts';

function harness() {
  const aus: AccessUnit[] = [];
  const drops: DropReason[] = [];
  const params: VideoParameterSets[] = [];
  const d = new H265Depacketizer({
    onAccessUnit: (au) => aus.push(au),
    onDrop: (r) => drops.push(r),
    onParameterSets: (p) => params.push(p),
  });
  const feed = (pkts: Uint8Array[]) => {
    for (const b of pkts) {
      const p = parseRtpPacket(b);
      if (p) d.push(p);
    }
  };
  return { d, aus, drops, params, feed };
}

const hex = (a: Uint8Array[]) => a.map((n) => Buffer.from(n).toString('hex'));

describe('H265Depacketizer', () => {
  it('reassembles single, AP and FU packets into exact access units', () => {
    const stream = syntheticStream('h265', 9, { gop: 4, bigFrame: 7000, smallFrame: 200 });
    const pz = new TestPacketizer('h265', { mtu: 1100 });
    const { aus, feed, drops, params } = harness();
    for (const au of stream) feed(pz.packetize(au.nalus, au.ts));
    expect(drops).toEqual([]);
    expect(aus).toHaveLength(9);
    aus.forEach((au, i) => {
      expect(au.pts).toBe(stream[i]!.ts);
      expect(au.keyframe).toBe(stream[i]!.keyframe);
      expect(au.codec).toBe('h265');
      expect(hex(au.nalus)).toEqual(hex(stream[i]!.nalus));
    });
    expect(params).toHaveLength(1);
    expect(params[0]!.vps).toEqual(stream[0]!.nalus[0]);
  });

  it('extends timestamps across the wrap', () => {
    const stream = syntheticStream('h265', 3, { firstTs: 0xffffe000 });
    const pz = new TestPacketizer('h265');
    const { aus, feed } = harness();
    for (const au of stream) feed(pz.packetize(au.nalus, au.ts));
    expect(aus.map((a) => a.pts)).toEqual([0xffffe000, 0xffffe000 + 3600, 0xffffe000 + 7200]);
  });

  it('drops a frame whose only slice lost an FU fragment and goes on at once', () => {
    const stream = syntheticStream('h265', 8, { gop: 4, bigFrame: 6000, smallFrame: 2500 });
    const pz = new TestPacketizer('h265', { mtu: 1000 });
    const { aus, feed, drops } = harness();
    stream.forEach((au, i) => {
      const pkts = pz.packetize(au.nalus, au.ts);
      if (i === 1) pkts.splice(1, 1);
      feed(pkts);
    });
    expect(drops).toEqual(['loss']);
    expect(aus.map((a) => a.pts / 3600)).toEqual([0, 2, 3, 4, 5, 6, 7]);
  });

  it('treats all IRAP types (16–23) as keyframes and CRA-led streams start', () => {
    const { aus, feed } = harness();
    feed([
      buildRtp({ sequenceNumber: 1, timestamp: 10, marker: true }, makeNal('h265', 21, 100)), // CRA
      buildRtp({ sequenceNumber: 2, timestamp: 20, marker: true }, makeNal('h265', 0, 100)), // TRAIL_N
      buildRtp({ sequenceNumber: 3, timestamp: 30, marker: true }, makeNal('h265', 16, 100)), // BLA
    ]);
    expect(aus.map((a) => a.keyframe)).toEqual([true, false, true]);
  });

  it('seeds VPS/SPS/PPS and reports them once complete', () => {
    const { d, params } = harness();
    d.seedParameterSets([makeNal('h265', 33, 20)]);
    expect(params).toHaveLength(0);
    d.seedParameterSets([makeNal('h265', 32, 20), makeNal('h265', 34, 6)]);
    expect(params).toHaveLength(1);
    expect(d.parameterSets?.codec).toBe('h265');
  });

  it('drops frames left with nothing after malformed aggregation packets and PACI', () => {
    const { feed, drops } = harness();
    feed([buildRtp({ sequenceNumber: 1, timestamp: 1, marker: true }, Uint8Array.of(96, 1, 0, 50, 1))]);
    feed([buildRtp({ sequenceNumber: 2, timestamp: 2, marker: true }, Uint8Array.of(100, 1, 0, 0))]);
    feed([buildRtp({ sequenceNumber: 3, timestamp: 3, marker: true }, Uint8Array.of(98, 1, 0x13))]); // FU end w/o start
    expect(drops).toEqual(['malformed', 'unsupported', 'malformed']);
  });
});
