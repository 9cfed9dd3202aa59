/**
 * Test clips for the fmp4 suites: 2 s at 25 fps, GOP of 25, AUDs on; without B-frames
 * (makeClips), and with them (makeBframeClips: pts in presentation order, access units in
 * decode order, as a camera with B-frames sends them over RTP).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AccessUnit, VideoCodec, VideoParameterSets } from '../types.ts';
import { findParameterSets } from '../codec/nal.ts';
import { encodeMany, splitAccessUnits } from '../codec/testing.ts';
import { parseFmp4, splitLengthPrefixed } from './parser.ts';

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

/**
 * B-frame clips: ffmpeg encodes to fragmented MP4 (its own muxer writes the decode times
 * and composition offsets), and our parser turns that back into access units with
 * pts = dts + offset in 90 kHz. H.264: x264 with 2 B-frames and a B-pyramid (reorder
 * depth 2); H.265: x265 with 3 B-frames.
 */
export async function makeBframeClips(dir: string): Promise<Record<VideoCodec, Clip>> {
  const src = `testsrc2=size=${WIDTH}x${HEIGHT}:rate=25:duration=${(FRAMES + 1) / 25}`;
  const key = `keyint=${GOP}:min-keyint=${GOP}:scenecut=0`;
  const out = (name: string): string[] => ['-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', join(dir, name)];
  await run('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', src, '-f', 'lavfi', '-i', src,
    '-map', '0:v', '-frames:v', String(FRAMES), '-c:v', 'libx264', '-preset', 'veryfast', '-threads', '1',
    '-x264-params', `${key}:bframes=2:b-pyramid=normal:b-adapt=0:aud=1`, ...out('b.h264.mp4'),
    '-map', '1:v', '-frames:v', String(FRAMES), '-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1',
    '-x265-params', `log-level=error:pools=1:frame-threads=1:${key}:bframes=3:b-adapt=0:open-gop=0:aud=1`, ...out('b.h265.mp4'),
  ], { timeout: 30_000 });
  return { h264: fromMp4('h264', join(dir, 'b.h264.mp4')), h265: fromMp4('h265', join(dir, 'b.h265.mp4')) };
}

const run = promisify(execFile);

function fromMp4(codec: VideoCodec, file: string): Clip {
  const parsed = parseFmp4(new Uint8Array(readFileSync(file)));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  const track = parsed.file.tracks[0];
  if (!track) throw new Error(`${file}: no video track`);
  const aus = parsed.file.samples.map((s): AccessUnit => ({
    codec,
    nalus: splitLengthPrefixed(s.data) ?? [],
    pts: Math.round(((s.dts + s.cto) * 90000) / track.timescale),
    keyframe: s.keyframe,
    receivedAt: 0,
  }));
  return { codec, aus, params: track.parameterSets };
}

export { H264_PPS, H264_SPS } from '../codec/fixtures.ts';
