import { sql, type Kysely } from 'kysely';

// Issue 9: people and places of a complex. PostgreSQL 15 and PGlite alike (PGlite loads
// pg_trgm at open; on PostgreSQL pg_trgm is a trusted extension). Forward-only.
// Every row belongs to a complex. Personal data lives only in these tables and in
// search_keys; erasing a person deletes their rows here (see people/README.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;
    create table persons (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      last_name text not null,
      first_name text not null,
      patronymic text,
      iin text check (iin ~ '^[0-9]{12}$'),
      iin_implausible boolean not null default false,
      birth_date date,
      sex text check (sex in ('male','female')),
      notes text not null default '',
      consent text not null check (consent in ('law_enforcement','given','withdrawn')),
      source text not null,
      -- Kazakh alphabetical order as a byte-comparable key: both engines sort it alike (collate "C").
      sort_key text not null,
      archived_at timestamptz,
      archived_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index persons_iin_idx on persons(complex_id, iin) where iin is not null;
    create index persons_sort_idx on persons(complex_id, sort_key collate "C");
    create index persons_archived_idx on persons(complex_id, archived_at) where archived_at is not null;
    create table person_phones (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      person_id uuid not null references persons(id) on delete cascade,
      phone text not null check (phone ~ '^7[0-9]{10}$'),
      label text not null default ''
    );
    create index person_phones_person_idx on person_phones(person_id);
    create table residencies (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      person_id uuid not null references persons(id) on delete cascade,
      apartment_id uuid not null references apartments(id),
      relation text not null check (relation in ('owner','tenant','registered','family')),
      moved_in date,
      moved_out date,
      check (moved_out is null or moved_in is null or moved_out >= moved_in)
    );
    create index residencies_person_idx on residencies(person_id);
    create index residencies_apartment_idx on residencies(apartment_id);
    create table vehicles (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      plate text not null,
      plate_display text not null,
      make text not null default '',
      model text not null default '',
      colour text not null default '',
      owner_person_id uuid references persons(id) on delete cascade,
      parking_place text not null default '',
      notes text not null default ''
    );
    create unique index vehicles_plate_idx on vehicles(complex_id, plate);
    create index vehicles_owner_idx on vehicles(owner_person_id);
    create table premises (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      building_id uuid references buildings(id),
      name text not null,
      kind text not null check (kind in ('shop','cafe','office','service','pharmacy','other')),
      contact_name text not null default '',
      phone text check (phone ~ '^7[0-9]{10}$'),
      hours text not null default '',
      alarm_details text not null default '',
      notes text not null default ''
    );
    create index premises_complex_idx on premises(complex_id);
    create table management_companies (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      kind text not null check (kind in ('osi','ksk','uk')),
      name text not null,
      phone text check (phone ~ '^7[0-9]{10}$'),
      email text not null default '',
      address text not null default ''
    );
    create index management_companies_complex_idx on management_companies(complex_id);
    create table caretakers (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      management_company_id uuid references management_companies(id),
      building_id uuid references buildings(id),
      name text not null,
      position text not null default '',
      phone text check (phone ~ '^7[0-9]{10}$')
    );
    create index caretakers_complex_idx on caretakers(complex_id);
    -- The search box's keys: names folded to one Latin skeleton, phone digits, plates,
    -- apartments, IINs. Rebuilt from the entity on every change; deleted with it.
    create table search_keys (
      complex_id uuid not null references complexes(id),
      entity_type text not null check (entity_type in ('person','vehicle','premise','apartment')),
      entity_id uuid not null,
      field text not null check (field in ('name','phone','plate','iin','apartment','premise')),
      key text not null,
      -- The entity's place in the list (Kazakh alphabetical order): ties in the search follow it.
      sort_key text not null default ''
    );
    create index search_keys_entity_idx on search_keys(entity_id);
    create index search_keys_prefix_idx on search_keys(complex_id, field, key text_pattern_ops);
    -- One word's matches in list order, read straight off the index (a one-word query).
    create index search_keys_word_idx on search_keys(complex_id, key, sort_key collate "C");
    create index search_keys_trgm_idx on search_keys using gin (key gin_trgm_ops);
    -- The distinct name words of a complex (a few thousand even at 100,000 residents):
    -- typos are matched here by trigrams, then keys are found by exact word. Trigram
    -- scans over every key were the slow part (every "-ov" shares trigrams).
    -- Erasing a person deletes the words nobody else uses.
    create table search_terms (
      complex_id uuid not null references complexes(id),
      field text not null,
      key text not null,
      primary key (complex_id, field, key)
    );
    create index search_terms_trgm_idx on search_terms using gin (key gin_trgm_ops);
    -- Who was erased and when: no personal data, only what the audit log's subject ids point at.
    create table person_erasures (
      person_id uuid primary key,
      complex_id uuid not null references complexes(id),
      erased_at timestamptz not null,
      erased_by uuid
    );
  `.execute(db);
}
