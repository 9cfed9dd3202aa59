import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { KeyframeIndex } from '../../db/schema-recordings.ts';

/**
 * Reads of the recorder's index (recording_segments, _events, _holds) and the bookmarks.
 * Every query of a camera's footage goes through recording_segments_camera_idx
 * (camera_id, start_at): a file is at most SEGMENT_MAX_MS long, so "overlaps [from, to)"
 * is "starts in [from − SEGMENT_MAX_MS, to) and ends after from" — a bounded index range.
 */
export const SEGMENT_MAX_MS = 60 * 60_000;

export interface SpanRow {
  startAt: Date;
  endAt: Date;
  state: 'open' | 'closed' | 'recovered';
}

export interface MediaRow {
  id: number;
  path: string;
  startAt: Date;
  endAt: Date;
  codec: string;
  state: 'open' | 'closed' | 'recovered';
  bytes: number;
  keyframes: KeyframeIndex;
}

export interface EventRow {
  at: Date;
  kind: 'started' | 'stopped' | 'offline' | 'online';
  reason: string | null;
  source: 'recording' | 'status';
}

export class PlaybackRepository {
  constructor(readonly db: Database) {}

  /**
   * The timeline's one indexed query: the files overlapping [from, to) merged into
   * continuous ranges by the database (gaps and islands: a file starting more than
   * `toleranceMs` after every earlier one ended begins a new range). A day of one-minute
   * files is 1440 index rows and comes back as a handful of ranges — moving 1440 rows out
   * of PGlite's worker cost 2–4× more than the merge.
   */
  async spans(cameraId: string, from: Date, to: Date, toleranceMs: number): Promise<SpanRow[]> {
    const lo = new Date(from.getTime() - SEGMENT_MAX_MS);
    const rows = await sql<{ s: Date; e: Date; open: boolean }>`
      select min(s) as s, max(e) as e, bool_or(open) as open from (
        select s, e, open, sum(brk) over (order by s rows unbounded preceding) as grp from (
          select start_at as s, end_at as e, state = 'open' as open,
            case when start_at > max(end_at) over (order by start_at rows between unbounded preceding and 1 preceding)
              + make_interval(secs => ${toleranceMs / 1000}) then 1 else 0 end as brk
          from recording_segments
          where camera_id = ${cameraId} and start_at >= ${lo} and start_at < ${to} and end_at > ${from}
        ) files
      ) grouped
      group by grp order by 1`.execute(this.db);
    return rows.rows.map((r) => ({ startAt: new Date(r.s), endAt: new Date(r.e), state: r.open ? 'open' : 'closed' }));
  }

