import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { commandFor, processFfmpegNow } from '@kuzet/ffmpeg';
import { BoxSplitter, inspectMoof, setTfdt } from './fmp4-boxes.ts';

/** The server's ffmpeg (probed at start), else the one on PATH. */
export function ffmpegCommand(): { path: string; fpsMode: boolean } {
  const info = processFfmpegNow();
  return { path: info?.path ?? commandFor('ffmpeg'), fpsMode: info?.fpsMode ?? true };
}

export function spawnFfmpeg(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(ffmpegCommand().path, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => undefined); // ffmpeg exiting early closes the pipe
  return child;
}

/** Writes every chunk to the child's stdin with backpressure, then ends it; stops quietly when the child goes. */
export async function pump(input: AsyncIterable<Buffer>, child: ChildProcessWithoutNullStreams, onBytes?: (n: number) => void): Promise<void> {
  const stdin = child.stdin;
  try {
    for await (const chunk of input) {
      if (stdin.destroyed || child.exitCode !== null || child.signalCode !== null) break;
      onBytes?.(chunk.length);
      if (!stdin.write(chunk)) {
        const closed = once(child, 'close').then(() => 'closed');
        // once() rejects when stdin errors (EPIPE: ffmpeg exited early, e.g. after its one frame);
        // unhandled, that rejection took the whole server down.
        const drained = once(stdin, 'drain').then(
          () => 'drain',
          () => 'closed',
        );
        if ((await Promise.race([drained, closed])) === 'closed') break;
      }
    }
  } finally {
    stdin.end();
  }
}

/**
 * H.265 footage for a browser: the re-timed fMP4 into one ffmpeg (H.264, no B-frames,
 * ~1 s fragments, 90 kHz), its fMP4 out with each tfdt moved back onto the request's
 * timeline (output frame 0 is the input's first picture). The only re-encoding playback
 * does. `stop()` kills ffmpeg (the client went away); it is also killed when the output
 * stream is destroyed.
 */
export function transcodeToH264(input: AsyncIterable<Buffer>, log: { warn(o: object, m: string): void }): { stream: Readable; stop(): void } {
  const { fpsMode } = ffmpegCommand();
  const child = spawnFfmpeg([
    '-f', 'mp4', '-i', 'pipe:0',
    '-an', fpsMode ? '-fps_mode' : '-vsync', 'passthrough',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
    '-bf', '0', '-g', '25', '-threads', '2',
    '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1000000', '-video_track_timescale', '90000',
    'pipe:1',
  ]);
  const out = new PassThrough();
  let inputFirstPts: number | null = null;
  let offset: number | null = null;
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const watched = (async function* () {
    for await (const chunk of input) {
      if (inputFirstPts === null && chunk.toString('latin1', 4, 8) === 'moof') {
        const m = inspectMoof(chunk);
        if (m) inputFirstPts = m.baseDecodeTime + m.firstCto;
      }
      yield chunk;
    }
  })();
  pump(watched, child).catch((err: unknown) => log.warn({ err }, 'playback transcode: input failed'));
  const splitter = new BoxSplitter();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  child.stdout.on('data', (d: Buffer) => {
    let boxes;
    try {
      boxes = splitter.push(d);
    } catch (err) {
      log.warn({ err }, 'playback transcode: bad output');
      stop();
      return;
    }
    for (const b of boxes) {
      if (b.type === 'moof') {
        const m = inspectMoof(b.data);
        if (!m || m.tfdtAt === null || m.tfdtVersion !== 1) continue;
        offset ??= (inputFirstPts ?? 0) - (m.baseDecodeTime + m.firstCto);
        setTfdt(b.data, m, m.baseDecodeTime + offset);
      }
      if (!out.write(b.data)) child.stdout.pause();
    }
  });
  out.on('drain', () => child.stdout.resume());
  out.on('close', stop);
  child.on('close', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') log.warn({ code, signal, stderr: stderr.slice(-300) }, 'playback transcode: ffmpeg failed');
    out.end();
  });
  child.on('error', (err) => {
    log.warn({ err }, 'playback transcode: ffmpeg did not start');
    out.end();
  });
  return { stream: out, stop };
}
