import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Database } from '../../db/database.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import type { MediaService, RecorderLoss } from '../media/media.service.ts';
import type { RecorderReport, StopReason } from './recorder.protocol.ts';
import { STOP_REASONS } from './recorder.protocol.ts';
import type { RecordingEventMap, RecordingEvents } from './recording-events.ts';
import { recoverFile, recoverRecordings, type RecoveredFile } from './recovery.ts';

/** The part of MediaService the recorder's service uses (tests may stand in for it). */
export type RecordingMedia = Pick<MediaService, 'setRecording' | 'onRecording'> & Partial<Pick<MediaService, 'onRecorderLoss'>>;

export interface RecordingServiceDeps {
  db: Database;
  cameras: CamerasService;
  /** null: media disabled (nothing is recorded; recovery still runs). */
  media: RecordingMedia | null;
  config: Config['recordings'];
  events: RecordingEvents;
  log: Logger;
  /** Index batch period (default 1000 ms). */
  flushMs?: number;
  /**
   * Whether a detector tells motion (default true). Without one (detection off, no ffmpeg) a
   * camera with policy 'motion' records continuously: better too much footage than none.
   */
  motionDetected?: boolean;
}

interface SegmentRow {
  complexId: string;
  cameraId: string;
  path: string;
  startAt: Date;
  endAt: Date;
  bytes: number;
  codec: string;
  width: number | null;
  height: number | null;
  keyframes: string;
  state: 'open' | 'closed' | 'recovered';
}

interface EventRow {
  complexId: string;
  cameraId: string;
  at: Date;
  kind: 'started' | 'stopped';
  reason: string | null;
}

/**
 * The recorder's main-thread side: decides which cameras record and how (recording
 * enabled, the camera enabled and not deleted; policy continuous, or motion — then the
 * worker keeps a pre-roll and writes only around the motion MediaService.setMotion
 * reports, config.motion), tells the media workers, and indexes what they
 * report: recording_segments upserted in one transaction every ~1 s (the workers never
 * wait for it), recording_events when a camera's recording starts (reason 'motion' when
 * motion started it) and stops and why (motion_ended after the post-roll), and
 * RecordingEvents ('segment' once indexed, 'problem', 'recovered') for retention and health.
 */
export class RecordingService {
  private readonly complexOf = new Map<string, string>();
  /** Cameras told to record, and how (continuously, or on motion). */
  private readonly on = new Map<string, 'continuous' | 'motion'>();
  /** Cameras with a file being written now (a 'started' was written and no 'stopped' since). */
  private readonly active = new Set<string>();
  private readonly openFiles = new Map<string, string>();
  private pendingRows = new Map<string, { row: SegmentRow; event: RecordingEventMap['segment'][0] }>();
  /** End (wall ms) of the last whole fragment each camera's recorder reported. */
  private readonly lastEnd = new Map<string, number>();
  private unsubLoss: (() => void) | null = null;
  private readonly recovering = new Set<Promise<void>>();
  private pendingEvents: EventRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private unsubReports: (() => void) | null = null;
  private unsubCameras: (() => void) | null = null;
  private stopping = false;
  private started = false;
  private chain: Promise<void> = Promise.resolve();
  recovered: RecoveredFile[] = [];

  constructor(private readonly deps: RecordingServiceDeps) {}

  /** Recovers what an unclean stop left, then starts recording the cameras that should be. */
  async start(): Promise<void> {
    const { deps } = this;
    this.recovered = await recoverRecordings({ db: deps.db, root: deps.config.dir, log: deps.log });
    for (const r of this.recovered) deps.events.emit('segment', { cameraId: r.cameraId, path: r.path, bytes: r.bytes, startMs: r.startMs, endMs: r.endMs, final: true });
    this.unsubReports = deps.media?.onRecording((r) => this.onReport(r)) ?? null;
    this.unsubLoss = deps.media?.onRecorderLoss?.((l) => this.onLoss(l)) ?? null;
    this.unsubCameras = deps.cameras.onChange((id) => void this.queue(() => this.reconcile(id)));
    this.timer = setInterval(() => void this.flush(), deps.flushMs ?? 1000);
    this.timer.unref();
    this.started = true;
    const rows = await deps.db.selectFrom('cameras').select('id').where('deletedAt', 'is', null).execute();
    for (const r of rows) await this.queue(() => this.reconcile(r.id));
  }

  /** Whether a camera is told to record now (continuously, or on motion: then it writes only around motion). */
  isRecording(cameraId: string): boolean {
    return this.on.has(cameraId);
  }

  /** How a camera is told to record now: continuously, on motion, or not (null). */
  modeOf(cameraId: string): 'continuous' | 'motion' | null {
    return this.on.get(cameraId) ?? null;
  }

