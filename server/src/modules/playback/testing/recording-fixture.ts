/**
 * Test footage in the recorder's exact format (docs/decisions/0005-recording.md), made at
 * test time (never committed): access units from the camera simulator over real RTSP
 * (frames carry a stamp readable from pixels) or from an ffmpeg encode, written by
 * Fmp4Muxer('gop', maxFragmentDuration 1 s) into <root>/<cameraId>/<day>/<startMs>.mp4
 * with their recording_segments rows (keyframes = [[ms from start, moof offset]]).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Fmp4Muxer, parseFmp4, RtspClient, splitLengthPrefixed, type AccessUnit, type VideoCodec, type VideoParameterSets } from '@kuzet/media';
import { decodeStamp, type Simulator } from '@kuzet/sim';
import type { Database } from '../../../db/database.ts';
import { almatyDate } from '../../../lib/almaty-time.ts';
import { inspectMoof } from '../fmp4-boxes.ts';

const run = promisify(execFile);
export const FRAME_TICKS = 3600; // 25 fps at 90 kHz

export interface Footage {
  codec: VideoCodec;
  params: VideoParameterSets;
  /** Copied access units, pts from 0 (90 kHz), starting with a keyframe. */
  aus: AccessUnit[];
  width: number;
  height: number;
  /** Stamp frame number (within the simulator's loop) of each access unit, when from the simulator. */
  stamps: number[] | null;
  stampId: number | null;
  loopFrames: number | null;
}

function copyAu(au: AccessUnit): AccessUnit {
  return { ...au, nalus: au.nalus.map((n) => new Uint8Array(n)) };
}

/** Pulls `frames` frames of a simulated camera's main stream over RTSP (from its first keyframe). */
export async function captureFromSimulator(sim: Simulator, cameraId: string, frames: number, opts: { loopFrames: number; width: number; height: number }): Promise<Footage> {
  const aus: AccessUnit[] = [];
  let params: VideoParameterSets | null = null;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const client = new RtspClient({
    url: sim.url(cameraId, 'main'),
    transport: 'tcp',
    onParameterSets: (ps) => (params ??= { ...ps, sps: new Uint8Array(ps.sps), pps: new Uint8Array(ps.pps), ...(ps.vps ? { vps: new Uint8Array(ps.vps) } : {}) }),
    onAccessUnit: (au) => {
      if (!aus.length && !au.keyframe) return;
      if (aus.length >= frames) return;
      aus.push(copyAu(au));
      if (aus.length >= frames) done();
    },
  });
  const timer = setTimeout(done, 60_000);
  try {
    await client.start();
    await finished;
  } finally {
    clearTimeout(timer);
    await client.close();
  }
  if (aus.length < frames || !params) throw new Error(`captured ${aus.length}/${frames} frames of ${cameraId}`);
  const p0 = aus[0]!.pts;
  for (const au of aus) au.pts -= p0;
  const footage: Footage = { codec: aus[0]!.codec, params, aus, width: opts.width, height: opts.height, stamps: null, stampId: null, loopFrames: opts.loopFrames };
  // The first picture's stamp, read from decoded pixels; the rest follow from pts (one frame per 3600 ticks).
  const first = await decodeFirstStamp(footage);
  footage.stampId = first.id;
  footage.stamps = aus.map((au) => (first.frame + Math.round(au.pts / FRAME_TICKS)) % opts.loopFrames);
  return footage;
}

async function decodeFirstStamp(f: Footage): Promise<{ id: number; frame: number }> {
  const muxer = new Fmp4Muxer({ mode: 'gop' });
  const init = muxer.init(f.params);
  const frag = muxer.fragment([f.aus[0]!], { lastDuration: FRAME_TICKS });
  const gray = await grayFrames(Buffer.concat([init, frag]), f.width, f.height);
  const s = gray[0] ? decodeStamp({ width: f.width, height: f.height, data: gray[0] }) : null;
  if (!s) throw new Error('no stamp in the first captured frame');
  return s;
}

