import { sql, type Kysely } from 'kysely';

// Issue 9: the preventive registry (профилактический учёт) and door-to-door visits
// (подворный обход). PostgreSQL 15 and PGlite alike; forward-only. Every row of these
// tables belongs to a complex, except the category list, which is reference data shared by
// all complexes (like roles): the 2026 categories, seeded here, with ru/kk/en names.
// Rows naming a person cascade from persons, so erasing a person (people module) removes
// their registry records, check-ins and "met at the door" links too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table prevention_categories (
      code text primary key,
      track text not null check (track in ('adult','minor')),
      name_ru text not null,
      name_kk text not null,
      name_en text not null,
      sort integer not null,
      active boolean not null default true
    );
    insert into prevention_categories (code, track, name_ru, name_kk, name_en, sort) values
      ('protective_order', 'adult', 'Защитное предписание', 'Қорғау нұсқамасы', 'Protective order', 10),
      ('behaviour_requirements', 'adult', 'Особые требования к поведению', 'Мінез-құлыққа қойылатын ерекше талаптар', 'Special requirements on behaviour', 20),
      ('parole', 'adult', 'Условно-досрочное освобождение (УДО)', 'Шартты түрде мерзімінен бұрын босату (ШМБ)', 'Parole', 30),
      ('administrative_supervision', 'adult', 'Административный надзор', 'Әкімшілік қадағалау', 'Administrative supervision', 40),
      ('official_warning', 'adult', 'Официальное предостережение', 'Ресми ескерту', 'Official warning', 50),
      ('non_custodial_sentence', 'adult', 'Наказание, не связанное с лишением свободы', 'Бас бостандығынан айырумен байланысты емес жаза', 'Non-custodial sentence', 60),
      ('unexpunged_record', 'adult', 'Непогашенная судимость', 'Өтелмеген сотталғандық', 'Unexpunged criminal record', 70),
      ('minor', 'minor', 'Несовершеннолетний', 'Кәмелетке толмаған', 'Minor', 80),
      ('minor_parent', 'minor', 'Родитель несовершеннолетнего', 'Кәмелетке толмағанның ата-анасы', 'Parent of a minor', 90);

    create table prevention_records (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      person_id uuid not null references persons(id) on delete cascade,
      category_code text not null references prevention_categories(code),
      basis text not null,
      starts_on date not null,
      ends_on date,
      inspector_id uuid not null references users(id),
      periodicity text not null check (periodicity in ('weekly','biweekly','monthly','quarterly')),
      next_due_on date not null,
      closed_at timestamptz,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (ends_on is null or ends_on >= starts_on)
    );
    create index prevention_records_due_idx on prevention_records(complex_id, inspector_id, next_due_on) where closed_at is null;
    create index prevention_records_person_idx on prevention_records(person_id);

    create table prevention_check_ins (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      record_id uuid not null references prevention_records(id) on delete cascade,
      checked_on date not null,
      outcome text not null check (outcome in ('met','not_found','violation')),
      note text not null default '',
      recorded_by uuid references users(id),
      recorded_at timestamptz not null default now()
    );
    create index prevention_check_ins_record_idx on prevention_check_ins(record_id, checked_on);

    create table visit_rounds (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      name text not null,
      planned_on date not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index visit_rounds_complex_idx on visit_rounds(complex_id, planned_on);
    create table visit_round_entrances (
      round_id uuid not null references visit_rounds(id) on delete cascade,
      complex_id uuid not null references complexes(id),
      building_id uuid not null references buildings(id),
      entrance_id uuid not null references entrances(id),
      primary key (round_id, entrance_id)
    );
    create table visit_outcomes (
      id uuid primary key,
      complex_id uuid not null references complexes(id),
      round_id uuid not null references visit_rounds(id) on delete cascade,
      apartment_id uuid not null references apartments(id),
      outcome text not null check (outcome in ('visited','no_answer','refused')),
      people_met_count integer not null default 0 check (people_met_count >= 0),
      problems jsonb not null default '[]',
      note text not null default '',
      recorded_by uuid references users(id),
      recorded_at timestamptz not null,
      unique (round_id, apartment_id)
    );
    create table visit_outcome_people (
      outcome_id uuid not null references visit_outcomes(id) on delete cascade,
      complex_id uuid not null references complexes(id),
      person_id uuid not null references persons(id) on delete cascade,
      primary key (outcome_id, person_id)
    );
    create index visit_outcome_people_person_idx on visit_outcome_people(person_id);
  `.execute(db);
}
