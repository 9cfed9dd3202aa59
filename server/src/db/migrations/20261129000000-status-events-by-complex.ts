import { sql, type Kysely } from 'kysely';

// The uptime report reads a complex's main-stream events by time; without this index
// it scans the whole history, which only grows. Forward-only; PostgreSQL 15.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index camera_status_events_complex_idx on camera_status_events(complex_id, stream, at)`.execute(db);
}
