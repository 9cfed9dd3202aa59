import { parseFmp4 } from '@kuzet/media';
import { DomainError } from '../../platform/errors.ts';
import { closePlan, planBytes, type MediaPlan } from './media-plan.ts';
import { ffmpegCommand, pump, spawnFfmpeg } from './ffmpeg-child.ts';

/** At most this many decodes at once; a few more wait; beyond that the caller is told to slow down. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly max: number,
    private readonly queue: number,
  ) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.queue) throw new DomainError('RATE_LIMITED');
      await new Promise<void>((r) => this.waiting.push(r));
    }
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * The JPEG of the picture shown at `atMs`: the GOP holding it (from its keyframe up to the
 * next one), re-timed to start at 0, decoded by ffmpeg in a child process, which keeps the
 * frame `n` pictures in (presentation order) — the one whose time span covers `atMs`.
 */
export async function snapshotJpeg(plan: MediaPlan, atMs: number, timeoutMs = 20_000): Promise<Buffer> {
  const origin = plan.startMs;
  const parts: Buffer[] = [];
  try {
    for await (const b of planBytes(plan, origin)) parts.push(b);
  } finally {
    await closePlan(plan);
  }
  const gop = Buffer.concat(parts);
  const parsed = parseFmp4(gop);
  if (!parsed.ok || !parsed.file.samples.length) throw new DomainError('RECORDING_NOT_FOUND', { at: new Date(atMs).toISOString() }, 'The footage at this time cannot be read.');
  const target = (atMs - origin) * 90;
  const pts = parsed.file.samples.map((s) => s.dts + s.cto).sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < pts.length; i++) if (pts[i]! <= target) n = i;
  const { fpsMode } = ffmpegCommand();
  const child = spawnFfmpeg([
    '-f', 'mp4', '-i', 'pipe:0',
    '-vf', `select=eq(n\\,${n})`, fpsMode ? '-fps_mode' : '-vsync', 'passthrough', '-frames:v', '1',
    '-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2pipe', 'pipe:1',
  ]);
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const closed = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  void pump((async function* () { yield gop; })(), child);
  const code = await closed;
  clearTimeout(timer);
  const jpeg = Buffer.concat(out);
  if (code !== 0 || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    throw new DomainError('RECORDING_NOT_FOUND', { at: new Date(atMs).toISOString(), decoder: stderr.slice(-200) }, 'The picture at this time could not be decoded.');
  }
  return jpeg;
}
