import crypto from 'node:crypto';
import type { DetectionEvent, DetectionEventKind, EventMarks, EventPage, EventSearchQuery } from '@kuzet/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { BoxSampleJson, DetectionEventsTable } from '../../db/schema-detection.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import type { DetectionReport, DetectionSink } from './events.types.ts';

/** Box samples kept per event: the first, then the newest. */
export const MAX_BOXES = 50;
/** Playback opens this long before an event. */
export const PRE_ROLL_MS = 10_000;
/** Timeline marks per request. */
export const MAX_MARKS = 500;

export type EventRow = Selectable<DetectionEventsTable> & { recordingPolicy: string | null };

/** A detector event that was just stored (start) — the alerts service decides whether it alerts. */
/**
 * `reopened`: an ended event started again within its zone's cooldown (the detector's 'update' with endedAt null);
 * `snapshotAdded`: its picture came after its start (the detector does not hold the start back for it).
 */
export type EventListener = (e: { eventId: string; complexId: string; kind: DetectionEventKind; phase: DetectionReport['phase']; created: boolean; reopened: boolean; snapshotAdded?: boolean }) => Promise<void> | void;

export interface NewEvent {
  complexId: string;
  cameraId: string | null;
  kind: DetectionEventKind;
  zoneId?: string | null;
  cause?: string | null;
  startedAt: Date;
  endedAt?: Date | null;
  peakScore?: number;
  cameraIds?: string[];
  groupEventId?: string | null;
}

/** Newest samples kept, the first one always (where it started). */
export function mergeBoxes(old: BoxSampleJson[], added: BoxSampleJson[]): BoxSampleJson[] {
  const all = [...old, ...added];
  if (all.length <= MAX_BOXES) return all;
  return [all[0]!, ...all.slice(all.length - (MAX_BOXES - 1))];
}

function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

export function eventDto(r: EventRow): DetectionEvent {
  const started = new Date(r.startedAt).getTime();
  const ended = r.endedAt ? new Date(r.endedAt).getTime() : null;
  const recorded = r.cameraId !== null && r.recordingPolicy !== null && r.recordingPolicy !== 'off';
  return {
    id: r.id,
    cameraId: r.cameraId,
    complexId: r.complexId,
    kind: r.kind,
    zoneId: r.zoneId,
    cause: r.cause,
    startedAt: new Date(started).toISOString(),
    endedAt: iso(r.endedAt),
    peakScore: Math.max(0, Math.min(1, r.peakScore)),
    boxes: (r.boxes ?? []).map((b) => ({ at: new Date(b.at).toISOString(), box: b.box })),
    label: r.label,
    snapshotUrl: r.hasSnapshot ? `/api/v1/events/${r.id}/snapshot` : null,
    recording: recorded ? { from: new Date(started - PRE_ROLL_MS).toISOString(), to: ended === null ? null : new Date(ended + 5_000).toISOString() } : null,
    cameraIds: r.cameraIds?.length ? r.cameraIds : r.cameraId ? [r.cameraId] : [],
  };
}

/**
 * Detection events: the detector's reports (motion, tamper) upserted by eventKey, health events
 * written by the alerts service, search, timeline marks and snapshots (an access-log entry each).
 */
