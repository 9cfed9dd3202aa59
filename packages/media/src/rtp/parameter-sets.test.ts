import { describe, expect, it } from 'vitest';
import type { VideoParameterSets } from '../types.ts';
import { ParameterSetTracker } from './parameter-sets.ts';
import { H264_TEST_PPS, h264Sps } from './test-helpers.ts';

function tracker() {
  const reports: VideoParameterSets[] = [];
  const t = new ParameterSetTracker('h264', (ps) => reports.push(ps));
  const keyframe = (sps: Uint8Array, pps: Uint8Array = H264_TEST_PPS) => {
    t.set('sps', sps);
    t.set('pps', pps);
    t.settle();
  };
  return { t, reports, keyframe };
}

describe('ParameterSetTracker', () => {
  it('believes the first in-band set at once when it parses', () => {
    const { reports, keyframe } = tracker();
    keyframe(h264Sps(640, 480));
    expect(reports).toHaveLength(1);
  });

  it('believes a first set that does not parse only once it repeats (the muxer then says why)', () => {
    const { reports, keyframe } = tracker();
    const odd = Uint8Array.from([0x67, 0x64, 0x00]);
    keyframe(odd);
    expect(reports).toHaveLength(0);
    keyframe(odd);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.sps).toEqual(odd);
  });

  it('reports an SPS and a PPS that change together once, at the second keyframe', () => {
    const { reports, keyframe, t } = tracker();
    keyframe(h264Sps(320, 240));
    const pps2 = Uint8Array.from([0x68, 0xce, 0x3c, 0x80]);
    keyframe(h264Sps(1280, 720), pps2);
    expect(reports).toHaveLength(1);
    keyframe(h264Sps(1280, 720), pps2);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toEqual({ codec: 'h264', sps: h264Sps(1280, 720), pps: pps2 });
    expect(t.refused).toBe(1);
  });

  it('lets the believed set cancel a pending change, and ignores a PPS whose ids are out of range', () => {
    const { reports, keyframe } = tracker();
    keyframe(h264Sps(320, 240));
    keyframe(h264Sps(640, 480));
    keyframe(h264Sps(320, 240)); // the old one again: the change above was a fluke
    keyframe(h264Sps(640, 480));
    expect(reports).toHaveLength(1);
    const badPps = Uint8Array.from([0x68, 0x00, 0x00, 0x01]); // pps id far beyond 255
    keyframe(h264Sps(320, 240), badPps);
    keyframe(h264Sps(320, 240), badPps);
    expect(reports).toHaveLength(1);
  });
});