  /**
   * Why recording stopped and when the camera went offline/online around [from, to): the
   * recorder's events and the main stream's status changes in the window, plus the last
   * one of each before it (a gap at the window's start began earlier).
   */
  async gapEvents(cameraId: string, from: Date, to: Date): Promise<EventRow[]> {
    const rows = await sql<{ at: Date; kind: string; reason: string | null; source: 'recording' | 'status' }>`
      (select at, kind, reason, 'recording' as source from recording_events
        where camera_id = ${cameraId} and at < ${from} order by at desc limit 1)
      union all
      (select at, kind, reason, 'recording' as source from recording_events
        where camera_id = ${cameraId} and at >= ${from} and at < ${to})
      union all
      (select at, state as kind, reason, 'status' as source from camera_status_events
        where camera_id = ${cameraId} and stream = 'main' and at < ${from} order by at desc limit 1)
      union all
      (select at, state as kind, reason, 'status' as source from camera_status_events
        where camera_id = ${cameraId} and stream = 'main' and at >= ${from} and at < ${to})
    `.execute(this.db);
    return rows.rows
      .map((r) => ({ at: new Date(r.at), kind: r.kind as EventRow['kind'], reason: r.reason, source: r.source }))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  async holds(cameraId: string, from: Date, to: Date) {
    return this.db
      .selectFrom('recordingHolds')
      .selectAll()
      .where('cameraId', '=', cameraId)
      .where('startAt', '<', to)
      .where('endAt', '>', from)
      .orderBy('startAt')
      .execute();
  }

  async segmentsPage(cameraId: string, from: Date, to: Date, limit: number, offset: number) {
    const base = this.db
      .selectFrom('recordingSegments as s')
      .where('s.cameraId', '=', cameraId)
      .where('s.startAt', '>=', new Date(from.getTime() - SEGMENT_MAX_MS))
      .where('s.startAt', '<', to)
      .where('s.endAt', '>', from);
    const [items, total] = await Promise.all([
      base
        .select(['s.id', 's.cameraId', 's.startAt', 's.endAt', 's.bytes', 's.codec', 's.width', 's.height', 's.state'])
        .select((eb) =>
          eb
            .exists(
              eb
                .selectFrom('recordingHolds as h')
                .select('h.id')
                .whereRef('h.cameraId', '=', 's.cameraId')
                .whereRef('h.startAt', '<', 's.endAt')
                .whereRef('h.endAt', '>', 's.startAt')
                .where('h.releasedAt', 'is', null),
            )
            .as('held'),
        )
        .orderBy('s.startAt')
        .limit(limit)
        .offset(offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  /**
   * Files for a media response: the one holding `from` (or the first after it) and those
   * after, up to `limit` (exclusive), in order, with their seek points.
   */
  async mediaRows(cameraId: string, from: Date, limit: Date, max = 400): Promise<MediaRow[]> {
    return this.db
      .selectFrom('recordingSegments')
      .select(['id', 'path', 'startAt', 'endAt', 'codec', 'state', 'bytes', 'keyframes'])
      .where('cameraId', '=', cameraId)
      .where('startAt', '>=', new Date(from.getTime() - SEGMENT_MAX_MS))
      .where('startAt', '<', limit)
      .where('endAt', '>', from)
      .orderBy('startAt')
      .limit(max)
      .execute();
  }

  /** The first footage at or after `at` (its start, or `at` itself when a file covers it). */
  async nextFootage(cameraId: string, at: Date): Promise<Date | null> {
    const row = await this.db
      .selectFrom('recordingSegments')
      .select(['startAt'])
      .where('cameraId', '=', cameraId)
      .where('startAt', '>=', new Date(at.getTime() - SEGMENT_MAX_MS))
      .where('endAt', '>', at)
      .orderBy('startAt')
      .limit(1)
      .executeTakeFirst();
    if (!row) return null;
    return row.startAt.getTime() > at.getTime() ? row.startAt : at;
  }

  async bookmarks(cameraId: string, from: Date, to: Date) {
    return this.db
      .selectFrom('recordingBookmarks as b')
      .leftJoin('users as u', 'u.id', 'b.createdBy')
      .select(['b.id', 'b.cameraId', 'b.at', 'b.note', 'b.createdAt', 'u.displayName as author'])
      .where('b.cameraId', '=', cameraId)
      .where('b.at', '>=', from)
      .where('b.at', '<', to)
      .orderBy('b.at')
      .limit(1000)
      .execute();
  }

  async insertBookmark(row: { id: string; complexId: string; cameraId: string; at: Date; note: string; createdBy: string }) {
    await this.db.insertInto('recordingBookmarks').values(row).execute();
  }

  async bookmark(cameraId: string, id: string) {
    return this.db
      .selectFrom('recordingBookmarks as b')
      .leftJoin('users as u', 'u.id', 'b.createdBy')
      .select(['b.id', 'b.cameraId', 'b.at', 'b.note', 'b.createdAt', 'u.displayName as author'])
      .where('b.cameraId', '=', cameraId)
      .where('b.id', '=', id)
      .executeTakeFirst();
  }

  async deleteBookmark(cameraId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('recordingBookmarks').where('cameraId', '=', cameraId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
