import type { AuditAction, AuditEntry, AuditQuery, AuditVerifyResult } from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { readHeadFile, writeHeadFile } from './audit-head.ts';
import { chainHash, detailsDigest } from './audit.chain.ts';
import type { AuditFilter, AuditRepository } from './audit.repository.ts';

export interface AuditEvent {
  action: AuditAction;
  actorId?: string | null;
  actorName?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  complexId?: string | null;
  /** Free-form context; may hold personal data: kept outside the chained part. */
  details?: Record<string, unknown> | null;
}

/**
 * The append-only, tamper-evident audit log. Appends are serialised (in process by a
 * queue, across processes by the locked head row); each row's HMAC covers the
 * previous row's, and the newest head is also written to a file outside the database.
 */
export class AuditService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: AuditRepository,
    private readonly key: Buffer,
    private readonly headFile: string,
    private readonly clock: Clock,
  ) {}

  append(event: AuditEvent): Promise<number> {
    const run = this.queue.then(() => this.appendNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(e: AuditEvent): Promise<number> {
    const actorName = e.actorName ?? null;
    const details = e.details ?? null;
    const head = await this.repo.withLockedHead(async (h, tx) => {
      // Timestamps are stored with microsecond precision; keep milliseconds so the hash input round-trips.
      const at = new Date(Math.floor(this.clock.now().getTime()));
      const fields = {
        seq: h.seq + 1,
        at,
        actorId: e.actorId ?? null,
        action: e.action,
        subjectType: e.subjectType ?? null,
        subjectId: e.subjectId ?? null,
        complexId: e.complexId ?? null,
        detailsDigest: detailsDigest(this.key, actorName, details),
        prevHash: h.hash,
      };
      const hash = chainHash(this.key, fields);
      await this.repo.insert(tx, { ...fields, hash, actorName, details });
      return { seq: fields.seq, hash };
    });
    writeHeadFile(this.headFile, head);
    return head.seq;
  }

  async list(q: AuditQuery, complexIds: string[] | null): Promise<{ items: AuditEntry[]; total: number }> {
    const filter: AuditFilter = {
      actorId: q.actorId,
      action: q.action,
      subjectType: q.subjectType,
      subjectId: q.subjectId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      complexIds,
    };
    const { items, total } = await this.repo.page(filter, q.limit, q.offset);
    return {
      total,
      items: items.map((r) => ({
        seq: r.seq,
        at: r.at.toISOString(),
        actorId: r.actorId,
        actorName: r.actorName ?? null,
        action: r.action as AuditAction,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        complexId: r.complexId,
        details: (r.details as Record<string, unknown> | null) ?? null,
      })),
    };
  }

  /** Erasure of a person: the details naming them go; the chain (ids only) stays and verifies. */
  async eraseDetailsOf(subjectId: string, needles: string[]): Promise<number> {
    await this.queue;
    return this.repo.eraseDetails(subjectId, needles);
  }

  /** Walks the whole chain and names the first row that is wrong. */
  async verify(): Promise<AuditVerifyResult> {
    await this.queue;
    const fileHead = readHeadFile(this.headFile);
    let expected = 1;
    let prevHash = '';
    let rows = 0;
    const bad = (seq: number, problem: string): AuditVerifyResult => ({
      ok: false,
      rows,
      headSeq: fileHead?.seq ?? null,
      firstBadSeq: seq,
      problem,
    });
    for await (const r of this.repo.walk()) {
      if (r.seq !== expected) {
        return bad(expected, `Row ${expected} is missing: the next row present is ${r.seq}.`);
      }
      if (r.prevHash !== prevHash) return bad(r.seq, `Row ${r.seq} does not link to row ${r.seq - 1}.`);
      const hash = chainHash(this.key, { ...r, at: r.at });
      if (hash !== r.hash) return bad(r.seq, `Row ${r.seq} was altered: its hash does not match its contents.`);
      if (r.hasDetails && r.details !== null) {
        const digest = detailsDigest(this.key, r.actorName, r.details);
        if (digest !== r.detailsDigest) return bad(r.seq, `The details of row ${r.seq} were altered.`);
      }
      if (fileHead && r.seq === fileHead.seq && r.hash !== fileHead.hash) {
        return bad(r.seq, `Row ${r.seq} differs from the head recorded outside the database: the chain was rebuilt.`);
      }
      prevHash = r.hash;
      expected = r.seq + 1;
      rows++;
    }
    const last = expected - 1;
    if (fileHead && last < fileHead.seq) {
      return bad(last + 1, `Rows ${last + 1}..${fileHead.seq} are missing: the newest rows were deleted.`);
    }
    if (!fileHead && last > 0) {
      return bad(last, `The audit head file ${this.headFile} is missing, so deletions at the end cannot be ruled out.`);
    }
    return { ok: true, rows, headSeq: fileHead?.seq ?? null, firstBadSeq: null, problem: null };
  }
}
