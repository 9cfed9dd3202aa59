import crypto from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  CLIP_MAX_SECONDS,
  MEDIA_MAX_SECONDS,
  TIMELINE_MAX_DAYS,
  type Bookmark,
  type ClipJob,
  type CreateBookmark,
  type CreateClip,
  type PlaybackMediaQuery,
  type RecordingSegmentPage,
  type RecordingSegmentQuery,
  type Timeline,
  type TimelineQuery,
} from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import { clipFileName as clipName, ClipJobs } from './clips.ts';
import { transcodeToH264 } from './ffmpeg-child.ts';
import { closePlan, codecFamily, planBytes, planMedia, type MediaPlan } from './media-plan.ts';
import { SEGMENT_MAX_MS, type PlaybackRepository } from './playback.repository.ts';
import { Limiter, snapshotJpeg } from './snapshot.ts';
import { gapsOf, MERGE_TOLERANCE_MS, mergeSpans } from './timeline.ts';

/** Repeated chunk requests of one viewing (same user, camera, continuing footage) within this long make one audit row. */
export const PLAYBACK_AUDIT_WINDOW_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
/** The codec string of transcoded footage (libx264 Main; browsers take the level loosely). */
const TRANSCODED_CODEC = 'avc1.4d0028';

export interface PlaybackOptions {
  /** <data>/recordings: where the recorder's files are (index paths are relative to it). */
  recordingsDir: string;
  /** <data>/clips */
  clipsDir: string;
  log: { warn(o: object, m: string): void };
}

export interface MediaResponse {
  headers: Record<string, string>;
  stream: Readable;
  /** Stops the work behind the stream (closes files, kills a transcoder): the client went away. */
  stop(): void;
}

function bad(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', { fields: [{ in: 'querystring', field, message }] }, message);
}

function ms(iso: string): number {
  return new Date(iso).getTime();
}

/** [from, to) with to after from and at most maxMs long. */
function window(fromIso: string, toIso: string, maxMs: number, maxText: string): { from: number; to: number } {
  const from = ms(fromIso);
  const to = ms(toIso);
  if (to <= from) throw bad('to', `"to" (${toIso}) must be after "from" (${fromIso}).`);
  if (to - from > maxMs) throw bad('to', `The window from "from" to "to" may be at most ${maxText}: ask for a shorter one.`);
  return { from, to };
}

/**
 * Playback of recorded footage: the timeline, the file list, the media stream for MSE,
 * snapshots, clips and bookmarks. Reads the recorder's index and files (decision 0005);
 * writes only bookmarks and clips. Every view and export is audited.
 */
export class PlaybackService {
  readonly clips: ClipJobs;
  private readonly snapshots = new Limiter(2, 6);
  /** user:camera → the last audited viewing (collapses a viewing's chunk requests into one row). */
  private readonly viewings = new Map<string, { at: number; fromMs: number; endMs: number }>();

  constructor(
    private readonly repo: PlaybackRepository,
    private readonly cameras: CamerasService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly opts: PlaybackOptions,
  ) {
    this.clips = new ClipJobs(opts.clipsDir, opts.log, () => this.clock.now().getTime());
  }

  start(): void {
    this.clips.start();
  }

  stop(): void {
    this.clips.stop();
  }

  async timeline(cameraId: string, q: TimelineQuery): Promise<Timeline> {
    const { from, to } = window(q.from, q.to, TIMELINE_MAX_DAYS * DAY_MS, `${TIMELINE_MAX_DAYS} days`);
    const fromD = new Date(from);
    const toD = new Date(to);
    const [spans, events, bookmarks, holds] = await Promise.all([
      this.repo.spans(cameraId, fromD, toD, MERGE_TOLERANCE_MS),
      this.repo.gapEvents(cameraId, fromD, toD),
      this.repo.bookmarks(cameraId, fromD, toD),
      this.repo.holds(cameraId, fromD, toD),
    ]);
    const ranges = mergeSpans(spans, from, to);
    const openTail = spans.length > 0 && spans[spans.length - 1]!.state === 'open';
    const gaps = gapsOf(ranges, events, from, to, this.clock.now().getTime(), openTail);
    const iso = (t: number) => new Date(t).toISOString();
    return {
      cameraId,
      from: iso(from),
      to: iso(to),
      ranges: ranges.map((r) => ({ start: iso(r.start), end: iso(r.end) })),
      gaps: gaps.map((g) => ({ start: iso(g.start), end: iso(g.end), reason: g.reason })),
      bookmarks: bookmarks.map(toBookmark),
      holds: holds.map((h) => ({
        id: h.id,
        cameraId: h.cameraId,
        start: h.startAt.toISOString(),
        end: h.endAt.toISOString(),
        reason: h.reason,
        createdBy: h.createdBy ?? '',
        createdAt: h.createdAt.toISOString(),
        releasedAt: h.releasedAt ? h.releasedAt.toISOString() : null,
      })),
    };
  }

