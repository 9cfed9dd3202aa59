import { sql, type Kysely } from 'kysely';

// Written for PostgreSQL 15 (production) and PGlite alike. Forward-only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table districts (
      id uuid primary key,
      name text not null,
      city text not null,
      created_at timestamptz not null default now()
    );
    create table complexes (
      id uuid primary key,
      district_id uuid not null references districts(id),
      name text not null,
      address text not null,
      plan_width double precision not null,
      plan_height double precision not null,
      plan_svg text,
      created_at timestamptz not null default now()
    );
    create index complexes_district_idx on complexes(district_id);
    create table buildings (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      name text not null,
      address text not null,
      floors integer not null check (floors between 1 and 200),
      footprint jsonb not null,
      sort_order integer not null default 0
    );
    create index buildings_complex_idx on buildings(complex_id, sort_order);
    create table entrances (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      building_id uuid not null references buildings(id),
      number integer not null,
      position jsonb not null,
      unique (building_id, number)
    );
    create table apartments (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      building_id uuid not null references buildings(id),
      entrance_id uuid not null references entrances(id),
      floor integer not null,
      number text not null,
      rooms integer,
      unique (building_id, number)
    );
    create index apartments_entrance_idx on apartments(entrance_id, floor);
    create table zones (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      name text not null,
      kind text not null check (kind in ('yard','playground','parking','perimeter','roof','basement','other')),
      polygon jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index zones_complex_idx on zones(complex_id);
    create table users (
      id uuid primary key,
      username text not null,
      display_name text not null,
      password_hash text not null,
      role text not null check (role in ('resident','partner','operator','inspector','district_chief','admin')),
      complex_id uuid references complexes(id),
      district_id uuid references districts(id),
      disabled boolean not null default false,
      totp_secret_enc text,
      totp_pending_enc text,
      language text not null default 'ru',
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      password_changed_at timestamptz not null default now()
    );
    create unique index users_username_idx on users(lower(username));
    create table sessions (
      id_hash text primary key,
      user_id uuid not null references users(id),
      csrf_token text not null,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      locked boolean not null default false,
      address text,
      user_agent text
    );
    create index sessions_user_idx on sessions(user_id);
    create table sign_in_failures (
      id bigserial primary key,
      account_key text not null,
      address text not null,
      device text,
      at timestamptz not null
    );
    create index sign_in_failures_account_idx on sign_in_failures(account_key, at);
    create index sign_in_failures_address_idx on sign_in_failures(address, at);
    create table audit_log (
      seq bigint primary key,
      at timestamptz not null,
      actor_id uuid,
      action text not null,
      subject_type text,
      subject_id text,
      complex_id uuid,
      details_digest text,
      prev_hash text not null,
      hash text not null
    );
    create index audit_log_actor_idx on audit_log(actor_id, seq);
    create index audit_log_subject_idx on audit_log(subject_type, subject_id, seq);
    create index audit_log_at_idx on audit_log(at);
    create table audit_details (
      seq bigint primary key references audit_log(seq),
      actor_name text,
      details jsonb
    );
    create table audit_head (
      id integer primary key check (id = 1),
      seq bigint not null,
      hash text not null
    );
    insert into audit_head (id, seq, hash) values (1, 0, '');
    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
