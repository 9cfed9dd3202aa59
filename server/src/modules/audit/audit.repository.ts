import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AuditRow } from '../../db/schema.ts';

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

export class AuditRepository {
  constructor(private readonly db: Database) {}

  /** Runs `fn` inside a transaction that holds the chain head row locked. */
  async withLockedHead<T>(fn: (head: { seq: number; hash: string }, tx: Database) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      const head = await tx.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
      return fn(head, tx);
    });
  }

  async insert(tx: Database, row: NewAuditRow): Promise<void> {
    const { actorName, details, ...chained } = row;
    await tx.insertInto('auditLog').values(chained).execute();
    await tx
      .insertInto('auditDetails')
      .values({ seq: row.seq, actorName, details: details === null ? null : JSON.stringify(details) })
      .execute();
    await tx.updateTable('auditHead').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
  }

  /**
   * Clears (sets to null) the details of rows about a subject, or whose details mention
   * the subject's id or any of the needles. The chained columns stay: verify skips null details.
   */
  async eraseDetails(subjectId: string, needles: string[]): Promise<number> {
    // Case variants in JS: lower() on non-ASCII depends on the database's locale (C in PGlite).
    const variants = [subjectId, ...needles].flatMap((n) => [n, n.toLowerCase(), n.toUpperCase(), n.charAt(0).toUpperCase() + n.slice(1).toLowerCase()]);
    const patterns = [...new Set(variants)].map((n) => `%${n.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    const r = await this.db
      .updateTable('auditDetails')
      .set({ details: null })
      .where((eb) =>
        eb.or([
          eb('seq', 'in', eb.selectFrom('auditLog').select('seq').where('subjectId', '=', subjectId)),
          sql<boolean>`details::text like any(${sql.val(patterns)}::text[])`,
        ]),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
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
    let q = this.db
      .selectFrom('auditLog as l')
      .leftJoin('auditDetails as d', 'd.seq', 'l.seq')
      .leftJoin('users as u', 'u.id', 'l.actorId');
    if (filter.actorId) q = q.where('l.actorId', '=', filter.actorId);
    if (filter.action) q = q.where('l.action', '=', filter.action);
    if (filter.subjectType) q = q.where('l.subjectType', '=', filter.subjectType);
    if (filter.subjectId) q = q.where('l.subjectId', '=', filter.subjectId);
    if (filter.from) q = q.where('l.at', '>=', filter.from);
    if (filter.to) q = q.where('l.at', '<', filter.to);
    if (filter.complexIds) {
      const ids = filter.complexIds;
      q = q.where((eb) => (ids.length ? eb.or([eb('l.complexId', 'in', ids), eb('l.complexId', 'is', null)]) : eb('l.complexId', 'is', null)));
    }
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
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