  async segments(cameraId: string, q: RecordingSegmentQuery): Promise<RecordingSegmentPage> {
    const { from, to } = window(q.from, q.to, 31 * DAY_MS, '31 days');
    const page = await this.repo.segmentsPage(cameraId, new Date(from), new Date(to), q.limit, q.offset);
    return {
      total: page.total,
      limit: q.limit,
      offset: q.offset,
      items: page.items.map((r) => ({
        id: String(r.id),
        cameraId: r.cameraId,
        start: r.startAt.toISOString(),
        end: r.endAt.toISOString(),
        bytes: Number(r.bytes),
        codec: r.codec,
        width: r.width,
        height: r.height,
        state: r.state,
        held: Boolean(r.held),
      })),
    };
  }

  /**
   * The media response: planned from the index before the first byte (so the headers say
   * exactly what follows), audited before the first byte (no record, no video), then
   * streamed fragment by fragment from the files.
   */
  async media(actor: Actor, cameraId: string, q: PlaybackMediaQuery): Promise<MediaResponse> {
    const fromMs = ms(q.from);
    const originMs = ms(q.origin);
    if (originMs > fromMs) throw bad('origin', `"origin" (${q.origin}) must not be after "from" (${q.from}): use the start of the shown day for every camera.`);
    if (fromMs - originMs > TIMELINE_MAX_DAYS * DAY_MS) throw bad('origin', `"origin" may be at most ${TIMELINE_MAX_DAYS} days before "from".`);
    let limitMs = fromMs + MEDIA_MAX_SECONDS * 1000;
    if (q.to !== undefined) {
      const toMs = ms(q.to);
      if (toMs <= fromMs) throw bad('to', `"to" (${q.to}) must be after "from" (${q.from}).`);
      limitMs = Math.min(limitMs, toMs);
    }
    const rows = await this.repo.mediaRows(cameraId, new Date(fromMs), new Date(limitMs));
    const plan = await planMedia(this.opts.recordingsDir, rows, fromMs, limitMs, originMs);
    if (!plan) throw new DomainError('RECORDING_NOT_FOUND', { from: q.from, to: new Date(limitMs).toISOString() });
    let next: Date | null;
    try {
      next = await this.repo.nextFootage(cameraId, new Date(plan.endMs));
      const complexId = await this.cameras.complexOf(cameraId);
      await this.auditPlayback(actor, cameraId, complexId, plan.startMs, plan.endMs);
    } catch (err) {
      await closePlan(plan);
      throw err;
    }
    const headers: Record<string, string> = {
      'content-type': 'video/mp4',
      'cache-control': 'no-store',
      'x-kuzet-start': new Date(plan.startMs).toISOString(),
      'x-kuzet-end': new Date(plan.endMs).toISOString(),
      // What MediaSource.addSourceBuffer needs (RFC 6381); H.265 goes out as H.264 Main.
      'x-kuzet-codec': codecFamily(plan.codec) === 'h265' ? TRANSCODED_CODEC : /^(avc[13])\./.test(plan.codec) ? plan.codec : 'avc1.640028',
    };
    if (codecFamily(plan.codec) === 'h265') headers['x-kuzet-transcoded'] = 'h265';
    if (next) headers['x-kuzet-next'] = next.toISOString();
    const bytes = withCleanup(planBytes(plan, originMs), plan);
    if (codecFamily(plan.codec) === 'h265') {
      const t = transcodeToH264(bytes, this.opts.log);
      return { headers, stream: t.stream, stop: t.stop };
    }
    const stream = Readable.from(bytes, { objectMode: false, highWaterMark: 1 });
    return { headers, stream, stop: () => stream.destroy() };
  }

