import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/** A recorded file retention may delete: not open, not under an unreleased hold of its camera. */
export interface DeletableSegment {
  id: number;
  path: string;
  bytes: number;
  cameraId: string;
  startAt: Date;
}

/** Not being written, and no unreleased hold of the same camera overlaps the file's time. */
const eligible = sql`s.state <> 'open' and not exists (
  select 1 from recording_holds h
  where h.camera_id = s.camera_id and h.released_at is null and h.start_at < s.end_at and h.end_at > s.start_at)`;

interface RawRow {
  id: number | string;
  path: string;
  bytes: number | string;
  cam: string;
  start: Date | string;
}

const toSegment = (r: RawRow): DeletableSegment => ({ id: Number(r.id), path: r.path, bytes: Number(r.bytes), cameraId: r.cam, startAt: new Date(r.start) });

/** The queries of retention (recording_segments, recording_holds, cameras). */
export class RetentionRepository {
  constructor(private readonly db: Database) {}

  /**
   * Files wholly older than their camera's retention (a deleted camera's row keeps its
   * retention_days, so its footage keeps following it), oldest first.
   */
  async expiredByAge(now: Date, limit: number): Promise<DeletableSegment[]> {
    const r = await sql<RawRow>`
      select s.id, s.path, s.bytes, s.camera_id as cam, s.start_at as start
      from recording_segments s join cameras c on c.id = s.camera_id
      where s.end_at < ${now.toISOString()}::timestamptz - make_interval(days => c.retention_days) and ${eligible}
      order by s.start_at, s.id
      limit ${limit}`.execute(this.db);
    return r.rows.map(toSegment);
  }

  /** The oldest deletable files across cameras, after a (start, id) cursor. */
  async oldest(after: { startAt: Date; id: number } | null, limit: number): Promise<DeletableSegment[]> {
    const cursor = after ? sql`and (s.start_at, s.id) > (${after.startAt.toISOString()}::timestamptz, ${after.id})` : sql``;
    const r = await sql<RawRow>`
      select s.id, s.path, s.bytes, s.camera_id as cam, s.start_at as start
      from recording_segments s
      where ${eligible} ${cursor}
      order by s.start_at, s.id
      limit ${limit}`.execute(this.db);
    return r.rows.map(toSegment);
  }

  /** All footage in the index, in bytes. */
  async totalBytes(): Promise<number> {
    const r = await sql<{ n: number | string | null }>`select coalesce(sum(bytes), 0)::bigint as n from recording_segments`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  async deleteRows(ids: readonly number[]): Promise<void> {
    if (ids.length) await this.db.deleteFrom('recordingSegments').where('id', 'in', [...ids]).execute();
  }
}
