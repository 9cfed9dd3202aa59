import { sql, type Kysely } from 'kysely';

// Camera registry, status history and partner video grants. Forward-only; PostgreSQL 15.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cameras (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      name text not null,
      type text not null check (type in ('entrance','yard','playground','parking','perimeter','lift','other')),
      building_id uuid references buildings(id),
      entrance_id uuid references entrances(id),
      zone_id uuid references zones(id) on delete set null,
      position jsonb,
      direction double precision,
      field_of_view double precision,
      main_url text not null,
      sub_url text,
      username_enc text,
      password_enc text,
      recording_policy text not null default 'continuous' check (recording_policy in ('continuous','motion','off')),
      retention_days integer not null default 30 check (retention_days between 1 and 3650),
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    );
    create index cameras_complex_idx on cameras(complex_id, name);
    create table camera_status_events (
      id bigserial primary key,
      complex_id uuid not null references complexes(id),
      camera_id uuid not null references cameras(id),
      stream text not null check (stream in ('main','sub')),
      state text not null,
      reason text,
      at timestamptz not null
    );
    create index camera_status_events_camera_idx on camera_status_events(camera_id, at);
    create table camera_grants (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      camera_id uuid not null references cameras(id),
      user_id uuid not null references users(id),
      granted_by uuid references users(id),
      reason text not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index camera_grants_camera_idx on camera_grants(camera_id, expires_at);
  `.execute(db);
}
