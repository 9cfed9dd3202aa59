/**
 * H.265 sequence parameter set parser (ITU-T H.265 §7.3.2.2, profile_tier_level §7.3.3,
 * st_ref_pic_set §7.3.7, VUI §E.2.1). Walks the whole SPS up to the VUI timing info,
 * because fps sits behind the short-term reference picture sets. Returns null for
 * anything it cannot parse.
 */
import type { VideoInfo } from '../types.ts';
import { BitReader } from './bit-reader.ts';
import { roundFps } from './h264-sps.ts';
import { ebspToRbsp, H265Nal, h265NalType } from './nal.ts';

export interface H265Sps extends VideoInfo {
  codec: 'h265';
  /** general_profile_space, general_tier_flag, general_profile_idc, general_level_idc. */
  profileSpace: number;
  tierFlag: number;
  profileIdc: number;
  levelIdc: number;
  /** general_profile_compatibility_flags, bit 31 = flag[0]. */
  compatibilityFlags: number;
  /** general_constraint_indicator_flags: 48 bits as 6 bytes (a copy). */
  constraintFlags: Uint8Array;
  maxSubLayersMinus1: number;
  temporalIdNesting: boolean;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** sps_max_num_reorder_pics of the highest sub-layer; null when the SPS broke before it. */
  maxNumReorderPics: number | null;
}

const PROFILE_NAMES: Record<number, string> = {
  1: 'Main',
  2: 'Main 10',
  3: 'Main Still Picture',
  4: 'Range Extensions',
  5: 'High Throughput',
  9: 'Screen Content Coding',
};

/** Parses an SPS NAL unit (with its 2-byte header, EBSP as received). */
export function parseH265Sps(nal: Uint8Array): H265Sps | null {
  if (h265NalType(nal) !== H265Nal.SPS) return null;
  try {
    return parse(new BitReader(ebspToRbsp(nal), 2));
  } catch {
    return null;
  }
}

/**
 * ISO/IEC 14496-15 Annex E codec string: hvc1.[A-C]<profile>.<compat, bit-reversed, hex>.
 * <L|H><level>.<constraint bytes, trailing zero bytes dropped>.
 */
export function h265CodecString(
  s: Pick<H265Sps, 'profileSpace' | 'tierFlag' | 'profileIdc' | 'levelIdc' | 'compatibilityFlags' | 'constraintFlags'>,
): string {
  let reversed = 0;
  for (let i = 0; i < 32; i++) if ((s.compatibilityFlags >>> i) & 1) reversed |= 1 << (31 - i);
  const space = s.profileSpace === 0 ? '' : String.fromCharCode(64 + s.profileSpace);
  let str = `hvc1.${space}${s.profileIdc}.${(reversed >>> 0).toString(16).toUpperCase()}.${s.tierFlag ? 'H' : 'L'}${s.levelIdc}`;
  let last = s.constraintFlags.length;
  while (last > 0 && s.constraintFlags[last - 1] === 0) last--;
  for (let i = 0; i < last; i++) str += `.${(s.constraintFlags[i] as number).toString(16).toUpperCase()}`;
  return str;
}

