import { sql, type Kysely } from 'kysely';

// RTP transport per camera: auto (TCP, falling back to UDP), tcp or udp. Forward-only; PostgreSQL 15.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cameras add column transport text not null default 'auto' check (transport in ('auto','tcp','udp'));
  `.execute(db);
}
