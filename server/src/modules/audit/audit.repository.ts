import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AuditRow, DB } from '../../db/schema.ts';

export interface AuditFilter {
  actorId?: string | undefined;
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  complexIds?: string[] | null;
}

export interface NewAuditRow extends Omit<AuditRow, 'at'> {
  at: Date;
  actorName: string | null;
  details: Record<string, unknown> | null;
}

/** A select over `audit_log as l` (joined or not) that the page's filter applies to. */
type WhereBuilder = SelectQueryBuilder<DB & { l: DB['auditLog'] }, 'l', object>;

export class AuditRepository {
  constructor(private readonly db: Database) {}

  /** Runs `fn` inside a transaction that holds the chain head row locked. */
  async withLockedHead<T>(fn: (head: { seq: number; hash: string }, tx: Database) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      const head = await tx.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
      return fn(head, tx);
    });
  }

  /**
   * The whole append in one statement, if the head is still `prev`: the head row is
   * updated only then (under its row lock), and the row and its details are inserted
   * only if it was. False: the head moved; nothing was written.
   */
  async appendIfHead(prev: { seq: number; hash: string }, row: NewAuditRow): Promise<boolean> {
    const details = row.details === null ? null : JSON.stringify(row.details);
    const r = await sql<{ n: number }>`
      with h as (
        update audit_head set seq = ${row.seq}::bigint, hash = ${row.hash}::text
        where id = 1 and seq = ${prev.seq}::bigint and hash = ${prev.hash}::text returning id
      ), l as (
        insert into audit_log (seq, at, actor_id, action, subject_type, subject_id, complex_id, details_digest, prev_hash, hash)
        select ${row.seq}::bigint, ${row.at}::timestamptz, ${row.actorId}::uuid, ${row.action}::text, ${row.subjectType}::text,
          ${row.subjectId}::text, ${row.complexId}::uuid, ${row.detailsDigest}::text, ${row.prevHash}::text, ${row.hash}::text from h
      ), d as (
        insert into audit_details (seq, actor_name, details) select ${row.seq}::bigint, ${row.actorName}::text, ${details}::jsonb from h
      )
      select count(*)::int as n from h`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0) === 1;
  }

  /** The row, its details and the new head in one statement (one round trip; every append pays it). */
  async insert(tx: Database, row: NewAuditRow): Promise<void> {
    const { actorName, details, ...chained } = row;
    await tx
      .with('l', (db) => db.insertInto('auditLog').values(chained))
      .with('d', (db) => db.insertInto('auditDetails').values({ seq: row.seq, actorName, details: details === null ? null : JSON.stringify(details) }))
      .updateTable('auditHead')
      .set({ seq: row.seq, hash: row.hash })
      .where('id', '=', 1)
      .execute();
  }

  /** Several chained rows in one statement per table (a wall opening 17 tiles), then the head once. */
  async insertMany(tx: Database, rows: readonly NewAuditRow[]): Promise<void> {
    const last = rows.at(-1);
    if (!last) return;
    await tx.insertInto('auditLog').values(rows.map(({ actorName: _n, details: _d, ...chained }) => chained)).execute();
    await tx
      .insertInto('auditDetails')
      .values(rows.map((r) => ({ seq: r.seq, actorName: r.actorName, details: r.details === null ? null : JSON.stringify(r.details) })))
      .execute();
    await tx.updateTable('auditHead').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
  }

  async *walk(batch = 1000): AsyncGenerator<AuditRow & { actorName: string | null; details: Record<string, unknown> | null; hasDetails: boolean }> {
    let after = -1;
    for (;;) {
      const rows = await this.db
        .selectFrom('auditLog as l')
        .leftJoin('auditDetails as d', 'd.seq', 'l.seq')
        .selectAll('l')
        .select(['d.actorName', 'd.details', sql<boolean>`d.seq is not null`.as('hasDetails')])
        .where('l.seq', '>', after)
        .orderBy('l.seq')
        .limit(batch)
        .execute();
      for (const r of rows) yield r as AuditRow & { actorName: string | null; details: Record<string, unknown> | null; hasDetails: boolean };
      if (rows.length < batch) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  async page(filter: AuditFilter, limit: number, offset: number) {
    const where = <Q extends WhereBuilder>(q: Q): Q => {
      let w = q;
      if (filter.actorId) w = w.where('l.actorId', '=', filter.actorId) as Q;
      if (filter.action) w = w.where('l.action', '=', filter.action) as Q;
      if (filter.subjectType) w = w.where('l.subjectType', '=', filter.subjectType) as Q;
      if (filter.subjectId) w = w.where('l.subjectId', '=', filter.subjectId) as Q;
      if (filter.from) w = w.where('l.at', '>=', filter.from) as Q;
      if (filter.to) w = w.where('l.at', '<', filter.to) as Q;
      if (filter.complexIds) {
        const ids = filter.complexIds;
        w = w.where((eb) => (ids.length ? eb.or([eb('l.complexId', 'in', ids), eb('l.complexId', 'is', null)]) : eb('l.complexId', 'is', null))) as Q;
      }
      return w;
    };
    // The count needs no joins (details and users are at most one row per entry).
    const total = await where(this.db.selectFrom('auditLog as l')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const q = where(this.db.selectFrom('auditLog as l').leftJoin('auditDetails as d', 'd.seq', 'l.seq').leftJoin('users as u', 'u.id', 'l.actorId'));
    const items = await q
      .select(['l.seq', 'l.at', 'l.actorId', 'l.action', 'l.subjectType', 'l.subjectId', 'l.complexId', 'd.details'])
      .select((eb) => eb.fn.coalesce('d.actorName', 'u.username').as('actorName'))
      .orderBy('l.seq', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return { items, total: Number(total.n) };
  }
}
