import crypto from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ClipJob } from '@kuzet/contracts';
import { almatyOffsetMinutes } from '../../lib/almaty-time.ts';
import { pump, spawnFfmpeg } from './ffmpeg-child.ts';
import { closePlan, codecFamily, planBytes, type MediaPlan } from './media-plan.ts';

/** Clips (and their jobs) are deleted this long after they are made. */
export const CLIP_TTL_MS = 60 * 60_000;

export interface ClipRecord {
  job: ClipJob;
  ownerId: string;
  complexId: string;
  createdAt: number;
  /** The finished file, under the clips dir. */
  file: string | null;
  /** Wall time of the clip's first frame (the keyframe at or before the requested start). */
  firstMs: number | null;
}

/** `yard-1_2026-11-30_14-05-00.mp4`: the camera's name and the Almaty time of the first frame. */
export function clipFileName(cameraName: string, firstMs: number): string {
  const slug =
    cameraName
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'camera';
  const d = new Date(firstMs);
  const local = new Date(d.getTime() + almatyOffsetMinutes(d) * 60_000).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ in Almaty wall time
  return `${slug}_${local.slice(0, 10)}_${local.slice(11, 19).replaceAll(':', '-')}.mp4`;
}

/**
 * Clip jobs: the footage of [start, end) as an ordinary MP4 (ffmpeg -c copy from the
 * concatenated recorded fragments, +faststart so players see the whole duration and can
 * seek at once), made in the background one at a time, kept for an hour under
 * <data>/clips. Jobs live in memory: after a restart their files are swept.
 */
export class ClipJobs {
  private readonly jobs = new Map<string, ClipRecord>();
  private queue: Promise<void> = Promise.resolve();
  private sweeper: NodeJS.Timeout | null = null;
  private readonly running = new Set<{ kill(): void }>();

  constructor(
    readonly dir: string,
    private readonly log: { warn(o: object, m: string): void },
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => void this.sweep(), 5 * 60_000);
    this.sweeper.unref();
    void this.sweep();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const r of this.running) r.kill();
  }

  get(id: string): ClipRecord | undefined {
    return this.jobs.get(id);
  }

  /**
   * Queues a clip of the plans' footage (consecutive runs of files, gaps between them kept
   * as gaps in time). `plans` is called when the job runs, so files deleted meanwhile are skipped.
   */
  create(input: { cameraId: string; complexId: string; ownerId: string; cameraName: string; startMs: number; endMs: number; totalBytes: number; plans: () => Promise<MediaPlan[]> }): ClipJob {
    const id = crypto.randomUUID();
    const rec: ClipRecord = {
      job: { id, cameraId: input.cameraId, start: new Date(input.startMs).toISOString(), end: new Date(input.endMs).toISOString(), state: 'queued', progress: 0, fileName: null, bytes: null, error: null },
      ownerId: input.ownerId,
      complexId: input.complexId,
      createdAt: this.now(),
      file: null,
      firstMs: null,
    };
    this.jobs.set(id, rec);
    this.queue = this.queue.then(() => this.run(rec, input)).catch(() => undefined);
    return { ...rec.job };
  }

  /** Resolves once the job is done or failed (tests, and the route samples). */
  async settled(id: string): Promise<ClipJob | undefined> {
    await this.queue;
    const r = this.jobs.get(id);
    return r ? { ...r.job } : undefined;
  }

  private async run(rec: ClipRecord, input: Parameters<ClipJobs['create']>[0]): Promise<void> {
    rec.job.state = 'running';
    let plans: MediaPlan[] = [];
    try {
      await mkdir(this.dir, { recursive: true });
      plans = await input.plans();
      const first = plans[0];
      if (!first) throw new Error('The footage of this range is no longer on the disk (deleted by retention).');
      const firstMs = first.startMs;
      rec.firstMs = firstMs;
      const fileName = clipFileName(input.cameraName, firstMs);
      const tmp = path.join(this.dir, `${rec.job.id}.part.mp4`);
      const final = path.join(this.dir, `${rec.job.id}.mp4`);
      const durationS = Math.max(0.04, (input.endMs - firstMs) / 1000);
      const h265 = codecFamily(first.codec) === 'h265';
      const child = spawnFfmpeg([
        '-f', 'mp4', '-i', 'pipe:0',
        '-map', '0:v:0', '-c', 'copy', ...(h265 ? ['-tag:v', 'hvc1'] : []),
        '-t', durationS.toFixed(3),
        '-metadata', `creation_time=${new Date(firstMs).toISOString()}`,
        '-metadata', `title=${input.cameraName}`,
        '-movflags', '+faststart', '-f', 'mp4', '-y', tmp,
      ]);
      const handle = { kill: () => child.kill('SIGKILL') };
      this.running.add(handle);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      const closed = new Promise<number | null>((resolve) => {
        child.once('close', (code) => resolve(code));
        child.once('error', () => resolve(-1));
      });
      let fed = 0;
      const total = Math.max(1, input.totalBytes);
      const origin = firstMs - 1000; // tfdt ≥ 0 for every plan (later plans start later)
      const bytes = (async function* () {
        const state = { lastInit: null as Buffer | null };
        for (const p of plans) yield* planBytes(p, origin, undefined, state);
      })();
      await pump(bytes, child, (n) => {
        fed += n;
        rec.job.progress = Math.min(0.95, (fed / total) * 0.95);
      });
      const code = await closed;
      this.running.delete(handle);
      if (code !== 0) throw new Error(`ffmpeg could not write the clip: ${stderr.trim().split('\n').pop() ?? code}`);
      await rename(tmp, final);
      rec.file = final;
      rec.job.bytes = (await stat(final)).size;
      rec.job.fileName = fileName;
      rec.job.progress = 1;
      rec.job.state = 'done';
    } catch (err) {
      rec.job.state = 'failed';
      rec.job.error = err instanceof Error ? err.message : String(err);
      this.log.warn({ err, clipId: rec.job.id }, 'clip failed');
      await rm(path.join(this.dir, `${rec.job.id}.part.mp4`), { force: true }).catch(() => undefined);
    } finally {
      await Promise.all(plans.map((p) => closePlan(p)));
    }
  }

  /** Deletes jobs and files older than CLIP_TTL_MS (and files of jobs this process no longer knows). */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const [id, r] of this.jobs) {
      if (now - r.createdAt > CLIP_TTL_MS && r.job.state !== 'running' && r.job.state !== 'queued') {
        this.jobs.delete(id);
        if (r.file) await rm(r.file, { force: true }).catch(() => undefined);
      }
    }
    let names: string[] = [];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const id = name.split('.')[0] ?? '';
      if (this.jobs.has(id)) continue;
      const p = path.join(this.dir, name);
      const st = await stat(p).catch(() => null);
      if (st && Date.now() - st.mtimeMs > CLIP_TTL_MS) await rm(p, { force: true }).catch(() => undefined);
    }
  }
}
