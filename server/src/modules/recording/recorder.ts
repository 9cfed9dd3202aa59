import { Fmp4Muxer, type AccessUnit, type VideoParameterSets } from '@kuzet/media';
import { almatyDate } from '../../lib/almaty-time.ts';
import type { AccessUnitConsumer } from '../media/au-consumer.ts';
import type { CloseReason, ProblemCode, RecorderReport, RecordSpec, RecordTrigger, StopReason } from './recorder.protocol.ts';
import { SegmentFile } from './segment-file.ts';

export interface RecorderOptions extends RecordSpec {
  /** Bytes waiting for the disk per camera before the file is ended (default 8 MB). */
  maxQueueBytes?: number;
  /** Fragment length cap (default 1 s; a keyframe always starts a fragment). */
  fragmentMs?: number;
  /** Progress reports at most this often (default 2 s). */
  progressMs?: number;
  /** First wait before a new file after a write error (default 5 s, doubling to 60 s). */
  retryMs?: number;
  now?: () => number;
}

const TIMESCALE = 90_000;
/** pts and arrival disagreeing by more than this: the file is closed and a new one anchored afresh. */
const MAX_DRIFT_MS = 2000;
/**
 * Frames arriving LATE by more than MAX_DRIFT_MS count only when every frame of a window this
 * long was late: a busy machine or a TCP backlog delays arrival for a while (then catches up),
 * a camera clock that runs slow or jumps back stays behind. Frames arriving EARLY (pts jumped
 * ahead of the wall clock) re-anchor at once — nothing on our side makes frames come early.
 */
const LATE_WINDOW_MS = 5000;

/**
 * The recorder of one camera's main stream, in its media worker: an AccessUnitConsumer
 * that writes the stream without decoding as fMP4 files (docs/decisions/0005-recording.md)
 * — Fmp4Muxer in 'gop' mode, fragments of at most ~1 s, a keyframe starting each; the
 * muxer is reset per file so tfdt starts at 0.
 *
 * Time: a run of files is anchored at the arrival time of its first keyframe and follows
 * the camera's pts from there; a rotation continues the run (file k ends exactly where
 * file k+1 starts). The run ends — a new file, anchored afresh — when pts and arrival
 * disagree by more than 2 s or pts goes backwards, and whenever the stream is reset.
 *
 * Per frame: one muxer push (which copies the sample into its store) and, per fragment,
 * one queued write. Nothing here waits for the disk or the main thread.
 */
export class Recorder implements AccessUnitConsumer {
  private readonly now: () => number;
  private readonly segmentTicks: number;
  private muxer: Fmp4Muxer | null = null;
  private init: Uint8Array | null = null;
  private meta = { codec: '', width: null as number | null, height: null as number | null };
  private file: SegmentFile | null = null;
  private fileStartPts = 0;
  /** The run's anchor: wall ms of anchorPts. */
  private run: { ms: number; pts: number } | null = null;
  private fragStart: number | null = null;
  private fragKey = false;
  private lastPts = 0;
  private lastDelta = 3600;
  /** Smallest lateness (arrival − wall from pts) seen since lateSince: see LATE_WINDOW_MS. */
  private lateMin = Infinity;
  private lateSince = 0;
  private retryAt = 0;
  private retryDelay: number;
  private problem: ProblemCode | null = null;
  private stopped = false;
  /** After pause(): the pts that continues the paused run exactly (else the next file anchors afresh). */
  private continueAt: number | null = null;
  /** Why the files opened from now on are recorded (in their 'open' report; RecordingService's 'started' reason). */
  trigger: RecordTrigger | null = null;
  /** Bytes waiting for the disk before a file is ended (per file; RecordGate raises it on motion, where the pre-roll is queued at once). */
  maxQueueBytes: number;
  private readonly closing = new Set<Promise<void>>();

  constructor(
    readonly cameraId: string,
    private readonly opts: RecorderOptions,
    private readonly report: (r: RecorderReport) => void,
  ) {
    this.now = opts.now ?? Date.now;
    this.segmentTicks = opts.segmentSeconds * TIMESCALE;
    this.retryDelay = opts.retryMs ?? 5000;
    this.maxQueueBytes = opts.maxQueueBytes ?? 8 * 1024 * 1024;
  }

  onParams(ps: VideoParameterSets): void {
    if (this.file) this.close('params');
    const muxer = new Fmp4Muxer({ mode: 'gop', maxFragmentDuration: Math.round(((this.opts.fragmentMs ?? 1000) * TIMESCALE) / 1000) });
    try {
      this.init = muxer.init(ps);
    } catch {
      this.muxer = this.init = null; // the live feed reports unusable parameter sets
      return;
    }
    this.muxer = muxer;
    this.meta = { codec: muxer.info?.codecString ?? ps.codec, width: muxer.info?.width ?? null, height: muxer.info?.height ?? null };
  }

  onAccessUnit(au: AccessUnit): void {
    const muxer = this.muxer;
    if (!muxer || this.stopped) return;
    if (this.file && this.run) {
      const wall = this.run.ms + (au.pts - this.run.pts) / 90;
      if (au.pts < this.fileStartPts - TIMESCALE || this.drifted(au.receivedAt, au.receivedAt - wall)) {
        this.close('time');
        this.run = null;
      } else if (au.keyframe && au.pts - this.fileStartPts >= this.segmentTicks) this.close('segment', au.pts);
    }
    if (!this.file) {
      if (!au.keyframe || au.receivedAt < this.retryAt) return;
      this.open(au);
      if (!this.file) return;
    }
    const frag = muxer.push(au);
    if (frag) this.write(frag, au.pts);
    if (frag || this.fragStart === null) {
      this.fragStart = au.pts;
      this.fragKey = au.keyframe;
    }
    if (au.pts > this.lastPts && au.pts - this.lastPts < TIMESCALE) this.lastDelta = au.pts - this.lastPts;
    this.lastPts = Math.max(this.lastPts, au.pts);
  }