  /** Cameras writing a file right now. */
  get writing(): ReadonlySet<string> {
    return this.active;
  }

  /** The recordings root (absolute). */
  get root(): string {
    return this.deps.config.dir;
  }

  /**
   * Shutdown, before the media engine stops: every open file is closed (fdatasync'ed)
   * with reason server_down and indexed.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.unsubCameras?.();
    await this.chain;
    const media = this.deps.media;
    if (media) {
      const offs = [...this.on.keys()].map((id) => media.setRecording(id, null, 'server_down'));
      await withTimeout(Promise.all(offs), 15_000);
    }
    this.on.clear();
    this.unsubReports?.();
    this.unsubLoss?.();
    await Promise.all([...this.recovering]);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes what is pending to the index now (tests; stop). */
  async flush(): Promise<void> {
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private queue(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn).catch((err: unknown) => this.deps.log.error({ err }, 'recording reconcile failed'));
    this.chain = next;
    return next;
  }

  private async reconcile(cameraId: string): Promise<void> {
    if (this.stopping || !this.started) return;
    const media = this.deps.media;
    const cam = await this.deps.db.selectFrom('cameras').select(['complexId', 'enabled', 'deletedAt', 'recordingPolicy']).where('id', '=', cameraId).executeTakeFirst();
    if (cam) this.complexOf.set(cameraId, cam.complexId);
    const records = !!media && this.deps.config.enabled && !!cam && cam.enabled && cam.deletedAt === null;
    const policy = cam?.recordingPolicy === 'motion' && this.deps.motionDetected === false ? 'continuous' : cam?.recordingPolicy;
    const want = records && (policy === 'continuous' || policy === 'motion') ? policy : null;
    const was = this.on.get(cameraId) ?? null;
    if (want === was || !media) return;
    if (want) {
      this.on.set(cameraId, want);
      const { dir, segmentSeconds, motion } = this.deps.config;
      // Continuous ⇄ motion changes the recorder in place (the worker keeps its files going).
      await media.setRecording(cameraId, { root: dir, segmentSeconds, ...(want === 'motion' ? { motion: { ...motion } } : {}) });
    } else {
      this.on.delete(cameraId);
      await media.setRecording(cameraId, null, 'recording_off');
    }
  }

  private onReport(r: RecorderReport): void {
    const { events } = this.deps;
    if (r.kind === 'problem') {
      this.deps.log.warn({ cameraId: r.cameraId, code: r.code, message: r.message }, 'recording problem');
      events.emit('problem', { cameraId: r.cameraId, code: r.code, message: r.message, at: r.at });
      return;
    }
    if (r.kind === 'recovered') {
      this.deps.log.info({ cameraId: r.cameraId, code: r.code }, 'recording problem cleared');
      events.emit('recovered', { cameraId: r.cameraId, code: r.code, at: r.at });
      return;
    }
    if (r.kind === 'file') return; // MediaService's business (which fds a worker holds)
    const complexId = this.complexOf.get(r.cameraId);
    if (!complexId) {
      this.deps.log.warn({ cameraId: r.cameraId, path: r.path }, 'a recording of an unknown camera: not indexed');
      return;
    }
    if (r.state === 'open' && !this.active.has(r.cameraId)) {
      this.active.add(r.cameraId);
      this.pendingEvents.push({ complexId, cameraId: r.cameraId, at: new Date(r.startMs), kind: 'started', reason: r.trigger ?? null });
    }
    if (r.state === 'closed') {
      if (this.openFiles.get(r.cameraId) === r.path) this.openFiles.delete(r.cameraId);
      if (r.reason && STOP_REASONS.includes(r.reason) && this.active.delete(r.cameraId)) {
        this.pendingEvents.push({ complexId, cameraId: r.cameraId, at: new Date(r.endMs), kind: 'stopped', reason: r.reason as StopReason });
      }
    } else this.openFiles.set(r.cameraId, r.path);
    this.lastEnd.set(r.cameraId, Math.max(r.endMs, r.startMs));
    this.pendingRows.set(r.path, {
      event: { cameraId: r.cameraId, path: r.path, bytes: r.bytes, startMs: r.startMs, endMs: r.endMs, final: r.state === 'closed' },
      row: {
        complexId,
        cameraId: r.cameraId,
        path: r.path,
        startAt: new Date(r.startMs),
        endAt: new Date(Math.max(r.endMs, r.startMs)),
        bytes: r.bytes,
        codec: r.codec,
        width: r.width,
        height: r.height,
        keyframes: JSON.stringify(r.keyframes),
        state: r.state === 'closed' ? 'closed' : 'open',
      },
    });
  }