function parse(r: BitReader): H265Sps | null {
  r.skip(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.u(3);
  const temporalIdNesting = r.flag();
  if (maxSubLayersMinus1 > 6) return null;

  // profile_tier_level(1, maxSubLayersMinus1): the general part is 88 bits + level.
  const profileSpace = r.u(2);
  const tierFlag = r.u1();
  const profileIdc = r.u(5);
  const compatibilityFlags = r.u(32);
  const constraintFlags = new Uint8Array(6);
  for (let i = 0; i < 6; i++) constraintFlags[i] = r.u(8);
  const levelIdc = r.u(8);
  const subProfile: boolean[] = [];
  const subLevel: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    subProfile.push(r.flag());
    subLevel.push(r.flag());
  }
  if (maxSubLayersMinus1 > 0) r.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (subProfile[i]) r.skip(88);
    if (subLevel[i]) r.skip(8);
  }

  if (r.ue() > 15) return null; // sps_seq_parameter_set_id
  const chromaFormatIdc = r.ue();
  if (chromaFormatIdc > 3) return null;
  const separateColourPlane = chromaFormatIdc === 3 ? r.flag() : false;
  let width = r.ue();
  let height = r.ue();
  if (r.flag()) {
    // conformance_window offsets are in chroma sample units (Table 6-1)
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
    const subHeightC = chromaArrayType === 1 ? 2 : 1;
    const left = r.ue();
    const right = r.ue();
    const top = r.ue();
    const bottom = r.ue();
    width -= subWidthC * (left + right);
    height -= subHeightC * (top + bottom);
  }
  if (width <= 0 || height <= 0 || width > 16888 || height > 16888) return null;
  const bitDepthLuma = r.ue() + 8;
  const bitDepthChroma = r.ue() + 8;
  if (bitDepthLuma > 16 || bitDepthChroma > 16) return null;

  const info: H265Sps = {
    codec: 'h265',
    width,
    height,
    profile: PROFILE_NAMES[profileIdc] ?? `Profile ${profileIdc}`,
    level: Math.round((levelIdc / 30) * 10) / 10,
    fps: null,
    codecString: '',
    profileSpace,
    tierFlag,
    profileIdc,
    levelIdc,
    compatibilityFlags,
    constraintFlags,
    maxSubLayersMinus1,
    temporalIdNesting,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    maxNumReorderPics: null,
  };
  info.codecString = h265CodecString(info);
  // Everything below only leads to the VUI timing: a failure there keeps fps null.
  try {
    info.fps = parseToTiming(r, info);
  } catch {
    /* fps stays null */
  }
  return info;
}

/**
 * The SPS from log2_max_pic_order_cnt_lsb_minus4 to the VUI timing info; returns fps and
 * sets info.maxNumReorderPics on the way (the muxer's decode-time derivation needs it).
 */
function parseToTiming(r: BitReader, info: H265Sps): number | null {
  const maxSubLayersMinus1 = info.maxSubLayersMinus1;
  const log2MaxPocLsb = r.ue() + 4;
  if (log2MaxPocLsb > 16) return null;
  const orderingAll = r.flag(); // sps_sub_layer_ordering_info_present_flag
  for (let i = orderingAll ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    const dpb = r.ue() + 1; // sps_max_dec_pic_buffering_minus1
    const reorder = r.ue(); // sps_max_num_reorder_pics
    r.ue(); // sps_max_latency_increase_plus1
    // The last (highest) sub-layer's value is the one for the whole stream.
    info.maxNumReorderPics = reorder <= 16 && reorder < dpb ? reorder : null;
  }
  r.ue(); // log2_min_luma_coding_block_size_minus3
  r.ue(); // log2_diff_max_min_luma_coding_block_size
  r.ue(); // log2_min_luma_transform_block_size_minus2
  r.ue(); // log2_diff_max_min_luma_transform_block_size
  r.ue(); // max_transform_hierarchy_depth_inter
  r.ue(); // max_transform_hierarchy_depth_intra
  if (r.flag() && r.flag()) skipScalingListData(r); // scaling_list_enabled, sps_scaling_list_data_present
  r.skip(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
  if (r.flag()) {
    // pcm_enabled_flag
    r.skip(8); // pcm_sample_bit_depth_luma_minus1, _chroma_minus1
    r.ue(); // log2_min_pcm_luma_coding_block_size_minus3
    r.ue(); // log2_diff_max_min_pcm_luma_coding_block_size
    r.skip(1); // pcm_loop_filter_disabled_flag
  }
  const numStRps = r.ue();
  if (numStRps > 64) return null;
  const sets: Rps[] = [];
  for (let i = 0; i < numStRps; i++) sets.push(readStRefPicSet(r, i, sets));
  if (r.flag()) {
    // long_term_ref_pics_present_flag
    const n = r.ue();
    if (n > 32) return null;
    for (let i = 0; i < n; i++) r.skip(log2MaxPocLsb + 1); // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
  }
  r.skip(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
  if (!r.flag()) return null; // vui_parameters_present_flag

  if (r.flag()) if (r.u(8) === 255) r.skip(32); // aspect_ratio_idc, sar_width/height
  if (r.flag()) r.skip(1); // overscan
  if (r.flag()) {
    r.skip(4); // video_format, video_full_range_flag
    if (r.flag()) r.skip(24); // colour description
  }
  if (r.flag()) {
    r.ue();
    r.ue(); // chroma_sample_loc_type_top/bottom_field
  }
  r.skip(3); // neutral_chroma_indication, field_seq, frame_field_info_present
  if (r.flag()) {
    r.ue(); // default display window offsets
    r.ue();
    r.ue();
    r.ue();
  }
  if (!r.flag()) return null; // vui_timing_info_present_flag
  const numUnitsInTick = r.u(32);
  const timeScale = r.u(32);
  // Unlike H.264, an H.265 tick is a picture period (§E.3.1).
  return numUnitsInTick > 0 && timeScale > 0 ? roundFps(timeScale / numUnitsInTick) : null;
}

/** scaling_list_data() (§7.3.4). */
function skipScalingListData(r: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.flag()) {
        r.ue(); // scaling_list_pred_matrix_id_delta
        continue;
      }
      const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
      if (sizeId > 1) r.se(); // scaling_list_dc_coef_minus8
      for (let i = 0; i < coefNum; i++) r.se();
    }
  }
}

