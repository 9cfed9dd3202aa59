import { sql, type Kysely } from 'kysely';

// Saved video-wall layouts, per user. Forward-only; PostgreSQL 15.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table wall_layouts (
      id uuid primary key,
      user_id uuid not null references users(id),
      name text not null,
      grid integer not null check (grid in (1, 4, 9, 16, 25)),
      cells jsonb not null,
      updated_at timestamptz not null default now()
    );
    create index wall_layouts_user_idx on wall_layouts(user_id, name);
  `.execute(db);
}