  /**
   * A media worker died while recording (MediaService closed the fds it left): each of its
   * open files is cut back to its last whole fragment, fdatasync'ed and indexed as
   * 'recovered' at once (not at the next start), and each of its cameras that was writing
   * gets a 'stopped server_down' at the end of what was kept. The restarted worker is told
   * to record again by MediaService; its first file writes 'started'.
   */
  private onLoss(loss: RecorderLoss): void {
    if (this.stopping) return;
    const wasActive = loss.cameras.filter((id) => this.active.delete(id));
    for (const id of loss.cameras) this.openFiles.delete(id);
    const run = this.recoverLost(loss, wasActive).catch((err: unknown) => this.deps.log.error({ err, worker: loss.worker }, 'recovering the files of a crashed media worker failed'));
    this.recovering.add(run);
    void run.finally(() => this.recovering.delete(run));
  }

  private async recoverLost(loss: RecorderLoss, wasActive: string[]): Promise<void> {
    const ends = new Map<string, number>();
    let kept = 0;
    for (const f of loss.files) {
      const s = await recoverFile(f.root, f.path, { sync: true }).catch((err: unknown) => {
        this.deps.log.warn({ err, path: f.path }, 'could not recover a recording of a crashed media worker');
        return undefined;
      });
      if (s === undefined) continue;
      if (s === null) {
        // Nothing whole in it (just created): gone, and so is any row of it.
        this.pendingRows.delete(f.path);
        await this.deps.db.deleteFrom('recordingSegments').where('path', '=', f.path).execute();
        continue;
      }
      const complexId = await this.complexIdOf(f.cameraId);
      if (!complexId) continue;
      const endMs = s.startMs + s.durationMs;
      ends.set(f.cameraId, Math.max(ends.get(f.cameraId) ?? 0, endMs));
      kept++;
      // Replaces any report of it still pending: the batch writes the recovered state last.
      this.pendingRows.set(f.path, {
        event: { cameraId: f.cameraId, path: f.path, bytes: s.wholeBytes, startMs: s.startMs, endMs, final: true },
        row: {
          complexId,
          cameraId: f.cameraId,
          path: f.path,
          startAt: new Date(s.startMs),
          endAt: new Date(endMs),
          bytes: s.wholeBytes,
          codec: s.codec,
          width: s.width,
          height: s.height,
          keyframes: JSON.stringify(s.keyframes),
          state: 'recovered',
        },
      });
    }
    for (const cameraId of wasActive) {
      const complexId = await this.complexIdOf(cameraId);
      const at = Math.max(ends.get(cameraId) ?? 0, this.lastEnd.get(cameraId) ?? 0);
      if (complexId && at > 0) this.pendingEvents.push({ complexId, cameraId, at: new Date(at), kind: 'stopped', reason: 'server_down' });
    }
    this.deps.log.warn({ worker: loss.worker, cameras: loss.cameras.length, files: loss.files.length, recovered: kept }, 'a media worker died while recording: its open files recovered');
    await this.flush();
  }

  private async complexIdOf(cameraId: string): Promise<string | null> {
    const known = this.complexOf.get(cameraId);
    if (known) return known;
    const row = await this.deps.db.selectFrom('cameras').select('complexId').where('id', '=', cameraId).executeTakeFirst();
    if (row) this.complexOf.set(cameraId, row.complexId);
    return row?.complexId ?? null;
  }

  /** One transaction per batch: the segment rows (upserted by path) and the events. */
  private async write(): Promise<void> {
    if (this.pendingRows.size === 0 && this.pendingEvents.length === 0) return;
    const rows = this.pendingRows;
    const evs = this.pendingEvents;
    this.pendingRows = new Map();
    this.pendingEvents = [];
    try {
      await this.deps.db.transaction().execute(async (tx) => {
        const list = [...rows.values()].map((x) => x.row);
        for (let i = 0; i < list.length; i += 200) {
          await tx
            .insertInto('recordingSegments')
            .values(list.slice(i, i + 200))
            .onConflict((oc) =>
              oc.column('path').doUpdateSet((eb) => ({
                endAt: eb.ref('excluded.endAt'),
                bytes: eb.ref('excluded.bytes'),
                keyframes: eb.ref('excluded.keyframes'),
                state: eb.ref('excluded.state'),
              })),
            )
            .execute();
        }
        if (evs.length) await tx.insertInto('recordingEvents').values(evs).execute();
      });
    } catch (err) {
      // Keep them for the next batch, unless newer reports of the same file came meanwhile.
      for (const [p, x] of rows) if (!this.pendingRows.has(p)) this.pendingRows.set(p, x);
      this.pendingEvents = [...evs, ...this.pendingEvents];
      this.deps.log.error({ err, rows: rows.size }, 'recording index batch failed; retrying');
      return;
    }
    for (const { event } of rows.values()) this.deps.events.emit('segment', event);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(undefined);
      },
    );
  });
}
