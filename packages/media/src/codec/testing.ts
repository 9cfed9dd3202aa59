/**
 * Test support shared by the codec and fmp4 suites (not exported from the package):
 * encode small clips with ffmpeg into a temp dir, probe them, split them into access
 * units, and a seeded PRNG for the fuzz tests. ffmpeg is a hard requirement.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AccessUnit, VideoCodec } from '../types.ts';
import { isAudNal, isKeyframe, splitAnnexB } from './nal.ts';

const run = promisify(execFile);

export function requireFfmpeg(): void {
  for (const bin of ['ffmpeg', 'ffprobe']) {
    const r = spawnSync(bin, ['-version'], { stdio: 'ignore' });
    if (r.error || r.status !== 0) throw new Error(`${bin} not found: install ffmpeg: apt-get install -y ffmpeg`);
  }
}

export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `kuzet-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface EncodeOptions {
  codec: VideoCodec;
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** -profile:v for x264 (baseline/main/high…) or x265 (main/main10…). */
  profile?: string;
  pixFmt?: string;
  preset?: string;
  /** Extra -x264-params / -x265-params, colon separated. */
  params?: string;
  extraArgs?: string[];
}

/**
 * Encodes testsrc2 clips to raw Annex B elementary streams, all in one ffmpeg process (one
 * input and one output per clip): starting ffmpeg costs more than encoding a few small
 * frames, and test machines are small and shared. Returns the streams' bytes, in order.
 */
export async function encodeMany(dir: string, clips: { name: string; opts: EncodeOptions }[]): Promise<Uint8Array[]> {
  const args = ['-v', 'error', '-y'];
  // A bounded source: with several endless inputs, ffmpeg 5.1 can keep reading after every
  // output has its -frames and never exit.
  for (const { opts: o } of clips) {
    args.push(
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}:duration=${(o.frames + 1) / o.fps}`,
    );
  }
  clips.forEach(({ name, opts: o }, i) => {
    const h264 = o.codec === 'h264';
    args.push(
      '-map',
      `${i}:v`,
      '-frames:v',
      String(o.frames),
      '-c:v',
      h264 ? 'libx264' : 'libx265',
      '-preset',
      o.preset ?? 'veryfast',
    );
    if (o.profile) args.push('-profile:v', o.profile);
    if (o.pixFmt) args.push('-pix_fmt', o.pixFmt);
    // One thread per encoder: many encoders run side by side on a small machine.
    if (h264) args.push('-threads', '1');
    const params = h264 ? o.params : ['log-level=error:pools=1:frame-threads=1', o.params].filter(Boolean).join(':');
    if (params) args.push(h264 ? '-x264-params' : '-x265-params', params);
    args.push(...(o.extraArgs ?? []));
    args.push('-bsf:v', h264 ? 'h264_mp4toannexb' : 'hevc_mp4toannexb', '-f', h264 ? 'h264' : 'hevc', join(dir, name));
  });
  await run('ffmpeg', args, { maxBuffer: 16 * 1024 * 1024, timeout: 20_000 });
  return clips.map(({ name }) => new Uint8Array(readFileSync(join(dir, name))));
}

export async function encode(dir: string, name: string, opts: EncodeOptions): Promise<Uint8Array> {
  return (await encodeMany(dir, [{ name, opts }]))[0] as Uint8Array;
}

/**
 * Groups an Annex B stream into access units, starting a new one at each AUD (the
 * encoders are asked for aud=1). pts advances by `frameDuration` per access unit.
 */
export function splitAccessUnits(codec: VideoCodec, stream: Uint8Array, frameDuration: number): AccessUnit[] {
  const aus: AccessUnit[] = [];
  let cur: Uint8Array[] = [];
  const flush = (): void => {
    if (cur.length === 0) return;
    const pts = aus.length * frameDuration;
    aus.push({ codec, nalus: cur, pts, keyframe: isKeyframe(codec, cur), receivedAt: 0 });
    cur = [];
  };
  for (const nal of splitAnnexB(stream)) {
    if (isAudNal(codec, nal)) flush();
    cur.push(nal);
  }
  flush();
  return aus;
}

export async function ffprobe(
  file: string,
): Promise<{ streams: Record<string, unknown>[]; frames: Record<string, unknown>[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_frames', '-of', 'json', file], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 20_000,
  });
  const j = JSON.parse(stdout) as { streams?: Record<string, unknown>[]; frames?: Record<string, unknown>[] };
  return { streams: j.streams ?? [], frames: j.frames ?? [] };
}

/** ffprobe -count_frames: how many frames it decoded, and their pts in output order. */
export async function countFrames(file: string): Promise<{ count: number; pts: number[] }> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames:frame=pts', '-of', 'json', file],
    { maxBuffer: 16 * 1024 * 1024, timeout: 30_000 },
  );
  const j = JSON.parse(stdout) as { streams?: { nb_read_frames?: string }[]; frames?: { pts?: number }[] };
  return { count: Number(j.streams?.[0]?.nb_read_frames ?? 0), pts: (j.frames ?? []).map((f) => f.pts ?? NaN) };
}

/** Decodes the whole file; returns ffmpeg's stderr (empty when it decoded cleanly). */
export async function decodeErrors(file: string): Promise<string> {
  try {
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { timeout: 20_000 });
    return stderr;
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

/** mulberry32: small, fast, seeded — fuzz failures are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
  return b;
}
