import { decodeStamp, type StampValue } from '@kuzet/sim';
import { run } from './media-helpers.ts';

/**
 * The simulator's frame stamp of every frame of a recorded file, read from decoded pixels
 * (null for a frame whose stamp does not read). Only the top strip where the stamp is
 * drawn is decoded out (ffmpeg crops it), then laid into a frame of the full size for
 * decodeStamp. `width`×`height`: the recorded picture's size.
 */
export async function recordedStamps(file: string, width: number, height: number): Promise<(StampValue | null)[]> {
  const strip = Math.min(height, Math.ceil(height / 10 / 2) * 2);
  const r = await run('ffmpeg', ['-v', 'error', '-i', file, '-vf', `crop=${width}:${strip}:0:0`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
  if (r.code !== 0) throw new Error(`ffmpeg could not decode ${file}: ${r.stderr}`);
  const size = width * strip;
  if (r.stdout.length % size !== 0) throw new Error(`ffmpeg gave ${r.stdout.length} bytes for ${file}, not whole ${width}x${strip} frames`);
  const frame = new Uint8Array(width * height);
  const out: (StampValue | null)[] = [];
  for (let o = 0; o < r.stdout.length; o += size) {
    frame.set(r.stdout.subarray(o, o + size));
    out.push(decodeStamp({ width, height, data: frame }));
  }
  return out;
}

/**
 * Frames missing (or repeated) in a run of stamps of one camera, modulo the simulator's
 * loop: 0 when every frame follows the one before it. Unreadable stamps count as lost.
 */
export function framesLost(stamps: (StampValue | null)[], loopFrames: number): { lost: number; breaks: { at: number; from: number | null; to: number | null }[] } {
  let lost = 0;
  const breaks: { at: number; from: number | null; to: number | null }[] = [];
  for (let i = 1; i < stamps.length; i++) {
    const a = stamps[i - 1];
    const b = stamps[i];
    if (!a || !b) {
      lost++;
      breaks.push({ at: i, from: a?.frame ?? null, to: b?.frame ?? null });
      continue;
    }
    const step = (b.frame - a.frame + loopFrames) % loopFrames;
    if (step !== 1) {
      lost += step === 0 ? 1 : step - 1;
      breaks.push({ at: i, from: a.frame, to: b.frame });
    }
  }
  return { lost, breaks };
}