/** A short-term RPS as its delta POCs: s0 negative (closest first), s1 positive. */
interface Rps {
  s0: number[];
  s1: number[];
}

/**
 * st_ref_pic_set(idx) as it appears in the SPS (§7.3.7). A predicted set's entries depend
 * on the actual delta POCs of its reference set (§7.4.8, eqs. 7-61/7-62: an entry whose
 * dPoc becomes 0 is dropped), and the next predicted set reads one flag pair per entry,
 * so the sets must be derived, not just counted.
 */
function readStRefPicSet(r: BitReader, idx: number, sets: Rps[]): Rps {
  const ref = sets[idx - 1];
  if (ref && r.flag()) {
    // inter_ref_pic_set_prediction_flag; in the SPS delta_idx_minus1 is absent (ref = idx - 1)
    const sign = r.u1();
    const abs = r.ue() + 1;
    if (abs > 0x8000) throw new RangeError('abs_delta_rps out of range');
    const deltaRps = sign ? -abs : abs;
    const nNeg = ref.s0.length;
    const n = nNeg + ref.s1.length;
    const useDelta: boolean[] = [];
    for (let j = 0; j <= n; j++) useDelta.push(r.flag() || r.flag()); // used_by_curr_pic_flag, else use_delta_flag
    const s0: number[] = [];
    const s1: number[] = [];
    for (let j = ref.s1.length - 1; j >= 0; j--) {
      const d = (ref.s1[j] as number) + deltaRps;
      if (d < 0 && useDelta[nNeg + j]) s0.push(d);
    }
    if (deltaRps < 0 && useDelta[n]) s0.push(deltaRps);
    for (let j = 0; j < nNeg; j++) {
      const d = (ref.s0[j] as number) + deltaRps;
      if (d < 0 && useDelta[j]) s0.push(d);
    }
    for (let j = nNeg - 1; j >= 0; j--) {
      const d = (ref.s0[j] as number) + deltaRps;
      if (d > 0 && useDelta[j]) s1.push(d);
    }
    if (deltaRps > 0 && useDelta[n]) s1.push(deltaRps);
    for (let j = 0; j < ref.s1.length; j++) {
      const d = (ref.s1[j] as number) + deltaRps;
      if (d > 0 && useDelta[nNeg + j]) s1.push(d);
    }
    if (s0.length > 16 || s1.length > 16) throw new RangeError('too many reference pictures');
    return { s0, s1 };
  }
  const neg = r.ue();
  const pos = r.ue();
  if (neg > 16 || pos > 16) throw new RangeError('too many reference pictures');
  const s0: number[] = [];
  const s1: number[] = [];
  let poc = 0;
  for (let i = 0; i < neg; i++) {
    poc -= r.ue() + 1; // delta_poc_s0_minus1
    r.skip(1); // used_by_curr_pic_s0_flag
    s0.push(poc);
  }
  poc = 0;
  for (let i = 0; i < pos; i++) {
    poc += r.ue() + 1;
    r.skip(1);
    s1.push(poc);
  }
  return { s0, s1 };
}
