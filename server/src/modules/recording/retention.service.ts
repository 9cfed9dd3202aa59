import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import { floorBytesOf, floorMarginOf, measureDisk, statfsDisk, type FreeFloor, type StatfsFn } from './disk.ts';
import type { RecordingEvents } from './recording-events.ts';
import { RetentionGate } from './retention-gate.ts';
import type { DeletableSegment, RetentionRepository } from './retention.repository.ts';

export interface RetentionOptions {
  /** The recordings root (config.recordings.dir). */
  root: string;
  quotaBytes: number | null;
  freeFloor: FreeFloor;
  /** Injected by tests to simulate a full disk. */
  statfs?: StatfsFn;
  /** A full run every this many ms (default a minute). */
  intervalMs?: number;
  /** A cheap free-space check (one statfs) every this many ms; below the floor it starts a run (default 10 s). */
  floorCheckMs?: number;
  /** Rows per batch: between batches the main thread is free for other work. */
  batchSize?: number;
}

export type RetentionReason = 'age' | 'quota' | 'floor';

export interface RetentionReport {
  trigger: string;
  deleted: Record<RetentionReason, { files: number; bytes: number }>;
  /** Rows whose file could not be removed (kept, tried again next run). */
  failed: number;
  /** Free space after the run (bytes), and the floor it keeps. */
  freeBytes: number;
  floorBytes: number;
  /** The floor or the quota could not be met: everything left is being written or held. */
  short: RetentionReason | null;
  ms: number;
}

/**
 * Retention: deletes recorded files by age (per camera), by the quota and by the
 * free-space floor — oldest first across cameras, never a file being written, never one
 * under an unreleased hold. Runs on the main thread in small batches with awaits between,
 * every minute, as soon as the recorder reports a full disk, and when a cheap statfs
 * finds free space under the floor. File first, then its row; a row whose file is gone
 * is deleted too.
 */
