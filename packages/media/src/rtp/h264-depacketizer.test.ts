import { describe, expect, it } from 'vitest';
import type { AccessUnit, VideoParameterSets } from '../types.ts';
import type { DropReason } from './depacketizer.ts';
import { H264Depacketizer } from './h264-depacketizer.ts';
import { parseRtpPacket } from './rtp-packet.ts';
import { buildRtp, H264_TEST_PPS, h264Sps, makeNal, syntheticStream, TestPacketizer } from './test-helpers.ts';
import { parseH264Sps } from '../codec/h264-sps.ts';

function harness(opts: { waitForKeyframe?: boolean; maxNaluBytes?: number; maxAccessUnitBytes?: number } = {}) {
  const aus: AccessUnit[] = [];
  const drops: DropReason[] = [];
  const dropKeys: boolean[] = [];
  const params: VideoParameterSets[] = [];
  const d = new H264Depacketizer({
    ...opts,
    onAccessUnit: (au) => aus.push(au),
    onDrop: (r, _pts, key) => {
      drops.push(r);
      dropKeys.push(key);
    },
    onParameterSets: (p) => params.push(p),
  });
  const feed = (pkts: Uint8Array[]) => {
    for (const b of pkts) {
      const p = parseRtpPacket(b);
      if (p) d.push(p, 1);
    }
  };
  return { d, aus, drops, dropKeys, params, feed };
}

const hex = (a: Uint8Array[]) => a.map((n) => Buffer.from(n).toString('hex'));