  /** Whether pts no longer tells the wall time: early at once, late only when late for a whole window. */
  private drifted(now: number, lateness: number): boolean {
    if (lateness < -MAX_DRIFT_MS) return true;
    if (lateness < this.lateMin) this.lateMin = lateness;
    if (now - this.lateSince < LATE_WINDOW_MS) return false;
    const late = this.lateMin > MAX_DRIFT_MS;
    this.lateMin = Infinity;
    this.lateSince = now;
    return late;
  }

  /** The upstream session ended: the camera dropped (a gap on the timeline, never a hole in a file). */
  onReset(): void {
    if (this.file) this.close('camera_offline');
    this.run = null;
    this.continueAt = null;
    this.muxer = this.init = null;
  }

  /**
   * Recording on motion ended (the recorder stays attached; nothing is written until frames
   * come again, from a keyframe): the open file is closed with `reason`, ending exactly
   * before `nextPts` when given. When the next file starts at that very pts (nothing was
   * lost between), it continues this run's time anchor, so the two files meet exactly.
   */
  pause(reason: StopReason, nextPts?: number): void {
    if (this.file) this.close(reason, nextPts);
    this.continueAt = nextPts ?? null;
    if (nextPts === undefined) this.run = null;
  }

  /** Whether a file is being written. */
  get writing(): boolean {
    return this.file !== null;
  }

  /** Recording switched off, or shutdown: the open file is closed; resolves once every file is closed. */
  async stop(reason: StopReason): Promise<void> {
    this.stopped = true;
    if (this.file) this.close(reason);
    await Promise.all([...this.closing]);
  }

  private open(au: AccessUnit): void {
    if (!this.init) return;
    if (this.continueAt !== null) {
      if (au.pts !== this.continueAt) this.run = null;
      this.continueAt = null;
      this.lateMin = Infinity; // the late window starts again with the new file
      this.lateSince = au.receivedAt;
    }
    if (!this.run) {
      this.run = { ms: au.receivedAt, pts: au.pts };
      this.lateMin = Infinity;
      this.lateSince = au.receivedAt;
    }
    const startMs = Math.round(this.wall(au.pts));
    const rel = `${this.cameraId}/${almatyDate(new Date(startMs))}/${startMs}.mp4`;
    this.muxer?.reset();
    this.fileStartPts = au.pts;
    this.lastPts = au.pts;
    this.fragStart = null;
    const file = new SegmentFile(
      { cameraId: this.cameraId, root: this.opts.root, rel, startMs, ...this.meta, trigger: this.trigger },
      {
        report: this.report,
        failed: (code, message) => this.failed(file, code, message),
        wrote: () => this.wrote(),
      },
      this.maxQueueBytes,
      this.opts.progressMs ?? 2000,
      this.now,
    );
    this.file = file;
    file.push(this.init, null, null);
  }

  private wall(pts: number): number {
    const run = this.run!;
    return run.ms + (pts - run.pts) / 90;
  }

  /** A whole fragment [fragStart, endPts) for the open file. */
  private write(frag: Uint8Array, endPts: number): void {
    const file = this.file;
    if (!file || this.fragStart === null) return;
    const startMs = file.meta.startMs;
    const keyMs = this.fragKey ? Math.round(this.wall(this.fragStart)) - startMs : null;
    if (!file.push(frag, Math.round(this.wall(endPts)), keyMs)) {
      // The disk does not keep up: end this file cleanly with what is queued and try again later.
      this.setProblem('write_error', `${file.meta.rel}: the disk does not keep up, recording paused`);
      this.close('write_error', undefined, false);
      this.backoff();
    }
  }

  private close(reason: CloseReason, nextPts?: number, flush = true): void {
    const file = this.file;
    if (!file) return;
    this.file = null;
    if (flush && this.muxer) {
      const endPts = nextPts ?? this.lastPts + this.lastDelta;
      const tail = this.muxer.flush(nextPts !== undefined ? { nextPts } : {});
      if (tail) {
        this.file = file; // write() needs it
        this.write(tail, endPts);
        this.file = null;
      }
    }
    this.muxer?.reset();
    this.fragStart = null;
    const p = file.close(reason).finally(() => this.closing.delete(p));
    this.closing.add(p);
  }

  private failed(file: SegmentFile, code: ProblemCode, message: string): void {
    this.setProblem(code, message);
    if (this.file === file) {
      this.file = null;
      this.muxer?.reset();
      this.fragStart = null;
    }
    this.backoff();
  }

  private backoff(): void {
    this.retryAt = this.now() + this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 60_000);
  }

  private wrote(): void {
    this.retryDelay = this.opts.retryMs ?? 5000;
    if (!this.problem) return;
    const code = this.problem;
    this.problem = null;
    this.report({ kind: 'recovered', cameraId: this.cameraId, code, at: this.now() });
  }

  private setProblem(code: ProblemCode, message: string): void {
    if (this.problem === code) return;
    this.problem = code;
    this.report({ kind: 'problem', cameraId: this.cameraId, code, message, at: this.now() });
  }
}