  private async auditPlayback(actor: Actor, cameraId: string, complexId: string, startMs: number, endMs: number): Promise<void> {
    const now = this.clock.now().getTime();
    const key = `${actor.id}:${cameraId}`;
    const prev = this.viewings.get(key);
    // A later chunk of the same viewing: continues (or re-reads) what was just played.
    if (prev && now - prev.at < PLAYBACK_AUDIT_WINDOW_MS && startMs >= prev.fromMs - 60_000 && startMs <= prev.endMs + 60_000) {
      prev.endMs = Math.max(prev.endMs, endMs);
      return;
    }
    await this.audit.append({
      action: 'video.playback_viewed',
      actorId: actor.id,
      actorName: actor.displayName,
      subjectType: 'camera',
      subjectId: cameraId,
      complexId,
      details: { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString() },
    });
    if (this.viewings.size > 5000) {
      for (const [k, v] of this.viewings) if (now - v.at >= PLAYBACK_AUDIT_WINDOW_MS) this.viewings.delete(k);
    }
    this.viewings.set(key, { at: now, fromMs: startMs, endMs });
  }

  async snapshot(actor: Actor, cameraId: string, atIso: string): Promise<{ jpeg: Buffer; fileName: string }> {
    const at = ms(atIso);
    if (at > this.clock.now().getTime()) throw bad('at', `"at" (${atIso}) is in the future.`);
    const plan = await this.planAt(cameraId, at);
    if (!plan) throw new DomainError('RECORDING_NOT_FOUND', { at: atIso }, 'Nothing is recorded at this instant: pick a time inside a recorded range.');
    const complexId = await this.cameras.complexOf(cameraId).catch(async (err: unknown) => {
      await closePlan(plan);
      throw err;
    });
    const jpeg = await this.snapshots.run(() => snapshotJpeg(plan, at)).catch(async (err: unknown) => {
      await closePlan(plan);
      throw err;
    });
    await this.audit.append({
      action: 'video.exported',
      actorId: actor.id,
      actorName: actor.displayName,
      subjectType: 'camera',
      subjectId: cameraId,
      complexId,
      details: { kind: 'snapshot', at: new Date(at).toISOString() },
    });
    const name = (await this.cameras.get(cameraId)).name;
    return { jpeg, fileName: snapshotName(name, at) };
  }

  /** The GOP holding `at` (null when `at` falls in a gap or its file is gone). */
  private async planAt(cameraId: string, at: number): Promise<MediaPlan | null> {
    const rows = await this.repo.mediaRows(cameraId, new Date(at), new Date(at + 1), 2);
    const holding = rows.filter((r) => r.startAt.getTime() <= at && r.endAt.getTime() > at);
    const plan = await planMedia(this.opts.recordingsDir, holding, at, at + 1, at - SEGMENT_MAX_MS);
    if (plan && (plan.startMs > at || plan.endMs <= at)) {
      await closePlan(plan);
      return null;
    }
    return plan;
  }

  async createClip(actor: Actor, cameraId: string, body: CreateClip): Promise<ClipJob> {
    const start = ms(body.start);
    const end = ms(body.end);
    if (end <= start) throw new DomainError('VALIDATION_FAILED', { fields: [{ in: 'body', field: 'end', message: '"end" must be after "start".' }] }, '"end" must be after "start".');
    if (end - start > CLIP_MAX_SECONDS * 1000) {
      const m = `A clip may be at most ${CLIP_MAX_SECONDS / 60} minutes long: split the range into several clips.`;
      throw new DomainError('VALIDATION_FAILED', { fields: [{ in: 'body', field: 'end', message: m }] }, m);
    }
    const rows = await this.repo.mediaRows(cameraId, new Date(start), new Date(end));
    if (!rows.length) throw new DomainError('RECORDING_NOT_FOUND', { start: body.start, end: body.end }, 'Nothing is recorded in this range.');
    const camera = await this.cameras.get(cameraId);
    const complexId = await this.cameras.complexOf(cameraId);
    const totalBytes = rows.reduce((s, r) => s + Number(r.bytes ?? 0), 0);
    return this.clips.create({
      cameraId,
      complexId,
      ownerId: actor.id,
      cameraName: camera.name,
      startMs: start,
      endMs: end,
      totalBytes,
      plans: () => this.clipPlans(cameraId, start, end),
    });
  }

