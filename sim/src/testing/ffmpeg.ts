/** Test helpers around ffmpeg as a client/decoder, and a check that no child outlived a test. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeStamp, type StampValue } from '../stamp.ts';

export interface DecodeResult {
  code: number | null;
  frames: Buffer[];
  stderr: string;
  /** Date.now() when the last output bytes arrived (≈ when the last frame was decoded) */
  lastDataAt: number;
}

/**
 * Decodes `frames` frames of `input` (a file or an RTSP URL) to 8-bit gray. Passthrough
 * frame timing, so ffmpeg neither duplicates nor drops frames on its own.
 */
export function decodeGray(
  input: string,
  opts: { width: number; height: number; frames: number; transport?: 'tcp' | 'udp'; timeoutMs?: number },
): Promise<DecodeResult> {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  if (opts.transport) args.push('-rtsp_transport', opts.transport);
  args.push(
    '-i',
    input,
    '-frames:v',
    String(opts.frames),
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    '-',
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.KUZET_FFMPEG || 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    let lastDataAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      lastDataAt = Date.now();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const size = opts.width * opts.height;
      const frames: Buffer[] = [];
      for (let o = 0; o + size <= all.length; o += size) frames.push(all.subarray(o, o + size));
      resolve({ code, frames, stderr, lastDataAt });
    });
  });
}

export function stampsOf(frames: Buffer[], width: number, height: number): Array<StampValue | null> {
  return frames.map((data) => decodeStamp({ width, height, data }));
}

/** Frame numbers must step by one (mod the loop) with the expected id on every frame. */
export function stampProblems(stamps: Array<StampValue | null>, id: number, loopFrames: number): string[] {
  const problems: string[] = [];
  stamps.forEach((s, i) => {
    if (!s) problems.push(`frame ${i}: no stamp`);
    else if (s.id !== id) problems.push(`frame ${i}: id ${s.id} != ${id}`);
    const prev = stamps[i - 1];
    if (i > 0 && s && prev && s.frame !== (prev.frame + 1) % loopFrames)
      problems.push(`frame ${i}: ${prev.frame} → ${s.frame}`);
  });
  return problems;
}

/** Pids of live child processes of this process with the given command name. */
export function childProcesses(name = 'ffmpeg'): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      if (comm === name && Number(fields[1]) === process.pid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}
