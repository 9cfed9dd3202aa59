/** Test clips for the fmp4 suites: 2 s at 25 fps, GOP of 25, no B-frames, AUDs on. */
import type { AccessUnit, VideoCodec, VideoParameterSets } from '../types.ts';
import { findParameterSets } from '../codec/nal.ts';
import { encodeMany, splitAccessUnits } from '../codec/testing.ts';

export const FRAMES = 50;
export const GOP = 25;
export const FRAME_DURATION = 3600; // 25 fps at 90 kHz
export const WIDTH = 640;
export const HEIGHT = 360;

export interface Clip {
  codec: VideoCodec;
  aus: AccessUnit[];
  params: VideoParameterSets;
}

/** Both clips, encoded by one ffmpeg process. */
export async function makeClips(dir: string): Promise<Record<VideoCodec, Clip>> {
  const gop = `keyint=${GOP}:min-keyint=${GOP}:scenecut=0:bframes=0:aud=1`;
  const base = { width: WIDTH, height: HEIGHT, fps: 25, frames: FRAMES };
  const [h264, h265] = await encodeMany(dir, [
    { name: 'clip.h264', opts: { ...base, codec: 'h264', preset: 'veryfast', params: gop } },
    { name: 'clip.h265', opts: { ...base, codec: 'h265', preset: 'ultrafast', params: `${gop}:open-gop=0` } },
  ]);
  return { h264: toClip('h264', h264 as Uint8Array), h265: toClip('h265', h265 as Uint8Array) };
}

function toClip(codec: VideoCodec, stream: Uint8Array): Clip {
  const aus = splitAccessUnits(codec, stream, FRAME_DURATION);
  const found = findParameterSets(codec, aus[0]?.nalus ?? []);
  if (!found.sps || !found.pps) throw new Error('clip without parameter sets');
  return { codec, aus, params: { codec, sps: found.sps, pps: found.pps, vps: found.vps } };
}

export { H264_PPS, H264_SPS } from '../codec/fixtures.ts';