describe('H264Depacketizer', () => {
  it('reassembles single, STAP-A and FU-A packets into exact access units', () => {
    const stream = syntheticStream('h264', 12, { gop: 5, bigFrame: 5000, smallFrame: 300 });
    const pz = new TestPacketizer('h264', { mtu: 1000 });
    const { aus, feed, drops, params, d } = harness();
    for (const au of stream) feed(pz.packetize(au.nalus, au.ts));
    expect(drops).toEqual([]);
    expect(aus).toHaveLength(12);
    aus.forEach((au, i) => {
      const src = stream[i]!;
      expect(au.pts).toBe(src.ts);
      expect(au.keyframe).toBe(src.keyframe);
      expect(au.codec).toBe('h264');
      expect(hex(au.nalus)).toEqual(hex(src.nalus));
    });
    expect(params).toHaveLength(1); // same SPS/PPS every GOP: reported once
    expect(hex([params[0]!.sps, params[0]!.pps])).toEqual(hex(stream[0]!.nalus.slice(0, 2)));
    expect(d.stats).toMatchObject({ accessUnits: 12, lostPackets: 0, droppedAccessUnits: 0 });
  });

  it('extends timestamps across the 32-bit wrap', () => {
    const stream = syntheticStream('h264', 6, { gop: 100, firstTs: 0xffffffff - 7000 });
    const pz = new TestPacketizer('h264');
    const { aus, feed } = harness();
    for (const au of stream) feed(pz.packetize(au.nalus, au.ts));
    const first = 0xffffffff - 7000;
    expect(aus.map((a) => a.pts)).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i * 3600));
    expect(aus[5]!.pts).toBeGreaterThan(2 ** 32);
  });

  it('places B-frames before the reference, ignores one corrupt timestamp, follows a confirmed jump', () => {
    const { aus, feed } = harness({ waitForKeyframe: false });
    let seq = 1;
    const frames = (tss: number[]) =>
      feed(tss.map((ts) => buildRtp({ sequenceNumber: seq++, timestamp: ts, marker: true }, makeNal('h264', 1, 30))));
    frames([0xfffff000, 0xfffff000 + 10800, 0xfffff000 + 3600, 0xfffff000 + 7200]); // P then two B, across the wrap
    frames([0xfffff000 + 14400, 0x7000_0000, 0xfffff000 + 18000]); // one corrupt timestamp
    frames([0x3000_0000, 0x3000_0000 + 3600, 0x3000_0000 + 7200]); // encoder restart: confirmed by the next frame
    const base = 0xfffff000;
    expect(aus.map((a) => a.pts - base)).toEqual([0, 10800, 3600, 7200, 14400, 14400, 18000, 18000, 21600, 25200]);
  });

  it('ignores one corrupt sequence number but follows a confirmed jump', () => {
    const { aus, feed, d } = harness({ waitForKeyframe: false });
    const nal = makeNal('h264', 1, 30);
    const seqs = [1, 2, 40000, 3, 4, 20000, 20001, 20002];
    feed(seqs.map((s, i) => buildRtp({ sequenceNumber: s, timestamp: i * 3600, marker: true }, nal)));
    // 40000 is ignored; 20000 too until 20001 confirms it (that frame is then damaged by the gap).
    expect(aus.map((a) => a.pts / 3600)).toEqual([0, 1, 3, 4, 6, 7]);
    expect(aus.map((a) => a.damaged)).toEqual([false, false, false, false, true, false]);
    expect(d.stats.latePackets).toBe(2);
  });

  it('also survives sequence number wrap', () => {
    const pz = new TestPacketizer('h264', { seq: 65530, mtu: 500 });
    const { aus, feed, d } = harness();
    for (const au of syntheticStream('h264', 5, { bigFrame: 4000 })) feed(pz.packetize(au.nalus, au.ts));
    expect(aus).toHaveLength(5);
    expect(d.stats.lostPackets).toBe(0);
  });

  it('drops a frame whose only slice lost a fragment and goes on without waiting for a keyframe', () => {
    const stream = syntheticStream('h264', 10, { gop: 5, bigFrame: 5000, smallFrame: 3000 });
    const pz = new TestPacketizer('h264', { mtu: 1000 });
    const { aus, feed, drops, dropKeys, d } = harness();
    stream.forEach((au, i) => {
      const pkts = pz.packetize(au.nalus, au.ts);
      if (i === 2) pkts.splice(1, 1); // lose a middle fragment of frame 2 (one FU-A slice)
      feed(pkts);
    });
    expect(drops).toEqual(['loss']);
    expect(dropKeys).toEqual([false]);
    expect(d.stats).toMatchObject({ lostPackets: 1, droppedAccessUnits: 1, skippedAccessUnits: 0, damagedAccessUnits: 0 });
    // 2 had nothing usable left; 3 and 4 follow at once (the decoder conceals the missing reference).
    expect(aus.map((a) => a.pts / 3600)).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('passes a frame with a missing piece on marked damaged, with the NAL units that arrived whole', () => {
    const pz = new TestPacketizer('h264', { mtu: 1000, aggregate: false });
    const { aus, feed, drops, d } = harness({ waitForKeyframe: false });
    const sei = makeNal('h264', 6, 20);
    const sliceA = makeNal('h264', 1, 2500, 1);
    const sliceB = makeNal('h264', 1, 800, 2);
    const sliceC = makeNal('h264', 1, 2500, 3);
    const pkts = pz.packetize([sei, sliceA, sliceB, sliceC], 3600);
    // sei | A: 3 fragments | B | C: 3 fragments — lose A's middle fragment and C's last.
    expect(pkts).toHaveLength(8);
    feed([pkts[0]!, pkts[1]!, pkts[3]!, pkts[4]!, pkts[5]!, pkts[6]!]);
    feed(pz.packetize([makeNal('h264', 1, 300, 4)], 7200));
    expect(drops).toEqual([]);
    expect(aus).toHaveLength(2);
    expect(aus[0]).toMatchObject({ pts: 3600, damaged: true, keyframe: false });
    expect(hex(aus[0]!.nalus)).toEqual(hex([sei, sliceB]));
    expect(aus[1]).toMatchObject({ pts: 7200, damaged: true }); // its start may have been lost with C's end
    expect(d.stats).toMatchObject({ lostPackets: 2, damagedAccessUnits: 2, accessUnits: 2 });
  });

  it('reports a keyframe that lost the start of its only IDR slice as a dropped keyframe', () => {
    const stream = syntheticStream('h264', 3, { gop: 2, bigFrame: 5000, smallFrame: 300 });
    const pz = new TestPacketizer('h264', { mtu: 1000 });
    const { aus, feed, drops, dropKeys, d } = harness({ waitForKeyframe: false });
    stream.forEach((au, i) => {
      const pkts = pz.packetize(au.nalus, au.ts);
      if (i === 2) pkts.splice(1, 1); // keyframe 2: STAP-A (SPS, PPS), then the IDR in fragments: its first is lost
      feed(pkts);
    });
    expect(drops).toEqual(['loss']);
    expect(dropKeys).toEqual([true]);
    expect(d.stats.droppedKeyframes).toBe(1);
    expect(aus.map((a) => a.pts / 3600)).toEqual([0, 1]);
  });

  it('keeps an IDR slice that lost a later fragment cut short at the gap, and starts the stream with it', () => {
    const pz = new TestPacketizer('h264', { mtu: 1000, aggregate: false });
    const { aus, feed, drops, d } = harness(); // waits for the first keyframe
    const idr = makeNal('h264', 5, 4500, 1);
    const pkts = [...pz.packetize([h264Sps(640, 360), H264_TEST_PPS, idr], 0)];
    // SPS | PPS | IDR in 5 fragments of 998 bytes (the last 507): lose the third.
    expect(pkts).toHaveLength(7);
    feed([...pkts.slice(0, 4), ...pkts.slice(5)]);
    const slice = makeNal('h264', 1, 2500, 2);
    const next = pz.packetize([slice], 3600);
    next.splice(1, 1); // a P-slice that loses a fragment is still dropped whole
    feed(next);
    feed(pz.packetize([makeNal('h264', 1, 300, 3)], 7200));
    expect(aus.map((a) => [a.pts / 3600, a.keyframe, a.damaged])).toEqual([
      [0, true, true],
      [2, false, false], // 1 lost a fragment of its P-slice: nothing left
    ]);
    // SPS, PPS, then the IDR's head: its header and the two fragments before the gap.
    expect(aus[0]!.nalus).toHaveLength(3);
    expect(hex([aus[0]!.nalus[2]!])).toEqual(hex([idr.subarray(0, 1 + 2 * 998)]));
    expect(drops).toEqual(['loss']);
    expect(d.stats).toMatchObject({ truncatedSlices: 1, lostPackets: 2, droppedKeyframes: 0, skippedAccessUnits: 0 });
  });

  it('keeps the head of an IDR slice whose last fragment (the marker) was lost', () => {
    const pz = new TestPacketizer('h264', { mtu: 1000, aggregate: false });
    const { aus, feed, d } = harness();
    const idr = makeNal('h264', 5, 3000, 1);
    const pkts = pz.packetize([h264Sps(640, 360), H264_TEST_PPS, idr], 0);
    pkts.pop();
    feed(pkts);
    expect(aus).toHaveLength(0); // nothing tells yet that the slice ended
    feed(pz.packetize([makeNal('h264', 1, 300, 2)], 3600));
    expect(aus.map((a) => [a.pts / 3600, a.keyframe, a.damaged, a.nalus.length])).toEqual([
      [0, true, true, 3],
      [1, false, true, 1],
    ]);
    expect(hex([aus[0]!.nalus[2]!])).toEqual(hex([idr.subarray(0, 1 + 3 * 998)])); // 4 fragments, the last lost
    expect(d.stats.truncatedSlices).toBe(1);
  });

  it('treats a lost last packet (marker) as damaging both the unfinished and the next access unit', () => {
    const stream = syntheticStream('h264', 4, { gop: 100, smallFrame: 2500 });
    const pz = new TestPacketizer('h264', { mtu: 1000 });
    const { aus, feed, drops } = harness({ waitForKeyframe: false });
    stream.forEach((au, i) => {
      const pkts = pz.packetize(au.nalus, au.ts);
      if (i === 1) pkts.pop();
      feed(pkts);
    });
    expect(drops).toEqual(['loss']); // 1 lost the end of its only slice
    expect(aus.map((a) => [a.pts / 3600, a.damaged])).toEqual([
      [0, false],
      [2, true],
      [3, false],
    ]);
  });

  it('waits for the first keyframe and ignores late duplicates', () => {
    const stream = syntheticStream('h264', 8, { gop: 4 });
    const pz = new TestPacketizer('h264');
    const { aus, feed, d } = harness();
    const all = stream.slice(1).flatMap((au) => pz.packetize(au.nalus, au.ts));
    feed([...all.slice(0, 3), all[1]!, ...all.slice(3)]); // one duplicate
    expect(aus.map((a) => a.pts / 3600)).toEqual([4, 5, 6, 7]);
    expect(d.stats.latePackets).toBe(1);
    expect(d.stats.lostPackets).toBe(0);
  });

  it('groups by timestamp when the marker bit is missing and carries lone parameter sets forward', () => {
    const { aus, feed } = harness();
    const sps = makeNal('h264', 7, 10);
    const pps = makeNal('h264', 8, 4);
    const idr = makeNal('h264', 5, 50);
    const p1 = makeNal('h264', 1, 40);
    feed([
      buildRtp({ sequenceNumber: 1, timestamp: 100, marker: true }, sps), // own timestamp + marker
      buildRtp({ sequenceNumber: 2, timestamp: 200 }, pps),
      buildRtp({ sequenceNumber: 3, timestamp: 300 }, idr), // no marker
      buildRtp({ sequenceNumber: 4, timestamp: 400 }, p1),
    ]);
    expect(aus).toHaveLength(1);
    expect(hex(aus[0]!.nalus)).toEqual(hex([sps, pps, idr]));
    expect(aus[0]!.pts).toBe(300);
  });

  it('seeds parameter sets from SDP; an in-band change is believed when it parses and repeats', () => {
    const { d, params, feed } = harness({ waitForKeyframe: false });
    const sps320 = h264Sps(320, 240);
    const sps640 = h264Sps(640, 480);
    expect(parseH264Sps(sps640)).toMatchObject({ width: 640, height: 480 });
    d.seedParameterSets([sps320, H264_TEST_PPS]);
    expect(params).toHaveLength(1);
    let seq = 1;
    let ts = 0;
    const keyframe = (sps: Uint8Array) => {
      const pz = new TestPacketizer('h264', { seq });
      feed(pz.packetize([sps, H264_TEST_PPS, makeNal('h264', 5, 400)], (ts += 3600)));
      feed(pz.packetize([makeNal('h264', 1, 100)], (ts += 3600)));
      seq = pz.seq;
    };
    const flipped = Uint8Array.from(sps320);
    flipped[5] = flipped[5]! ^ 0x01; // one flipped bit in pic_width_in_mbs: still parses
    expect(parseH264Sps(flipped)?.width).toBe(256); // parses, as another size
    keyframe(flipped);
    keyframe(sps320);
    keyframe(Uint8Array.from([0x67, 0xff, 0xff])); // does not parse
    keyframe(sps320);
    expect(params).toHaveLength(1); // one flipped byte changes nothing
    keyframe(sps640); // a real change: seen once...
    expect(params).toHaveLength(1);
    keyframe(sps640); // ...and again at the next keyframe: believed
    expect(params).toHaveLength(2);
    expect(params[1]!.sps).toEqual(sps640);
    expect(d.parameterSets?.sps).toEqual(sps640);
  });

  it('caps NAL unit and access unit sizes', () => {
    const pz = new TestPacketizer('h264', { mtu: 1000 });
    const small = harness({ maxNaluBytes: 4000 });
    small.feed(pz.packetize([makeNal('h264', 5, 10000)], 0));
    small.feed(pz.packetize([makeNal('h264', 5, 3000)], 3600));
    expect(small.drops).toEqual(['oversize']);
    expect(small.aus.map((a) => a.pts)).toEqual([3600]);
    const au = harness({ maxAccessUnitBytes: 5000 });
    au.feed(pz.packetize([makeNal('h264', 5, 3000), makeNal('h264', 5, 3000)], 0));
    expect(au.drops).toEqual([]);
    expect(au.aus.map((a) => [a.nalus.length, a.damaged])).toEqual([[1, true]]); // the second slice is refused
    expect(au.d.bufferedBytes).toBe(0);
  });

  it('drops frames left with nothing after a fragment without a start or interleaved-mode packets', () => {
    const { feed, drops, aus } = harness({ waitForKeyframe: false });
    feed([buildRtp({ sequenceNumber: 1, timestamp: 1, marker: true }, Uint8Array.of(0x7c, 0x45, 1, 2))]);
    feed([buildRtp({ sequenceNumber: 2, timestamp: 2, marker: true }, Uint8Array.of(0x79, 0, 1))]); // STAP-B
    feed([buildRtp({ sequenceNumber: 3, timestamp: 3, marker: true }, Uint8Array.of(0x78, 0, 9, 0x65))]); // STAP-A short
    expect(drops).toEqual(['malformed', 'unsupported', 'malformed']);
    expect(aus).toHaveLength(0);
  });
});
