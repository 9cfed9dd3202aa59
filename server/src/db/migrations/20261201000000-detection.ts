import { sql, type Kysely } from 'kysely';

// Issue 10: detection zones and events, alerts and their feed, and the incident journal in
// issue 11's final shape (incident types as data, parties, links). Forward-only; PostgreSQL 15
// and PGlite. Snapshots are bytea in their own table (see server/src/modules/events/README.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table detection_settings (
      camera_id uuid primary key references cameras(id) on delete cascade,
      enabled boolean not null default true,
      updated_at timestamptz not null default now()
    );

    create table detection_zones (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      camera_id uuid not null references cameras(id) on delete cascade,
      name text not null,
      kind text not null check (kind in ('include','exclude')),
      -- [[x, y], ...] normalized 0..1 of the picture
      polygon jsonb not null,
      sensitivity int not null check (sensitivity between 1 and 10),
      min_object_size double precision not null,
      -- { kind: 'always' } | { kind: 'window', from: 'HH:MM', to: 'HH:MM', days: [1..7] } (Almaty time)
      schedule jsonb not null,
      cooldown_seconds int not null,
      enabled boolean not null default true,
      sort_order int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index detection_zones_camera_idx on detection_zones(camera_id, sort_order);

    create table detection_events (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      -- null for group_offline (cameras in camera_ids)
      camera_id uuid references cameras(id) on delete cascade,
      kind text not null check (kind in ('motion','tamper','offline','online','recording_failed','group_offline')),
      -- no foreign key: a zone may be removed while its events stay
      zone_id uuid,
      cause text,
      -- the detector's eventKey (motion, tamper): reports upsert by it
      event_key text unique,
      started_at timestamptz not null,
      ended_at timestamptz,
      peak_score double precision not null default 0,
      boxes jsonb not null default '[]',
      label text,
      camera_ids jsonb not null default '[]',
      -- an offline that is part of a group_offline event (no alert of its own)
      group_event_id uuid,
      has_snapshot boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index detection_events_camera_idx on detection_events(camera_id, started_at);
    create index detection_events_complex_idx on detection_events(complex_id, started_at);
    create index detection_events_open_idx on detection_events(camera_id, kind) where ended_at is null;

    create table detection_snapshots (
      event_id uuid primary key references detection_events(id) on delete cascade,
      jpeg bytea not null,
      taken_at timestamptz not null
    );

    -- The per-complex sequence of the alert feed: taken (row-locked) in the transaction that writes the feed row.
    create table alert_counters (
      complex_id uuid primary key references complexes(id),
      seq bigint not null
    );

    create table alerts (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      -- the feed seq of the alert's creation
      seq bigint not null,
      event_id uuid not null unique references detection_events(id) on delete cascade,
      status text not null check (status in ('new','acknowledged','assigned','dismissed','escalated')),
      priority text not null check (priority in ('high','normal','low')),
      assigned_to uuid references users(id),
      incident_id uuid,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (complex_id, seq)
    );
    create index alerts_open_idx on alerts(complex_id, seq) where status in ('new','acknowledged','assigned');

    -- The feed: every new alert and every status change, in seq order per complex.
    create table alert_feed (
      complex_id uuid not null references complexes(id),
      seq bigint not null,
      alert_id uuid not null references alerts(id) on delete cascade,
      at timestamptz not null,
      primary key (complex_id, seq)
    );

    create table alert_actions (
      id bigserial primary key,
      alert_id uuid not null references alerts(id) on delete cascade,
      at timestamptz not null,
      actor_id uuid not null references users(id),
      action text not null check (action in ('acknowledge','assign','dismiss','escalate')),
      note text,
      reason text check (reason in ('false_alarm','known_activity','test','other')),
      assignee_id uuid references users(id)
    );
    create index alert_actions_alert_idx on alert_actions(alert_id, id);

    create table incident_types (
      code text primary key,
      name_ru text not null,
      name_kk text not null,
      name_en text not null,
      sort_order int not null default 0,
      active boolean not null default true
    );
    insert into incident_types (code, name_ru, name_kk, name_en, sort_order) values
      ('theft', 'Кража', 'Ұрлық', 'Theft', 10),
      ('burglary_apartment', 'Кража из квартиры', 'Пәтерден ұрлық', 'Burglary: apartment', 20),
      ('burglary_storage', 'Кража из подвальной кладовой', 'Жертөле қоймасынан ұрлық', 'Burglary: basement storage', 30),
      ('burglary_car', 'Кража из автомобиля', 'Көліктен ұрлық', 'Burglary: car', 40),
      ('hooliganism', 'Хулиганство', 'Бұзақылық', 'Hooliganism', 50),
      ('domestic_violence', 'Бытовое насилие', 'Тұрмыстық зорлық-зомбылық', 'Domestic violence', 60),
      ('fight', 'Драка', 'Төбелес', 'Fight', 70),
      ('vandalism', 'Вандализм', 'Вандализм', 'Vandalism', 80),
      ('traffic_accident', 'ДТП во дворе', 'Ауладағы жол-көлік оқиғасы', 'Traffic accident in the yard', 90),
      ('missing_person', 'Пропажа человека', 'Адамның жоғалуы', 'Missing person', 100),
      ('other', 'Другое', 'Басқа', 'Other', 1000);

    -- 'YYYY-NNNNN' per complex per year
    create table incident_counters (
      complex_id uuid not null references complexes(id),
      year int not null,
      seq int not null,
      primary key (complex_id, year)
    );

    create table incidents (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      number text not null,
      type text not null references incident_types(code),
      occurred_at timestamptz not null,
      building_id uuid references buildings(id),
      entrance_id uuid references entrances(id),
      zone_id uuid references zones(id) on delete set null,
      -- [x, y] on the site plan
      position jsonb,
      description text not null default '',
      actions_taken text not null default '',
      outcome text check (outcome in ('resolved_on_site','administrative_protocol','handed_to_investigators','refused')),
      status text not null default 'open' check (status in ('open','closed')),
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (complex_id, number)
    );
    create index incidents_complex_idx on incidents(complex_id, occurred_at);

    create table incident_parties (
      id uuid primary key,
      incident_id uuid not null references incidents(id) on delete cascade,
      person_id uuid references persons(id) on delete set null,
      description text not null default '',
      role text not null check (role in ('victim','suspect','witness','applicant','other'))
    );
    create index incident_parties_incident_idx on incident_parties(incident_id);
    create index incident_parties_person_idx on incident_parties(person_id);

    create table incident_links (
      incident_id uuid not null references incidents(id) on delete cascade,
      kind text not null check (kind in ('alert','appeal','event')),
      ref_id uuid not null,
      primary key (incident_id, kind, ref_id)
    );
    create index incident_links_ref_idx on incident_links(kind, ref_id);
  `.execute(db);
}
