/**
 * How many pictures may precede a picture in decode order and follow it in output order
 * (H.264 max_num_reorder_frames, H.265 sps_max_num_reorder_pics): the depth the fMP4
 * muxer needs to derive decode times from presentation times without looking ahead.
 */
import { BitReader } from './bit-reader.ts';
import type { H264Sps } from './h264-sps.ts';
import type { H265Sps } from './h265-sps.ts';
import { ebspToRbsp, H264Nal } from './nal.ts';

/** H.264 profiles that allow no B slices or only intra pictures: output order is decode order. */
const NO_REORDER_H264 = new Set([66, 44]);
/** High 10/4:2:2/4:4:4 with constraint_set3_flag are their Intra profiles (§A.2.8-A.2.10). */
const HIGH_INTRA_CAPABLE = new Set([110, 122, 244]);

/**
 * The reorder depth the SPS promises, or null when it does not say (an H.264 Main/High
 * SPS without VUI bitstream_restriction: the muxer then learns the depth from the stream).
 */
export function reorderDepth(sps: H264Sps | H265Sps): number | null {
  if (sps.codec === 'h265') return sps.maxNumReorderPics;
  if (sps.maxNumReorderFrames !== null) return sps.maxNumReorderFrames;
  // Baseline forbids B slices; CAVLC 4:4:4 Intra has none; with POC type 2 output order
  // equals decode order (§8.2.1.3); the High intra profiles set constraint_set3.
  if (NO_REORDER_H264.has(sps.profileIdc) || sps.picOrderCntType === 2) return 0;
  if (HIGH_INTRA_CAPABLE.has(sps.profileIdc) && sps.constraintFlags & 0x10) return 0;
  return null;
}

/** pic_order_cnt_lsb of an H.264 slice NAL unit (POC type 0), else null; reads only the header's start (§7.3.3). */
export function h264PocLsb(sps: H264Sps, nal: Uint8Array): number | null {
  const type = (nal[0] ?? 0) & 0x1f;
  if ((type !== H264Nal.SLICE && type !== H264Nal.IDR) || sps.picOrderCntType !== 0) return null;
  try {
    // The fields before pic_order_cnt_lsb take at most ~20 bytes; 32 leave room for emulation prevention.
    const r = new BitReader(ebspToRbsp(nal.subarray(0, 32)), 1);
    r.ue(); // first_mb_in_slice
    r.ue(); // slice_type
    r.ue(); // pic_parameter_set_id
    if (sps.separateColourPlane) r.skip(2); // colour_plane_id
    r.skip(sps.log2MaxFrameNum); // frame_num
    if (!sps.frameMbsOnly && r.flag()) r.skip(1); // field_pic_flag, bottom_field_flag
    if (type === H264Nal.IDR) r.ue(); // idr_pic_id
    return r.u(sps.log2MaxPocLsb);
  } catch {
    return null; // a truncated or corrupt slice: no hint
  }
}

/**
 * Sees B-frames coming before the first of them arrives, for an H.264 stream whose SPS
 * does not give the reorder depth: the P picture sent ahead of its B pictures has a POC
 * more than one step past the largest so far (the B pictures fill the gap later). POC
 * counts coded pictures, so frames a camera skips at capture leave no gap. The step is
 * assumed 2 (what encoders use for frames) until an odd difference shows it is 1.
 * Reading the POC from slice headers is what MediaMTX does for its whole derivation; we
 * only use it as this early hint.
 */
export class PocGapDetector {
  private max: number | null = null;
  private step = 2;
  private readonly range: number;

  constructor(private readonly sps: H264Sps) {
    this.range = 2 ** sps.log2MaxPocLsb;
  }

  /** True when this access unit (keyframe: an IDR) skips ahead in presentation order. */
  skipsAhead(nalus: readonly Uint8Array[], keyframe: boolean): boolean {
    const slice = nalus.find((n) => {
      const t = (n[0] ?? 0) & 0x1f;
      return t === H264Nal.SLICE || t === H264Nal.IDR;
    });
    const poc = slice ? h264PocLsb(this.sps, slice) : null;
    if (poc === null) return false;
    if (keyframe || this.max === null) {
      this.max = poc; // an IDR restarts the count
      return false;
    }
    let d = (poc - this.max) % this.range;
    if (d < 0) d += this.range;
    if (d >= this.range / 2) d -= this.range; // lsb wrapped: a step back
    if (d % 2 !== 0) this.step = 1;
    if (d <= 0) return false;
    this.max = poc;
    return d > this.step;
  }
}