export class EventsService implements DetectionSink {
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<EventListener>();
  private pending = 0;
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly cameras: CamerasService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private log: { warn(o: object, m: string): void },
  ) {}

  onEvent(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  /** Where failures of background work are reported (the server wires its logger in). */
  useLogger(log: { warn(o: object, m: string): void }): void {
    this.log = log;
  }


  /** DetectionSink: queued, stored in order; never throws. */
  report(r: DetectionReport): void {
    this.pending++;
    this.queue = this.queue
      .then(async () => {
        await this.store(r);
      })
      .catch((err: unknown) => this.log.warn({ err, cameraId: r.cameraId, eventKey: r.eventKey }, 'detection report could not be stored'))
      .finally(() => void this.pending--);
  }

  /** Resolves when every report so far is stored (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  /** Upsert by eventKey: a lost 'start' is made up by the first report that arrives. */
  async store(r: DetectionReport): Promise<{ eventId: string; created: boolean } | null> {
    const complexId = await this.cameras.complexOf(r.cameraId).catch(() => null);
    if (!complexId) return null; // the camera was removed meanwhile
    const now = this.clock.now();
    const added: BoxSampleJson[] = r.boxes.map((b) => ({ at: b.at, box: { x: clamp(b.box.x), y: clamp(b.box.y), w: clamp(b.box.w), h: clamp(b.box.h) } }));
    let reopened = false;
    let snapshotAdded = false;
    const result = await this.db.transaction().execute(async (tx) => {
      const old = await tx.selectFrom('detectionEvents').select(['id', 'boxes', 'peakScore', 'endedAt', 'hasSnapshot']).where('eventKey', '=', r.eventKey).forUpdate().executeTakeFirst();
      let eventId: string;
      let created = false;
      if (!old) {
        eventId = crypto.randomUUID();
        created = true;
        await tx
          .insertInto('detectionEvents')
          .values({
            id: eventId,
            complexId,
            cameraId: r.cameraId,
            kind: r.kind,
            zoneId: r.zoneId,
            cause: r.cause,
            eventKey: r.eventKey,
            startedAt: new Date(r.startedAt),
            endedAt: r.phase === 'end' && r.endedAt !== null ? new Date(r.endedAt) : null,
            peakScore: clamp(r.peakScore),
            boxes: JSON.stringify(mergeBoxes([], added)),
            label: r.label,
            cameraIds: JSON.stringify([r.cameraId]),
            createdAt: now,
            updatedAt: now,
          })
          .execute();
      } else {
        eventId = old.id;
        reopened = r.phase !== 'end' && r.endedAt === null && old.endedAt !== null;
        snapshotAdded = !old.hasSnapshot && !!r.snapshotJpeg && r.snapshotJpeg.byteLength > 0;
        await tx
          .updateTable('detectionEvents')
          .set({
            peakScore: Math.max(old.peakScore, clamp(r.peakScore)),
            boxes: JSON.stringify(mergeBoxes(old.boxes ?? [], added)),
            // 'end' ends it; an 'update' with endedAt null after an end reopens it (cooldown).
            endedAt: r.phase === 'end' ? new Date(r.endedAt ?? now.getTime()) : r.endedAt === null ? null : old.endedAt,
            ...(r.label !== null ? { label: r.label } : {}),
            ...(r.cause !== null ? { cause: r.cause } : {}),
            updatedAt: now,
          })
          .where('id', '=', eventId)
          .execute();
      }
      if (r.snapshotJpeg && r.snapshotJpeg.byteLength > 0) {
        const jpeg = Buffer.from(r.snapshotJpeg.buffer, r.snapshotJpeg.byteOffset, r.snapshotJpeg.byteLength);
        await tx
          .insertInto('detectionSnapshots')
          .values({ eventId, jpeg, takenAt: now })
          .onConflict((oc) => oc.column('eventId').doUpdateSet({ jpeg, takenAt: now }))
          .execute();
        await tx.updateTable('detectionEvents').set({ hasSnapshot: true }).where('id', '=', eventId).execute();
      }
      return { eventId, created };
    });
    for (const l of this.listeners) {
      try {
        await l({ eventId: result.eventId, complexId, kind: r.kind, phase: r.phase, created: result.created, reopened, snapshotAdded });
      } catch (err) {
        this.log.warn({ err, eventId: result.eventId }, 'an event listener failed');
      }
    }
    return result;
  }

  /** Writes a health event (offline, online, recording_failed, group_offline) in the caller's transaction. */
  async insert(tx: Kysely<DB>, e: NewEvent): Promise<string> {
    const id = crypto.randomUUID();
    const now = this.clock.now();
    await tx
      .insertInto('detectionEvents')
      .values({
        id,
        complexId: e.complexId,
        cameraId: e.cameraId,
        kind: e.kind,
        zoneId: e.zoneId ?? null,
        cause: e.cause ?? null,
        eventKey: null,
        startedAt: e.startedAt,
        endedAt: e.endedAt ?? null,
        peakScore: e.peakScore ?? 1,
        label: null,
        cameraIds: JSON.stringify(e.cameraIds ?? (e.cameraId ? [e.cameraId] : [])),
        groupEventId: e.groupEventId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    return id;
  }

  select(db: Kysely<DB> = this.db) {
    return db.selectFrom('detectionEvents as e').leftJoin('cameras as c', 'c.id', 'e.cameraId').selectAll('e').select('c.recordingPolicy as recordingPolicy');
  }

  /**
   * Ends the detector's events left open by a detector that is gone (the server killed, the
   * detection worker crashed): each at its last box sample (else its start); their alerts hear
   * it. Called before the detector starts and when its worker is restarted. Returns how many.
   */
  async closeOrphans(): Promise<number> {
    await this.settled();
    const open = await this.db.selectFrom('detectionEvents').select(['id', 'complexId', 'kind', 'startedAt', 'boxes']).where('kind', 'in', ['motion', 'tamper']).where('endedAt', 'is', null).execute();
    for (const e of open) {
      const last = Math.max(e.startedAt.getTime(), ...(e.boxes ?? []).map((b) => b.at).filter((x) => Number.isFinite(x)));
      await this.db.updateTable('detectionEvents').set({ endedAt: new Date(last), updatedAt: this.clock.now() }).where('id', '=', e.id).where('endedAt', 'is', null).execute();
      for (const l of this.listeners) {
        try {
          await l({ eventId: e.id, complexId: e.complexId, kind: e.kind, phase: 'end', created: false, reopened: false });
        } catch (err) {
          this.log.warn({ err, eventId: e.id }, 'an event listener failed');
        }
      }
    }
    return open.length;
  }

  async rowsByIds(ids: readonly string[], db: Kysely<DB> = this.db): Promise<Map<string, EventRow>> {
    if (!ids.length) return new Map();
    const rows = await this.select(db).where('e.id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  async get(eventId: string): Promise<DetectionEvent> {
    const row = await this.select().where('e.id', '=', eventId).executeTakeFirst();
    if (!row) throw new DomainError('EVENT_NOT_FOUND');
    return eventDto(row);
  }

  async complexOf(eventId: string): Promise<string> {
    const row = await this.db.selectFrom('detectionEvents').select('complexId').where('id', '=', eventId).executeTakeFirst();
    if (!row) throw new DomainError('EVENT_NOT_FOUND');
    return row.complexId;
  }

  /** Newest first. */
  async search(complexId: string, q: EventSearchQuery): Promise<EventPage> {
    let base = this.db.selectFrom('detectionEvents as e').where('e.complexId', '=', complexId);
    if (q.cameraId) base = base.where((eb) => eb.or([eb('e.cameraId', '=', q.cameraId!), eb.and([eb('e.cameraId', 'is', null), eb(eb.cast('e.cameraIds', 'text'), 'like', `%${q.cameraId!}%`)])]));
    if (q.zoneId) base = base.where('e.zoneId', '=', q.zoneId);
    if (q.kind) base = base.where('e.kind', '=', q.kind);
    if (q.from) base = base.where((eb) => eb.or([eb('e.endedAt', 'is', null), eb('e.endedAt', '>=', new Date(q.from!))]));
    if (q.to) base = base.where('e.startedAt', '<', new Date(q.to));
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const ids = await base.select('e.id').orderBy('e.startedAt', 'desc').orderBy('e.id').limit(q.limit).offset(q.offset).execute();
    const rows = await this.rowsByIds(ids.map((r) => r.id));
    return { items: ids.map((r) => eventDto(rows.get(r.id)!)), total: Number(total.n), limit: q.limit, offset: q.offset };
  }

  /** A camera's events overlapping [from, to), oldest first, for the playback timeline. */
  async marks(cameraId: string, from: string, to: string): Promise<EventMarks> {
    await this.cameras.complexOf(cameraId);
    const f = new Date(from);
    const t = new Date(to);
    if (!(t > f)) throw new DomainError('VALIDATION_FAILED', { field: 'to' }, 'The end of the window must be after its start.');
    const rows = await this.db
      .selectFrom('detectionEvents')
      .select(['id', 'kind', 'zoneId', 'cause', 'startedAt', 'endedAt', 'peakScore', 'label'])
      .where('cameraId', '=', cameraId)
      .where('startedAt', '<', t)
      .where((eb) => eb.or([eb('endedAt', 'is', null), eb('endedAt', '>=', f)]))
      .orderBy('startedAt')
      .orderBy('id')
      .limit(MAX_MARKS + 1)
      .execute();
    return {
      cameraId,
      from: f.toISOString(),
      to: t.toISOString(),
      truncated: rows.length > MAX_MARKS,
      items: rows.slice(0, MAX_MARKS).map((r) => ({
        id: r.id,
        kind: r.kind,
        zoneId: r.zoneId,
        cause: r.cause,
        startedAt: new Date(r.startedAt).toISOString(),
        endedAt: iso(r.endedAt),
        peakScore: r.peakScore,
        label: r.label,
      })),
    };
  }

  /**
   * Snapshots older than their camera's retention (footage is gone by then too) are deleted, except
   * those of events an incident links to (directly or through the escalated alert). Returns how many.
   */
  async pruneSnapshots(): Promise<number> {
    const now = this.clock.now().getTime();
    const old = await this.db
      .selectFrom('detectionEvents as e')
      .innerJoin('cameras as c', 'c.id', 'e.cameraId')
      .leftJoin('alerts as a', 'a.eventId', 'e.id')
      .select(['e.id', 'e.startedAt', 'c.retentionDays'])
      .where('e.hasSnapshot', '=', true)
      .where('e.startedAt', '<', new Date(now - 86_400_000))
      .where((eb) => eb.or([eb('a.incidentId', 'is', null), eb('a.id', 'is', null)]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('incidentLinks as l').select('l.refId').where('l.kind', '=', 'event').whereRef('l.refId', '=', 'e.id'))))
      .limit(5000)
      .execute();
    const due = old.filter((r) => new Date(r.startedAt).getTime() < now - Math.max(1, r.retentionDays) * 86_400_000).map((r) => r.id);
    if (!due.length) return 0;
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('detectionSnapshots').where('eventId', 'in', due).execute();
      await tx.updateTable('detectionEvents').set({ hasSnapshot: false }).where('id', 'in', due).execute();
    });
    return due.length;
  }

  /** Prunes snapshots now and every hour until stop(). */
  start(): void {
    const run = () => void this.pruneSnapshots().catch((err: unknown) => this.log.warn({ err }, 'snapshot pruning failed'));
    run();
    this.pruneTimer = setInterval(run, 3_600_000);
    this.pruneTimer.unref();
  }

  stop(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
  }

  /** The JPEG; viewing it is an access-log entry like viewing video (no entry, no picture). */
  async snapshot(actor: Actor, eventId: string): Promise<Buffer> {
    const ev = await this.db.selectFrom('detectionEvents').select(['complexId', 'cameraId']).where('id', '=', eventId).executeTakeFirst();
    if (!ev) throw new DomainError('EVENT_NOT_FOUND');
    const snap = await this.db.selectFrom('detectionSnapshots').select('jpeg').where('eventId', '=', eventId).executeTakeFirst();
    if (!snap) throw new DomainError('SNAPSHOT_NOT_FOUND');
    await this.audit.append({ action: 'event.snapshot_viewed', actorId: actor.id, subjectType: 'camera', subjectId: ev.cameraId, complexId: ev.complexId, details: { eventId } });
    return Buffer.from(snap.jpeg);
  }
}

function clamp(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
}
