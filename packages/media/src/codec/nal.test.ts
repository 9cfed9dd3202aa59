import { describe, expect, it } from 'vitest';
import { BitReader, BitstreamError } from './bit-reader.ts';
import { parseH264Sps } from './h264-sps.ts';
import { parseH265Sps } from './h265-sps.ts';
import {
  ebspToRbsp,
  findParameterSets,
  isAudNal,
  isKeyframe,
  isKeyframeNal,
  isParameterSetNal,
  isVclNal,
  nalType,
  splitAnnexB,
} from './nal.ts';
import { H264_SPS, H265_SPS } from './fixtures.ts';
const hex = (a: Uint8Array[]): string[] => a.map((x) => Buffer.from(x).toString('hex'));

describe('splitAnnexB', () => {
  it('splits on 3- and 4-byte start codes without copying', () => {
    const buf = Uint8Array.of(0xff, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 0, 0, 3, 1, 0, 0);
    const nalus = splitAnnexB(buf);
    expect(hex(nalus)).toEqual(['670102', '6803', '6500000301']);
    for (const n of nalus) expect(n.buffer).toBe(buf.buffer);
  });

  it('ignores leading garbage, trailing zeros and empty units; no start code gives nothing', () => {
    expect(hex(splitAnnexB(Uint8Array.of(9, 9, 0, 0, 1, 0, 0, 1, 0x41, 5, 0, 0, 0)))).toEqual(['4105']);
    expect(splitAnnexB(Uint8Array.of(0x41, 1, 2, 3))).toEqual([]);
    expect(splitAnnexB(new Uint8Array(0))).toEqual([]);
    expect(splitAnnexB(Uint8Array.of(0, 0, 1))).toEqual([]);
  });
});

describe('ebspToRbsp', () => {
  it('removes emulation prevention bytes and returns the input when there are none', () => {
    expect([...ebspToRbsp(Uint8Array.of(1, 0, 0, 3, 0, 0, 0, 3, 1, 0, 0, 3))]).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect([...ebspToRbsp(Uint8Array.of(0, 0, 3, 3))]).toEqual([0, 0, 3]);
    const clean = Uint8Array.of(1, 2, 3);
    expect(ebspToRbsp(clean)).toBe(clean);
  });
});

describe('NAL type helpers', () => {
  it('classifies H.264 and H.265 units', () => {
    expect(nalType('h264', Uint8Array.of(0x65))).toBe(5);
    expect(isKeyframeNal('h264', Uint8Array.of(0x65))).toBe(true);
    expect(isKeyframeNal('h264', Uint8Array.of(0x41))).toBe(false);
    expect(isParameterSetNal('h264', H264_SPS)).toBe(true);
    expect(isAudNal('h264', Uint8Array.of(0x09, 0xf0))).toBe(true);
    expect(isVclNal('h264', Uint8Array.of(0x06))).toBe(false);
    expect(nalType('h265', H265_SPS)).toBe(33);
    expect(isKeyframeNal('h265', Uint8Array.of(19 << 1, 1))).toBe(true); // IDR_W_RADL
    expect(isKeyframeNal('h265', Uint8Array.of(21 << 1, 1))).toBe(true); // CRA
    expect(isKeyframeNal('h265', Uint8Array.of(1 << 1, 1))).toBe(false); // TRAIL_R
    expect(isAudNal('h265', Uint8Array.of(35 << 1, 1))).toBe(true);
    expect(isVclNal('h265', Uint8Array.of(39 << 1, 1))).toBe(false);
    expect(isKeyframe('h264', [Uint8Array.of(0x09), Uint8Array.of(0x65)])).toBe(true);
    expect(nalType('h264', new Uint8Array(0))).toBe(-1);
    expect(findParameterSets('h264', [Uint8Array.of(0x09), H264_SPS, Uint8Array.of(0x68, 1)]).pps).toEqual(
      Uint8Array.of(0x68, 1),
    );
  });
});

describe('BitReader', () => {
  it('reads bits, Exp-Golomb codes and 32-bit values', () => {
    // 1 | 010 | 011 | 00100 | 00101 -> ue 0, 1, 2, 3; then se of 00101 = ue 4 -> -2
    const r = new BitReader(Uint8Array.of(0b10100110, 0b01000010, 0b1_0000000));
    expect([r.ue(), r.ue(), r.ue(), r.ue(), r.se()]).toEqual([0, 1, 2, 3, -2]);
    expect(new BitReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff)).u(32)).toBe(0xffffffff);
  });

  it('throws BitstreamError past the end and on overlong codes', () => {
    expect(() => new BitReader(Uint8Array.of(0)).u(9)).toThrow(BitstreamError);
    expect(() => new BitReader(new Uint8Array(8)).ue()).toThrow(BitstreamError);
  });
});

describe('SPS parsers on fixed inputs', () => {
  it('parses known parameter sets', () => {
    expect(parseH264Sps(H264_SPS)).toMatchObject({
      width: 320,
      height: 240,
      profile: 'Constrained Baseline',
      fps: 25,
      codecString: 'avc1.42c00d',
      level: 1.3,
    });
    expect(parseH265Sps(H265_SPS)).toMatchObject({
      width: 320,
      height: 240,
      profile: 'Main',
      fps: 25,
      codecString: 'hvc1.1.6.L60.90',
      level: 2,
    });
  });

  it('returns null for the wrong NAL type or an empty unit', () => {
    expect(parseH264Sps(Uint8Array.of(0x68, 1, 2))).toBeNull();
    expect(parseH265Sps(H264_SPS)).toBeNull();
    expect(parseH264Sps(new Uint8Array(0))).toBeNull();
  });
});