/** Decodes an MP4 (bytes) to 8-bit gray frames, every frame as it is (no dup/drop). */
export async function grayFrames(mp4: Buffer, width: number, height: number, extra: string[] = []): Promise<Buffer[]> {
  const dir = await tmpDir();
  const file = path.join(dir, 'in.mp4');
  await writeFile(file, mp4);
  try {
    const { stdout } = await run('ffmpeg', ['-v', 'error', ...extra, '-i', file, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${width}x${height}`, '-'], {
      encoding: 'buffer',
      maxBuffer: 512 * 1024 * 1024,
      timeout: 60_000,
    });
    const out: Buffer[] = [];
    const size = width * height;
    for (let o = 0; o + size <= stdout.length; o += size) out.push(stdout.subarray(o, o + size));
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function tmpDir(): Promise<string> {
  const dir = path.join(os.tmpdir(), `kuzet-playback-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** `seconds` of ffmpeg's test pattern (no stamp): quick footage for route samples. GOP 1 s. */
export async function encodedFootage(opts: { codec: VideoCodec; seconds: number; width?: number; height?: number }): Promise<Footage> {
  const width = opts.width ?? 320;
  const height = opts.height ?? 180;
  const dir = await tmpDir();
  const file = path.join(dir, 'enc.mp4');
  const key = 'keyint=25:min-keyint=25:scenecut=0:bframes=0';
  const codecArgs =
    opts.codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-x264-params', key]
      : ['-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1', '-x265-params', `log-level=error:pools=1:frame-threads=1:${key}:open-gop=0`];
  try {
    await run('ffmpeg', [
      '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=25:duration=${opts.seconds}`,
      '-pix_fmt', 'yuv420p', ...codecArgs, '-threads', '1',
      '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', file,
    ], { timeout: 60_000 });
    const parsed = parseFmp4(new Uint8Array(await readFile(file)));
    if (!parsed.ok) throw new Error(parsed.error);
    const track = parsed.file.tracks[0]!;
    const aus = parsed.file.samples.map((s): AccessUnit => ({
      codec: opts.codec,
      nalus: (splitLengthPrefixed(s.data) ?? []).map((n) => new Uint8Array(n)),
      pts: Math.round(((s.dts + s.cto) * 90000) / track.timescale),
      keyframe: s.keyframe,
      receivedAt: 0,
    }));
    const p0 = aus[0]!.pts;
    for (const au of aus) au.pts -= p0;
    return { codec: opts.codec, params: track.parameterSets, aus, width, height, stamps: null, stampId: null, loopFrames: null };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface WrittenRecording {
  id: number;
  path: string;
  abs: string;
  startMs: number;
  endMs: number;
  bytes: number;
  keyframes: [number, number][];
  /** Wall time (ms) and stamp of each frame in the file. */
  frames: { wallMs: number; stamp: number | null }[];
}

/**
 * Writes frames [first, first + count) of the footage as one recorded file starting at
 * wall time `startMs` (first must be a keyframe), and its index row.
 */
export async function writeRecording(opts: {
  db: Database;
  root: string;
  complexId: string;
  cameraId: string;
  footage: Footage;
  startMs: number;
  first: number;
  count: number;
  state?: 'open' | 'closed' | 'recovered';
}): Promise<WrittenRecording> {
  const { footage: f } = opts;
  const aus = f.aus.slice(opts.first, opts.first + opts.count);
  if (!aus[0]?.keyframe) throw new Error(`frame ${opts.first} is not a keyframe`);
  const base = aus[0].pts;
  const muxer = new Fmp4Muxer({ mode: 'gop', maxFragmentDuration: 90000 });
  const init = muxer.init(f.params);
  const parts: Buffer[] = [Buffer.from(init)];
  const keyframes: [number, number][] = [];
  let offset = init.length;
  let lastEnd = 0;
  const take = (frag: Uint8Array | null) => {
    if (!frag || !frag.length) return;
    const b = Buffer.from(frag);
    const m = inspectMoof(b)!;
    if (m.keyframe) keyframes.push([Math.round(m.baseDecodeTime / 90), offset]);
    lastEnd = m.baseDecodeTime + m.duration;
    parts.push(b);
    offset += b.length;
  };
  for (const au of aus) take(muxer.push({ ...au, pts: au.pts - base }));
  const next = f.aus[opts.first + opts.count];
  take(muxer.flush(next ? { nextPts: next.pts - base } : { lastDuration: FRAME_TICKS }));
  const data = Buffer.concat(parts);
  const rel = `${opts.cameraId}/${almatyDate(new Date(opts.startMs))}/${opts.startMs}.mp4`;
  const abs = path.join(opts.root, ...rel.split('/'));
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, data);
  const endMs = opts.startMs + Math.round(lastEnd / 90);
  const row = await opts.db
    .insertInto('recordingSegments')
    .values({
      complexId: opts.complexId,
      cameraId: opts.cameraId,
      path: rel,
      startAt: new Date(opts.startMs),
      endAt: new Date(endMs),
      bytes: data.length,
      codec: muxer.info?.codecString ?? f.codec,
      width: f.width,
      height: f.height,
      keyframes: JSON.stringify(keyframes),
      state: opts.state ?? 'closed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: Number(row.id),
    path: rel,
    abs,
    startMs: opts.startMs,
    endMs,
    bytes: data.length,
    keyframes,
    frames: aus.map((au, i) => ({ wallMs: opts.startMs + (au.pts - base) / 90, stamp: f.stamps ? f.stamps[opts.first + i]! : null })),
  };
}

/** Index of the first keyframe at or after frame i. */
export function keyframeAtOrAfter(f: Footage, i: number): number {
  for (let k = i; k < f.aus.length; k++) if (f.aus[k]!.keyframe) return k;
  throw new Error(`no keyframe at or after ${i}`);
}

export async function recordingEvent(db: Database, row: { complexId: string; cameraId: string; at: Date; kind: 'started' | 'stopped'; reason?: string | null }): Promise<void> {
  await db.insertInto('recordingEvents').values({ ...row, reason: row.reason ?? null }).execute();
}

export async function statusEvent(db: Database, row: { complexId: string; cameraId: string; at: Date; state: string; reason?: string | null }): Promise<void> {
  await db.insertInto('cameraStatusEvents').values({ ...row, stream: 'main', reason: row.reason ?? null }).execute();
}
