/**
 * moof + mdat writer (ISO/IEC 14496-12 §8.8). This is the per-frame hot path of the
 * recorder and the live hub, so it sizes the fragment first, allocates one Buffer and
 * writes boxes and NAL data straight into it: no intermediate arrays, no concat.
 *
 * Layout: moof{mfhd, traf{tfhd(default-base-is-moof), tfdt(v1, 64-bit), trun}} mdat.
 * trun carries per-sample duration, size and flags, and composition time offsets
 * (pts - dts) only when some sample has one (B-frames, see dts.ts): a stream without
 * reordering gets the same 12-byte entries as ever. trun is version 1 (signed offsets)
 * only when an offset is negative, version 0 otherwise (what every reader knows).
 */
import type { AccessUnit, VideoCodec } from '../types.ts';
import { H264Nal, H265Nal } from '../codec/nal.ts';

/** sample_depends_on = 2 (does not depend on others), is_non_sync_sample = 0. */
export const SAMPLE_FLAGS_SYNC = 0x02000000;
/** sample_depends_on = 1 (depends on others), is_non_sync_sample = 1. */
export const SAMPLE_FLAGS_NON_SYNC = 0x01010000;

const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
/** data-offset-present | sample-duration | sample-size | sample-flags. */
const TRUN_FLAGS = 0x000701;
/** sample-composition-time-offsets-present. */
const TRUN_CTO = 0x000800;

/**
 * NAL units that do not go into samples: parameter sets (the avc1/hvc1 sample entries
 * require them out of band, in avcC/hvcC), access unit delimiters (carry nothing an MP4
 * reader needs) and filler data (bitrate padding). SEI and the slices stay.
 */
export function isDroppedNal(codec: VideoCodec, nal: Uint8Array): boolean {
  const b = nal[0];
  if (b === undefined) return true;
  if (codec === 'h264') {
    const t = b & 0x1f;
    return t === H264Nal.SPS || t === H264Nal.PPS || t === H264Nal.AUD || t === H264Nal.FILLER;
  }
  const t = (b >> 1) & 0x3f;
  return t === H265Nal.VPS || t === H265Nal.SPS || t === H265Nal.PPS || t === H265Nal.AUD || t === H265Nal.FILLER;
}

/** Bytes the access unit takes in mdat (4-byte length prefix per kept NAL unit). */
export function sampleSize(au: AccessUnit): number {
  let n = 0;
  for (const nal of au.nalus) if (!isDroppedNal(au.codec, nal)) n += 4 + nal.length;
  return n;
}

export interface FragmentSpec {
  sequenceNumber: number;
  trackId: number;
  baseMediaDecodeTime: number;
  samples: readonly AccessUnit[];
  /** Duration of each sample, same length as samples, in the track timescale. */
  durations: ArrayLike<number>;
  /** pts - dts of each sample; omit (or all zero) when samples are in presentation order. */
  compositionOffsets?: ArrayLike<number>;
}

/** Writes one moof+mdat. Samples with no kept NAL units must have been filtered out. */
export function writeFragment(spec: FragmentSpec): Buffer {
  const { samples, durations } = spec;
  const count = samples.length;
  let payload = 0;
  for (const au of samples) payload += sampleSize(au);
  let ctos: ArrayLike<number> | undefined;
  let negative = false;
  for (let i = 0; i < count && spec.compositionOffsets; i++) {
    const c = spec.compositionOffsets[i] ?? 0;
    if (c !== 0) ctos = spec.compositionOffsets;
    if (c < 0) negative = true;
  }
  const entry = ctos ? 16 : 12;
  const trunSize = 20 + entry * count;
  const trafSize = 8 + 16 + 20 + trunSize;
  const moofSize = 8 + 16 + trafSize;
  const mdatSize = 8 + payload;
  if (mdatSize > 0xffffffff) throw new RangeError('fragment larger than 4 GiB');
  // Unsafe is fine: every byte below is written. Slow = never from the shared pool, so the
  // fragment owns its ArrayBuffer and can be transferred to another worker thread.
  const buf = Buffer.allocUnsafeSlow(moofSize + mdatSize);
  let o = 0;
  const header = (size: number, type: number): void => {
    buf.writeUInt32BE(size, o);
    buf.writeUInt32BE(type, o + 4);
    o += 8;
  };
  header(moofSize, 0x6d6f6f66); // 'moof'
  header(16, 0x6d666864); // 'mfhd'
  buf.writeUInt32BE(0, o);
  buf.writeUInt32BE(spec.sequenceNumber >>> 0, o + 4);
  o += 8;
  header(trafSize, 0x74726166); // 'traf'
  header(16, 0x74666864); // 'tfhd'
  buf.writeUInt32BE(TFHD_DEFAULT_BASE_IS_MOOF, o);
  buf.writeUInt32BE(spec.trackId, o + 4);
  o += 8;
  header(20, 0x74666474); // 'tfdt'
  const t = Math.max(0, Math.floor(spec.baseMediaDecodeTime));
  buf.writeUInt32BE(0x01000000, o); // version 1: 64-bit time, no 2^32 wrap after 13 h at 90 kHz
  buf.writeUInt32BE(Math.floor(t / 0x100000000), o + 4);
  buf.writeUInt32BE(t % 0x100000000, o + 8);
  o += 12;
  header(trunSize, 0x7472756e); // 'trun'
  buf.writeUInt32BE((negative ? 0x01000000 : 0) | TRUN_FLAGS | (ctos ? TRUN_CTO : 0), o);
  buf.writeUInt32BE(count, o + 4);
  buf.writeUInt32BE(moofSize + 8, o + 8); // data_offset: from moof start to the first mdat byte
  o += 12;
  let d = moofSize;
  buf.writeUInt32BE(mdatSize, d);
  buf.writeUInt32BE(0x6d646174, d + 4); // 'mdat'
  d += 8;
  for (let i = 0; i < count; i++) {
    const au = samples[i] as AccessUnit;
    const start = d;
    for (const nal of au.nalus) {
      if (isDroppedNal(au.codec, nal)) continue;
      buf.writeUInt32BE(nal.length, d);
      buf.set(nal, d + 4);
      d += 4 + nal.length;
    }
    buf.writeUInt32BE(Math.min(0xffffffff, Math.max(0, Math.round(durations[i] ?? 0))), o);
    buf.writeUInt32BE(d - start, o + 4);
    buf.writeUInt32BE(au.keyframe ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC, o + 8);
    if (ctos) {
      const c = Math.round(ctos[i] ?? 0);
      // Version 0 offsets are unsigned, version 1 signed: the same bits when non-negative.
      buf.writeInt32BE(Math.max(-0x80000000, Math.min(0x7fffffff, c)), o + 12);
    }
    o += entry;
  }
  return buf;
}
