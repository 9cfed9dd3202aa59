/**
 * H.264 sequence parameter set parser (ITU-T H.264 §7.3.2.1.1, VUI §E.1.1). Reads
 * what the muxer (avcC, tkhd) and the UI (resolution, fps, profile) need. Returns null
 * for anything it cannot parse: SPS bytes come from cameras and are not trusted.
 */
import type { VideoInfo } from '../types.ts';
import { BitReader } from './bit-reader.ts';
import { ebspToRbsp, H264Nal, h264NalType } from './nal.ts';

export interface H264Sps extends VideoInfo {
  codec: 'h264';
  profileIdc: number;
  /** constraint_set0..5 flags and reserved bits, the byte after profile_idc. */
  constraintFlags: number;
  levelIdc: number;
  spsId: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  log2MaxFrameNum: number;
  picOrderCntType: number;
  /** log2_max_pic_order_cnt_lsb (POC type 0), else 0: slice headers need it. */
  log2MaxPocLsb: number;
  separateColourPlane: boolean;
  maxNumRefFrames: number;
  frameMbsOnly: boolean;
  /** Sample aspect ratio from VUI, [1, 1] when absent. */
  sar: [number, number];
  /** VUI bitstream_restriction max_num_reorder_frames; null when the SPS does not say. */
  maxNumReorderFrames: number | null;
}

/** Profiles whose SPS carry chroma_format_idc, bit depths and scaling matrices. */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

const PROFILE_NAMES: Record<number, string> = {
  66: 'Baseline',
  77: 'Main',
  88: 'Extended',
  100: 'High',
  110: 'High 10',
  122: 'High 4:2:2',
  244: 'High 4:4:4 Predictive',
  44: 'CAVLC 4:4:4 Intra',
};

/** Table E-1: aspect_ratio_idc 1..16. */
const SAR_TABLE: [number, number][] = [
  [1, 1],
  [12, 11],
  [10, 11],
  [16, 11],
  [40, 33],
  [24, 11],
  [20, 11],
  [32, 11],
  [80, 33],
  [18, 11],
  [15, 11],
  [64, 33],
  [160, 99],
  [4, 3],
  [3, 2],
  [2, 1],
];

