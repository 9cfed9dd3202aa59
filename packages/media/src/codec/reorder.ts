/**
 * How many pictures may precede a picture in decode order and follow it in output order
 * (H.264 max_num_reorder_frames, H.265 sps_max_num_reorder_pics): the depth the fMP4
 * muxer needs to derive decode times from presentation times without looking ahead.
 */
import type { H264Sps } from './h264-sps.ts';
import type { H265Sps } from './h265-sps.ts';

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
