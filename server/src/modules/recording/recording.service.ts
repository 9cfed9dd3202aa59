import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Database } from '../../db/database.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import type { MediaService } from '../media/media.service.ts';
import type { RecorderReport, SegmentReport, StopReason } from './recorder.protocol.ts';
import { STOP_REASONS } from './recorder.protocol.ts';
import type { RecordingEvents } from './recording-events.ts';
import { recoverRecordings, type RecoveredFile } from './recovery.ts';

/** The part of MediaService the recorder's service uses (tests may stand in for it). */
export type RecordingMedia = Pick<MediaService, 'setRecording' | 'onRecording'>;

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
  state: 'open' | 'closed';
}

interface EventRow {
  complexId: string;
  cameraId: string;
  at: Date;
  kind: 'started' | 'stopped';
  reason: string | null;
}

/**
 * The recorder's main-thread side: decides which cameras record (recording enabled, the
 * camera enabled and not deleted, policy continuous or motion — motion records
 * continuously until detection lands), tells the media workers, and indexes what they
 * report: recording_segments upserted in one transaction every ~1 s (the workers never
 * wait for it), recording_events when a camera's recording starts and stops and why, and
 * RecordingEvents ('segment' once indexed, 'problem', 'recovered') for retention and health.
 */
export class RecordingService {
  private readonly complexOf = new Map<string, string>();
  /** Cameras told to record. */
  private readonly on = new Set<string>();
  /** Cameras with a file being written now (a 'started' was written and no 'stopped' since). */
  private readonly active = new Set<string>();
  private readonly openFiles = new Map<string, string>();
  private pendingRows = new Map<string, { row: SegmentRow; report: SegmentReport }>();
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
    this.unsubCameras = deps.cameras.onChange((id) => void this.queue(() => this.reconcile(id)));
    this.timer = setInterval(() => void this.flush(), deps.flushMs ?? 1000);
    this.timer.unref();
    this.started = true;
    const rows = await deps.db.selectFrom('cameras').select('id').where('deletedAt', 'is', null).execute();
    for (const r of rows) await this.queue(() => this.reconcile(r.id));
  }

  /** Whether a camera is told to record now. */
  isRecording(cameraId: string): boolean {
    return this.on.has(cameraId);
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
      const offs = [...this.on].map((id) => media.setRecording(id, null, 'server_down'));
      await withTimeout(Promise.all(offs), 15_000);
    }
    this.on.clear();
    this.unsubReports?.();
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
    const want = !!media && this.deps.config.enabled && !!cam && cam.enabled && cam.deletedAt === null && (cam.recordingPolicy === 'continuous' || cam.recordingPolicy === 'motion');
    if (want === this.on.has(cameraId) || !media) return;
    if (want) {
      this.on.add(cameraId);
      await media.setRecording(cameraId, { root: this.deps.config.dir, segmentSeconds: this.deps.config.segmentSeconds });
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
    const complexId = this.complexOf.get(r.cameraId);
    if (!complexId) {
      this.deps.log.warn({ cameraId: r.cameraId, path: r.path }, 'a recording of an unknown camera: not indexed');
      return;
    }
    if (r.state === 'open' && !this.active.has(r.cameraId)) {
      this.active.add(r.cameraId);
      this.pendingEvents.push({ complexId, cameraId: r.cameraId, at: new Date(r.startMs), kind: 'started', reason: null });
    }
    if (r.state === 'closed') {
      if (this.openFiles.get(r.cameraId) === r.path) this.openFiles.delete(r.cameraId);
      if (r.reason && STOP_REASONS.includes(r.reason) && this.active.delete(r.cameraId)) {
        this.pendingEvents.push({ complexId, cameraId: r.cameraId, at: new Date(r.endMs), kind: 'stopped', reason: r.reason as StopReason });
      }
    } else this.openFiles.set(r.cameraId, r.path);
    this.pendingRows.set(r.path, {
      report: r,
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
    for (const { report: r } of rows.values()) {
      this.deps.events.emit('segment', { cameraId: r.cameraId, path: r.path, bytes: r.bytes, startMs: r.startMs, endMs: r.endMs, final: r.state === 'closed' });
    }
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