export function h264ProfileName(profileIdc: number, constraintFlags: number): string {
  // constraint_set1_flag on Baseline means Constrained Baseline (what most cameras send).
  if (profileIdc === 66 && constraintFlags & 0x40) return 'Constrained Baseline';
  return PROFILE_NAMES[profileIdc] ?? `Profile ${profileIdc}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Skips scaling_list() (§7.3.2.1.1.1): the values are delta coded, so each must be read. */
function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** Parses an SPS NAL unit (with its 1-byte header, EBSP as received). */
export function parseH264Sps(nal: Uint8Array): H264Sps | null {
  if (h264NalType(nal) !== H264Nal.SPS) return null;
  try {
    return parse(new BitReader(ebspToRbsp(nal), 1));
  } catch {
    return null; // BitstreamError on truncation, or anything a corrupt SPS provokes
  }
}

function parse(r: BitReader): H264Sps | null {
  const profileIdc = r.u(8);
  const constraintFlags = r.u(8);
  const levelIdc = r.u(8);
  const spsId = r.ue();
  if (spsId > 31) return null;

  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ue();
    if (chromaFormatIdc > 3) return null;
    if (chromaFormatIdc === 3) separateColourPlane = r.flag();
    bitDepthLuma = r.ue() + 8;
    bitDepthChroma = r.ue() + 8;
    if (bitDepthLuma > 14 || bitDepthChroma > 14) return null;
    r.skip(1); // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {
      // seq_scaling_matrix_present_flag: 6 4x4 lists, then 2 (or 6 for 4:4:4) 8x8 lists
      const lists = chromaFormatIdc === 3 ? 12 : 8;
      for (let i = 0; i < lists; i++) if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }

  const log2MaxFrameNum = r.ue() + 4;
  if (log2MaxFrameNum > 16) return null;
  const picOrderCntType = r.ue();
  let log2MaxPocLsb = 0;
  if (picOrderCntType === 0) {
    log2MaxPocLsb = r.ue() + 4;
    if (log2MaxPocLsb > 16) return null;
  } else if (picOrderCntType === 1) {
    r.skip(1); // delta_pic_order_always_zero_flag
    r.se(); // offset_for_non_ref_pic
    r.se(); // offset_for_top_to_bottom_field
    const cycle = r.ue();
    if (cycle > 255) return null;
    for (let i = 0; i < cycle; i++) r.se();
  } else if (picOrderCntType !== 2) return null;

  const maxNumRefFrames = r.ue();
  r.skip(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.ue() + 1;
  const heightMapUnits = r.ue() + 1;
  const frameMbsOnly = r.flag();
  if (!frameMbsOnly) r.skip(1); // mb_adaptive_frame_field_flag
  r.skip(1); // direct_8x8_inference_flag

  // Cropping is in chroma sample units, and doubled vertically for field coding (§7.4.2.1.1).
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
  let width = widthMbs * 16;
  let height = heightMapUnits * 16 * (frameMbsOnly ? 1 : 2);
  if (r.flag()) {
    const left = r.ue();
    const right = r.ue();
    const top = r.ue();
    const bottom = r.ue();
    width -= cropUnitX * (left + right);
    height -= cropUnitY * (top + bottom);
  }
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384) return null;

  const vui: Vui = { fps: null, sar: [1, 1], maxNumReorderFrames: null };
  if (r.flag()) {
    // VUI: a broken VUI should not hide an otherwise valid resolution, so it fails soft
    // (fields read before the break are kept).
    try {
      parseVui(r, vui);
    } catch {
      /* keep what was read */
    }
  }

  return {
    codec: 'h264',
    width,
    height,
    profile: h264ProfileName(profileIdc, constraintFlags),
    level: levelIdc / 10,
    fps: vui.fps,
    codecString: `avc1.${hex2(profileIdc)}${hex2(constraintFlags)}${hex2(levelIdc)}`,
    profileIdc,
    constraintFlags,
    levelIdc,
    spsId,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    log2MaxFrameNum,
    picOrderCntType,
    log2MaxPocLsb,
    separateColourPlane,
    maxNumRefFrames,
    frameMbsOnly,
    sar: vui.sar,
    maxNumReorderFrames: vui.maxNumReorderFrames,
  };
}

interface Vui {
  fps: number | null;
  sar: [number, number];
  maxNumReorderFrames: number | null;
}

/** vui_parameters() (§E.1.1): SAR, timing, and the reorder depth from bitstream_restriction. */
function parseVui(r: BitReader, vui: Vui): void {
  if (r.flag()) {
    const idc = r.u(8);
    if (idc === 255) vui.sar = [r.u(16), r.u(16)];
    else vui.sar = SAR_TABLE[idc - 1] ?? [1, 1];
  }
  if (r.flag()) r.skip(1); // overscan_appropriate_flag
  if (r.flag()) {
    r.skip(4); // video_format, video_full_range_flag
    if (r.flag()) r.skip(24); // colour_primaries, transfer_characteristics, matrix_coefficients
  }
  if (r.flag()) {
    r.ue(); // chroma_sample_loc_type_top_field
    r.ue(); // chroma_sample_loc_type_bottom_field
  }
  if (r.flag()) {
    const numUnitsInTick = r.u(32);
    const timeScale = r.u(32);
    // One frame is two ticks (a tick is a field period), §E.2.1.
    if (numUnitsInTick > 0 && timeScale > 0) vui.fps = roundFps(timeScale / (2 * numUnitsInTick));
    r.skip(1); // fixed_frame_rate_flag
  }
  const nalHrd = r.flag();
  if (nalHrd) skipHrd(r);
  const vclHrd = r.flag();
  if (vclHrd) skipHrd(r);
  if (nalHrd || vclHrd) r.skip(1); // low_delay_hrd_flag
  r.skip(1); // pic_struct_present_flag
  if (r.flag()) {
    // bitstream_restriction_flag
    r.skip(1); // motion_vectors_over_pic_boundaries_flag
    for (let i = 0; i < 4; i++) r.ue(); // max_bytes_per_pic_denom .. log2_max_mv_length_vertical
    const reorder = r.ue();
    const dpb = r.ue(); // max_dec_frame_buffering
    // Both are at most 16 (MaxDpbFrames), and the reorder depth cannot exceed the buffer.
    if (reorder <= 16 && dpb <= 16 && reorder <= dpb) vui.maxNumReorderFrames = reorder;
  }
}

/** hrd_parameters() (§E.1.2): only skipped, it lies between timing and bitstream_restriction. */
function skipHrd(r: BitReader): void {
  const cpbCnt = r.ue() + 1;
  if (cpbCnt > 32) throw new RangeError('cpb_cnt_minus1 out of range');
  r.skip(8); // bit_rate_scale, cpb_size_scale
  for (let i = 0; i < cpbCnt; i++) {
    r.ue(); // bit_rate_value_minus1
    r.ue(); // cpb_size_value_minus1
    r.skip(1); // cbr_flag
  }
  r.skip(20); // four delay/offset length fields of 5 bits
}

/** 29.97002997… → 29.97: three decimals is all a UI or a frame-duration guess needs. */
export function roundFps(fps: number): number | null {
  const r = Math.round(fps * 1000) / 1000;
  return Number.isFinite(r) && r > 0 && r <= 1000 ? r : null;
}
