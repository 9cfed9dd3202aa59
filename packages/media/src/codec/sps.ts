import type { VideoCodec } from '../types.ts';
import { parseH264Sps, type H264Sps } from './h264-sps.ts';
import { parseH265Sps, type H265Sps } from './h265-sps.ts';

/** Codec-dispatching SPS parser; null when the SPS cannot be parsed. */
export function parseSps(codec: VideoCodec, sps: Uint8Array): H264Sps | H265Sps | null {
  return codec === 'h264' ? parseH264Sps(sps) : parseH265Sps(sps);
}
