import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_PIXELS } from './analysis.ts';
import { decoderArgs, ffmpegPath, KeyframePool } from './decoder.ts';

/**
 * The keyframe pool against real ffmpeg: every answer is the picture of its own request
 * (compared with a one-shot decode of each keyframe), in any order, from several cameras'
 * worth of different keyframes; a garbage keyframe, a killed process and a hung one cost
 * only their own request.
 */

/** Splits Annex B into access units at each AUD (x264 with aud=1 writes one before every picture). */
function accessUnits(stream: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let i = 0; i + 4 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1 && (stream[i + 3]! & 0x1f) === 9) starts.push(i > 0 && stream[i - 1] === 0 ? i - 1 : i);
  }
  return starts.map((s, k) => stream.subarray(s, starts[k + 1] ?? stream.length));
}

const isKey = (au: Buffer) => {
  for (let i = 0; i + 3 < au.length; i++) if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1 && (au[i + 3]! & 0x1f) === 5) return true;
  return false;
};

function encode(src: string): Buffer[] {
  const out = execFileSync(ffmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', src, '-frames:v', '40',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-x264-params', 'aud=1:repeat-headers=1:keyint=5:min-keyint=5:scenecut=0', '-bf', '0', '-f', 'h264', 'pipe:1',
  ], { maxBuffer: 64 << 20 });
  return accessUnits(out).filter(isKey);
}

function decodeOnce(au: Buffer): Buffer {
  return execFileSync(ffmpegPath(), decoderArgs('h264', { keyframesOnly: true }), { input: au, maxBuffer: 8 << 20 });
}

describe('keyframe decoder pool', { timeout: 120_000 }, () => {
  let keys: Buffer[] = [];
  let refs: Buffer[] = [];
  let pool: KeyframePool;
  const restarts: string[] = [];

  beforeAll(() => {
    keys = [...encode('testsrc2=size=640x360:rate=25'), ...encode('mandelbrot=size=480x360:rate=25')];
    refs = keys.map(decodeOnce);
    pool = new KeyframePool({ size: 1, timeoutMs: 1500, onRestart: (why) => restarts.push(why) });
  });
  afterAll(() => pool?.close());

  it('answers each keyframe with its own picture, in any order, across stream sizes', async () => {
    expect(keys.length).toBe(16);
    for (const r of refs) expect(r.length).toBe(FRAME_PIXELS);
    // References differ from each other (otherwise the check below proves nothing).
    expect(refs[0]!.equals(refs[1]!)).toBe(false);
    const order = [3, 0, 12, 7, 15, 1, 9, 2, 14, 4, 11, 5, 13, 6, 10, 8, 3, 3, 12];
    const answers = await Promise.all(order.map((i) => pool.decode('h264', keys[i]!)));
    answers.forEach((a, k) => expect(Buffer.from(a!).equals(refs[order[k]!]!), `request ${k} (keyframe ${order[k]})`).toBe(true));
  });

  it('survives garbage keyframes, a killed process and a hung one', async () => {
    // Garbage that passes the IDR check, a keyframe cut in half, and bytes with no picture at all.
    const garbage = Buffer.concat([Buffer.from([0, 0, 0, 1, 0x65, 0x88]), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251))]);
    const truncated = keys[4]!.subarray(0, keys[4]!.length >> 1);
    const noise = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 104729) % 256));
    const sent = [keys[2]!, garbage, keys[9]!, truncated, noise, keys[11]!, garbage, keys[0]!];
    const results = await Promise.all(sent.map((d) => pool.decode('h264', d)));
    expect(results[4]).toBeNull();
    // A broken keyframe can cost its neighbours their picture (null), or — a keyframe cut in half
    // that still decodes — at most shift one picture: the pool only triggers a full-rate look.
    let wrong = 0;
    for (const [k, i] of [[0, 2], [2, 9], [5, 11], [7, 0]] as const) if (results[k] !== null && !Buffer.from(results[k]!).equals(refs[i]!)) wrong++;
    expect(wrong).toBeLessThanOrEqual(1);
    // And it is back in step at once.
    for (const i of [1, 8, 14]) expect(Buffer.from((await pool.decode('h264', keys[i]!))!).equals(refs[i]!)).toBe(true);
    expect(Buffer.from((await pool.decode('h264', keys[13]!))!).equals(refs[13]!)).toBe(true);
    // Kill the process under the pool: the next request is answered by a new one.
    for (const pid of pool.pids()) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const after = await pool.decode('h264', keys[5]!);
    expect(Buffer.from(after!).equals(refs[5]!)).toBe(true);
    // A process that stops answering (SIGSTOP) is replaced after the timeout; its request gets null.
    const [pid] = pool.pids();
    const hung = pool.decode('h264', keys[6]!);
    process.kill(pid!, 'SIGSTOP');
    expect(await hung).toBeNull();
    try {
      process.kill(pid!, 'SIGKILL');
    } catch {
      // killed by the pool already
    }
    expect(restarts).toContain('timeout');
    const last = await pool.decode('h264', keys[7]!);
    expect(Buffer.from(last!).equals(refs[7]!)).toBe(true);
  });
});