export class RetentionService {
  private readonly statfs: StatfsFn;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | null = null;
  private floorTimer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionReport> | null = null;
  private again: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly repo: RetentionRepository,
    private readonly events: RecordingEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: RetentionOptions,
    readonly gate: RetentionGate = new RetentionGate(),
  ) {
    this.statfs = opts.statfs ?? statfsDisk;
    this.batchSize = opts.batchSize ?? 200;
  }

  start(): void {
    this.stopped = false;
    const onProblem = (p: { code: string }) => {
      if (p.code === 'disk_full') this.trigger('disk full');
    };
    this.events.on('problem', onProblem);
    this.unsubscribe = () => this.events.off('problem', onProblem);
    this.timer = setInterval(() => this.trigger('schedule'), this.opts.intervalMs ?? 60_000);
    this.timer.unref();
    this.floorTimer = setInterval(() => void this.checkFloor(), this.opts.floorCheckMs ?? 10_000);
    this.floorTimer.unref();
    this.trigger('start');
  }

  /** Stops the schedule and waits for a run under way to finish its batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    if (this.floorTimer) clearInterval(this.floorTimer);
    this.timer = this.floorTimer = null;
    this.again = null;
    await this.running?.catch(() => undefined);
  }

  /** Starts a run unless one is under way (then one more follows it). Never throws. */
  trigger(why: string): void {
    if (this.running) {
      this.again ??= why;
      return;
    }
    void this.run(why).catch((err: unknown) => this.logger.error({ err }, 'retention run failed'));
  }

  /** One run (tests await it). Runs never overlap: a second call waits for the first and runs after it. */
  async run(trigger = 'manual'): Promise<RetentionReport> {
    while (this.running) await this.running.catch(() => undefined);
    const p = this.runOnce(trigger);
    this.running = p;
    try {
      return await p;
    } finally {
      this.running = null;
      const next = this.again;
      this.again = null;
      if (next && !this.stopped) this.trigger(next);
    }
  }

  private async checkFloor(): Promise<void> {
    if (this.running) return;
    try {
      const disk = await measureDisk(this.opts.root, this.statfs);
      if (disk.freeBytes < floorBytesOf(this.opts.freeFloor, disk.totalBytes)) this.trigger('below the floor');
    } catch (err) {
      this.logger.warn({ err }, 'retention: cannot measure the recordings disk');
    }
  }

  private async runOnce(trigger: string): Promise<RetentionReport> {
    const t0 = Date.now();
    const report: RetentionReport = {
      trigger,
      deleted: { age: { files: 0, bytes: 0 }, quota: { files: 0, bytes: 0 }, floor: { files: 0, bytes: 0 } },
      failed: 0,
      freeBytes: 0,
      floorBytes: 0,
      short: null,
      ms: 0,
    };
    const failedIds = new Set<number>();

    // 1. Age, per camera.
    for (;;) {
      if (this.stopped) break;
      const batch = (await this.repo.expiredByAge(this.clock.now(), this.batchSize)).filter((s) => !failedIds.has(s.id));
      if (!batch.length) break;
      await this.deleteBatch(batch, 'age', report, failedIds);
    }

    // 2. The quota: the oldest across cameras until the footage fits.
    if (this.opts.quotaBytes !== null && !this.stopped) {
      let excess = (await this.repo.totalBytes()) - this.opts.quotaBytes;
      let cursor: { startAt: Date; id: number } | null = null;
      while (excess > 0 && !this.stopped) {
        const batch = await this.repo.oldest(cursor, this.batchSize);
        if (!batch.length) {
          report.short = 'quota';
          break;
        }
        const take = takeUntil(batch, excess);
        const last = take[take.length - 1]!;
        cursor = { startAt: last.startAt, id: last.id };
        excess -= await this.deleteBatch(take, 'quota', report, failedIds);
      }
    }

    // 3. The free-space floor: the oldest across cameras until free space is above the floor plus a margin.
    let disk = await measureDisk(this.opts.root, this.statfs);
    const floor = floorBytesOf(this.opts.freeFloor, disk.totalBytes);
    if (disk.freeBytes < floor && !this.stopped) {
      const target = floor + floorMarginOf(disk.totalBytes);
      let cursor: { startAt: Date; id: number } | null = null;
      while (disk.freeBytes < target && !this.stopped) {
        const batch = await this.repo.oldest(cursor, this.batchSize);
        if (!batch.length) {
          report.short = 'floor';
          break;
        }
        // The index's byte counts tell how much to take; statfs after each batch says what it really freed.
        const take = takeUntil(batch, target - disk.freeBytes);
        const last = take[take.length - 1]!;
        cursor = { startAt: last.startAt, id: last.id };
        await this.deleteBatch(take, 'floor', report, failedIds);
        disk = await measureDisk(this.opts.root, this.statfs);
      }
    }
    report.freeBytes = disk.freeBytes;
    report.floorBytes = floor;
    report.ms = Date.now() - t0;
    this.log(report);
    return report;
  }

  /** Removes the files, then their rows, in one batch under the gate; returns the bytes the index counted. */
  private async deleteBatch(batch: DeletableSegment[], reason: RetentionReason, report: RetentionReport, failedIds: Set<number>): Promise<number> {
    return this.gate.run(async () => {
      const done: number[] = [];
      let bytes = 0;
      const dirs = new Set<string>();
      for (const s of batch) {
        const file = this.resolve(s.path);
        if (!file) {
          // A path outside the recordings root is never followed; the row is dropped.
          this.logger.warn({ path: s.path, segmentId: s.id }, 'retention: a segment path outside the recordings dir; row dropped');
          done.push(s.id);
          continue;
        }
        try {
          await fs.rm(file, { force: true }); // force: a file already gone is not an error
          done.push(s.id);
          bytes += s.bytes;
          dirs.add(path.dirname(file));
        } catch (err) {
          failedIds.add(s.id);
          report.failed++;
          this.logger.warn({ err, path: s.path }, 'retention: cannot delete a recorded file; kept for the next run');
        }
      }
      await this.repo.deleteRows(done);
      report.deleted[reason].files += done.length;
      report.deleted[reason].bytes += bytes;
      await this.pruneDirs(dirs);
      // Let the rest of the main thread breathe between batches.
      await new Promise((r) => setImmediate(r));
      return bytes;
    });
  }

  /** Empty day folders of past days go (today's and yesterday's stay: the recorder may be about to write there). */
  private async pruneDirs(dirs: Set<string>): Promise<void> {
    const recent = new Set([almatyDay(this.clock.now().getTime()), almatyDay(this.clock.now().getTime() - 86_400_000)]);
    for (const dir of dirs) {
      if (recent.has(path.basename(dir))) continue;
      try {
        await fs.rmdir(dir);
      } catch {
        // not empty, or already gone
      }
    }
  }

  private resolve(rel: string): string | null {
    const root = path.resolve(this.opts.root);
    const abs = path.resolve(root, rel);
    return abs.startsWith(root + path.sep) ? abs : null;
  }

  private log(r: RetentionReport): void {
    const parts = (['age', 'quota', 'floor'] as const)
      .filter((k) => r.deleted[k].files > 0)
      .map((k) => `${r.deleted[k].files} files (${mb(r.deleted[k].bytes)}) by ${k === 'age' ? 'age' : k === 'quota' ? 'the quota' : 'the free-space floor'}`);
    const summary = {
      module: 'retention',
      trigger: r.trigger,
      deleted: r.deleted,
      failed: r.failed,
      freeBytes: r.freeBytes,
      floorBytes: r.floorBytes,
      ms: r.ms,
    };
    const shortText = r.short === 'floor'
      ? `; free space is still under the floor (${mb(r.freeBytes)} free, floor ${mb(r.floorBytes)}): everything left is being written or held`
      : r.short === 'quota'
        ? '; footage is still over the quota: everything left is being written or held'
        : '';
    if (parts.length || r.failed || r.short) {
      const msg = `retention (${r.trigger}): ${parts.length ? `deleted ${parts.join(', ')}` : 'deleted nothing'}${r.failed ? `, ${r.failed} files could not be deleted` : ''}; ${mb(r.freeBytes)} free${shortText}`;
      if (r.short || r.failed) this.logger.warn(summary, msg);
      else this.logger.info(summary, msg);
    } else {
      this.logger.debug(summary, `retention (${r.trigger}): nothing to delete; ${mb(r.freeBytes)} free`);
    }
  }
}

/** The first files of a batch whose bytes reach `need` (at least one). */
function takeUntil(batch: DeletableSegment[], need: number): DeletableSegment[] {
  const out: DeletableSegment[] = [];
  let sum = 0;
  for (const s of batch) {
    out.push(s);
    sum += s.bytes;
    if (sum >= need) break;
  }
  return out;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of an instant in Almaty (the day folders of decision 0005). */
export function almatyDay(ms: number): string {
  return dayFormat.format(new Date(ms));
}