  /** The range's footage as consecutive runs (a gap or a deleted file starts a new run). */
  private async clipPlans(cameraId: string, start: number, end: number): Promise<MediaPlan[]> {
    const plans: MediaPlan[] = [];
    let cursor = start;
    const origin = start - SEGMENT_MAX_MS;
    while (cursor < end && plans.length < 200) {
      const rows = await this.repo.mediaRows(cameraId, new Date(cursor), new Date(end));
      const plan = await planMedia(this.opts.recordingsDir, rows, cursor, end, plans.length ? cursor : origin);
      if (!plan) break;
      const last = plans[plans.length - 1];
      if (last && codecFamily(plan.codec) !== codecFamily(last.codec)) {
        await closePlan(plan);
        break;
      }
      plans.push(plan);
      if (plan.endMs <= cursor) break;
      cursor = plan.endMs;
    }
    return plans;
  }

  clip(actor: Actor, cameraId: string, clipId: string): ClipJob {
    const r = this.clips.get(clipId);
    // Another person's clip is not theirs to see: same answer as none at all.
    if (!r || r.job.cameraId !== cameraId || r.ownerId !== actor.id) throw new DomainError('CLIP_NOT_FOUND');
    return { ...r.job };
  }

  async clipFile(actor: Actor, cameraId: string, clipId: string): Promise<{ path: string; fileName: string; bytes: number }> {
    const job = this.clip(actor, cameraId, clipId);
    const r = this.clips.get(clipId)!;
    if (job.state !== 'done' || !r.file) throw new DomainError('CLIP_NOT_READY', { state: job.state, progress: job.progress, error: job.error });
    await this.audit.append({
      action: 'video.exported',
      actorId: actor.id,
      actorName: actor.displayName,
      subjectType: 'camera',
      subjectId: cameraId,
      complexId: r.complexId,
      details: { kind: 'clip', clipId, start: job.start, end: job.end, firstFrame: r.firstMs ? new Date(r.firstMs).toISOString() : null, fileName: job.fileName },
    });
    return { path: r.file, fileName: job.fileName ?? path.basename(r.file), bytes: job.bytes ?? 0 };
  }

  async bookmarks(cameraId: string, fromIso: string, toIso: string): Promise<Bookmark[]> {
    const { from, to } = window(fromIso, toIso, 31 * DAY_MS, '31 days');
    return (await this.repo.bookmarks(cameraId, new Date(from), new Date(to))).map(toBookmark);
  }

  async createBookmark(actor: Actor, cameraId: string, body: CreateBookmark): Promise<Bookmark> {
    const complexId = await this.cameras.complexOf(cameraId);
    const id = crypto.randomUUID();
    await this.repo.insertBookmark({ id, complexId, cameraId, at: new Date(body.at), note: body.note, createdBy: actor.id });
    const row = await this.repo.bookmark(cameraId, id);
    return toBookmark(row!);
  }

  /** The author removes their bookmark; inspectors, chiefs and admins any. */
  async deleteBookmark(actor: Actor, cameraId: string, bookmarkId: string): Promise<void> {
    const row = await this.repo.bookmark(cameraId, bookmarkId);
    if (!row) throw new DomainError('BOOKMARK_NOT_FOUND');
    const own = await this.repo.db.selectFrom('recordingBookmarks').select('createdBy').where('id', '=', bookmarkId).executeTakeFirst();
    if (actor.role === 'operator' && own?.createdBy !== actor.id) throw new DomainError('FORBIDDEN', null, 'An operator may delete only their own bookmarks.');
    await this.repo.deleteBookmark(cameraId, bookmarkId);
  }
}

function toBookmark(r: { id: string; cameraId: string; at: Date; note: string; createdAt: Date; author: string | null }): Bookmark {
  return { id: r.id, cameraId: r.cameraId, at: r.at.toISOString(), note: r.note, createdBy: r.author ?? '', createdAt: r.createdAt.toISOString() };
}

function snapshotName(cameraName: string, at: number): string {
  return clipName(cameraName, at).replace(/\.mp4$/, '.jpg');
}

/** Closes the plan's files however the stream ends (done, client gone, error). */
async function* withCleanup(gen: AsyncGenerator<Buffer>, plan: MediaPlan): AsyncGenerator<Buffer> {
  try {
    yield* gen;
  } finally {
    await closePlan(plan);
  }
}
