/**
 * NAL unit utilities for H.264 (ITU-T H.264 §7.3.1) and H.265 (ITU-T H.265 §7.3.1).
 * Everything here is on the hot path or close to it: splitting returns subarrays
 * (views, no copies) and the type helpers only read the header byte(s).
 */
import type { VideoCodec, VideoParameterSets } from '../types.ts';

export const H264Nal = {
  SLICE: 1,
  IDR: 5,
  SEI: 6,
  SPS: 7,
  PPS: 8,
  AUD: 9,
  END_OF_SEQUENCE: 10,
  END_OF_STREAM: 11,
  FILLER: 12,
} as const;

export const H265Nal = {
  BLA_W_LP: 16,
  BLA_W_RADL: 17,
  BLA_N_LP: 18,
  IDR_W_RADL: 19,
  IDR_N_LP: 20,
  CRA: 21,
  VPS: 32,
  SPS: 33,
  PPS: 34,
  AUD: 35,
  END_OF_SEQUENCE: 36,
  END_OF_BITSTREAM: 37,
  FILLER: 38,
  PREFIX_SEI: 39,
  SUFFIX_SEI: 40,
} as const;

/** nal_unit_type of an H.264 NAL unit (5 bits of the first byte); -1 for an empty unit. */
export function h264NalType(nal: Uint8Array): number {
  const b = nal[0];
  return b === undefined ? -1 : b & 0x1f;
}

/** nal_unit_type of an H.265 NAL unit (6 bits after forbidden_zero_bit); -1 for an empty unit. */
export function h265NalType(nal: Uint8Array): number {
  const b = nal[0];
  return b === undefined ? -1 : (b >> 1) & 0x3f;
}

export function nalType(codec: VideoCodec, nal: Uint8Array): number {
  return codec === 'h264' ? h264NalType(nal) : h265NalType(nal);
}

/**
 * A picture decodable on its own: H.264 IDR; H.265 IRAP (BLA, IDR, CRA). A CRA is a
 * valid random access point (its RASL pictures are dropped by the decoder on a join).
 */
export function isKeyframeNal(codec: VideoCodec, nal: Uint8Array): boolean {
  if (codec === 'h264') return h264NalType(nal) === H264Nal.IDR;
  const t = h265NalType(nal);
  return t >= H265Nal.BLA_W_LP && t <= H265Nal.CRA;
}

/** True when any NAL unit of the access unit is a keyframe slice. */
export function isKeyframe(codec: VideoCodec, nalus: readonly Uint8Array[]): boolean {
  for (const n of nalus) if (isKeyframeNal(codec, n)) return true;
  return false;
}

export function isParameterSetNal(codec: VideoCodec, nal: Uint8Array): boolean {
  if (codec === 'h264') {
    const t = h264NalType(nal);
    return t === H264Nal.SPS || t === H264Nal.PPS;
  }
  const t = h265NalType(nal);
  return t === H265Nal.VPS || t === H265Nal.SPS || t === H265Nal.PPS;
}

export function isAudNal(codec: VideoCodec, nal: Uint8Array): boolean {
  return codec === 'h264' ? h264NalType(nal) === H264Nal.AUD : h265NalType(nal) === H265Nal.AUD;
}

/** Coded slice (VCL) NAL unit: H.264 types 1-5, H.265 types 0-31. */
export function isVclNal(codec: VideoCodec, nal: Uint8Array): boolean {
  if (codec === 'h264') {
    const t = h264NalType(nal);
    return t >= 1 && t <= 5;
  }
  const t = h265NalType(nal);
  return t >= 0 && t <= 31;
}

/**
 * The parameter sets found among `nalus` (the last of each kind wins). Lets the ingest
 * notice in-band SPS/PPS/VPS that differ from the SDP's (e.g. a resolution change) and
 * rebuild the init segment. Returns views, not copies.
 */
export function findParameterSets(codec: VideoCodec, nalus: readonly Uint8Array[]): Partial<VideoParameterSets> {
  const out: Partial<VideoParameterSets> = {};
  for (const n of nalus) {
    const t = nalType(codec, n);
    if (codec === 'h264') {
      if (t === H264Nal.SPS) out.sps = n;
      else if (t === H264Nal.PPS) out.pps = n;
    } else if (t === H265Nal.VPS) out.vps = n;
    else if (t === H265Nal.SPS) out.sps = n;
    else if (t === H265Nal.PPS) out.pps = n;
  }
  return out;
}

/**
 * Index of the first byte of the next 00 00 01 start code at or after `from`, or -1.
 * When buf[i+2] > 1 no start code can begin at i, i+1 or i+2, so we jump by 3:
 * this skips most bytes of slice data without looking at them twice.
 */
function findStartCode(buf: Uint8Array, from: number): number {
  const n = buf.length;
  let i = from;
  while (i + 2 < n) {
    const b2 = buf[i + 2] as number;
    if (b2 > 1) i += 3;
    else if (b2 === 1 && buf[i] === 0 && buf[i + 1] === 0) return i;
    else i++;
  }
  return -1;
}

/**
 * Splits an Annex B byte stream (3- or 4-byte start codes) into NAL units, as subarrays
 * of `buf` (no copy). Bytes before the first start code are ignored; trailing zero bytes
 * of a unit (the leading zero of a 4-byte start code, trailing_zero_8bits) are stripped,
 * which is safe because a NAL unit ends with rbsp_stop_one_bit. Empty units are dropped.
 */
export function splitAnnexB(buf: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let sc = findStartCode(buf, 0);
  while (sc >= 0) {
    const start = sc + 3;
    const next = findStartCode(buf, start);
    let end = next < 0 ? buf.length : next;
    while (end > start && buf[end - 1] === 0) end--;
    if (end > start) out.push(buf.subarray(start, end));
    sc = next;
  }
  return out;
}

/**
 * EBSP → RBSP: removes emulation_prevention_three_byte (the 03 in 00 00 03). Returns `nal`
 * itself when there is none (the common case for SPS), else a copy. For parsing only —
 * samples are stored as EBSP.
 */
export function ebspToRbsp(nal: Uint8Array): Uint8Array {
  let first = -1;
  for (let i = 2; i < nal.length; i++) {
    if (nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) {
      first = i;
      break;
    }
  }
  if (first < 0) return nal;
  const out = new Uint8Array(nal.length);
  out.set(nal.subarray(0, first));
  let o = first;
  let zeros = 0;
  for (let i = first + 1; i < nal.length; i++) {
    const b = nal[i] as number;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[o++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, o);
}
