export { BitReader, BitstreamError } from './bit-reader.ts';
export {
  H264Nal,
  H265Nal,
  h264NalType,
  h265NalType,
  nalType,
  isKeyframeNal,
  isKeyframe,
  isParameterSetNal,
  isAudNal,
  isVclNal,
  findParameterSets,
  splitAnnexB,
  ebspToRbsp,
} from './nal.ts';
export { parseH264Sps, h264ProfileName, type H264Sps } from './h264-sps.ts';
export { parseH265Sps, h265CodecString, type H265Sps } from './h265-sps.ts';
export { parseSps } from './sps.ts';
export { reorderDepth } from './reorder.ts';
