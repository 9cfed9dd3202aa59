import { sql, type Kysely } from 'kysely';

// Recording (issue 8): the index of recorded files, why recording stopped and started,
// legal holds and bookmarks. Files live under <data>/recordings (docs/decisions/0005-recording.md).
// Forward-only; PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table recording_segments (
      id bigserial primary key,
      complex_id uuid not null references complexes(id),
      camera_id uuid not null references cameras(id),
      stream text not null default 'main' check (stream in ('main','sub')),
      -- relative to <data>/recordings, '/' separated: <cameraId>/<YYYY-MM-DD Almaty>/<startMs>.mp4
      path text not null unique,
      start_at timestamptz not null,
      end_at timestamptz not null,
      bytes bigint not null default 0,
      codec text not null,
      width int,
      height int,
      -- [[ms from start_at, byte offset of the moof], ...] of the fragments that begin with a keyframe
      keyframes jsonb not null default '[]',
      state text not null default 'open' check (state in ('open','closed','recovered')),
      created_at timestamptz not null default now(),
      check (end_at >= start_at)
    );
    create index recording_segments_camera_idx on recording_segments(camera_id, start_at);
    create index recording_segments_start_idx on recording_segments(start_at);

    create table recording_events (
      id bigserial primary key,
      complex_id uuid not null references complexes(id),
      camera_id uuid not null references cameras(id),
      at timestamptz not null,
      kind text not null check (kind in ('started','stopped')),
      -- for stopped: recording_off | camera_offline | disk_full | write_error | server_down
      reason text
    );
    create index recording_events_camera_idx on recording_events(camera_id, at);

    create table recording_holds (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      camera_id uuid not null references cameras(id),
      start_at timestamptz not null,
      end_at timestamptz not null,
      reason text not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      released_at timestamptz,
      released_by uuid references users(id),
      check (end_at > start_at)
    );
    create index recording_holds_camera_idx on recording_holds(camera_id, start_at);

    create table recording_bookmarks (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      camera_id uuid not null references cameras(id),
      at timestamptz not null,
      note text not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index recording_bookmarks_camera_idx on recording_bookmarks(camera_id, at);
  `.execute(db);
}
