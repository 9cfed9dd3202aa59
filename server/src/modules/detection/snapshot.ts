import { spawn } from 'node:child_process';
import type { VideoCodec } from '@kuzet/media';
import { ffmpegPath } from './decoder.ts';

/**
 * The JPEG of one picture of a camera's sub stream: the access units from the last keyframe
 * (parameter sets in front) up to and including the picture, decoded by one short ffmpeg run
 * that keeps the last picture. Null when it fails or takes longer than timeoutMs.
 */
export function snapshotJpeg(codec: VideoCodec, aus: readonly Uint8Array[], timeoutMs = 3000, onPid?: (pid: number | undefined, running: boolean) => void): Promise<Uint8Array | null> {
  const last = aus.length - 1;
  if (last < 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath(), [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-threads', '1',
      '-f', codec === 'h265' ? 'hevc' : 'h264', '-i', 'pipe:0',
      '-an', '-vf', `select=eq(n\\,${last})`, '-frames:v', '1',
      '-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2pipe', 'pipe:1',
    ], { stdio: ['pipe', 'pipe', 'ignore'] });
    onPid?.(child.pid, true);
    const out: Buffer[] = [];
    let done = false;
    const finish = (v: Uint8Array | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      onPid?.(child.pid, false);
      resolve(v);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null);
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.once('error', () => finish(null));
    child.once('close', () => {
      const jpeg = Buffer.concat(out);
      finish(jpeg.length > 4 && jpeg[0] === 0xff && jpeg[1] === 0xd8 ? new Uint8Array(jpeg) : null);
    });
    child.stdin.on('error', () => undefined);
    for (const au of aus) child.stdin.write(au);
    child.stdin.end();
  });
}
