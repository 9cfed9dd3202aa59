import type { AuditAction, AuditEntry, AuditQuery, AuditVerifyResult } from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { readHeadFile, writeHeadFileAsync, type AuditHead } from './audit-head.ts';
import { chainHash, detailsDigest } from './audit.chain.ts';
import type { AuditFilter, AuditRepository, NewAuditRow } from './audit.repository.ts';

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
  /** The newest head not yet in the file, and the write under way (heads written in order, coalesced). */
  private unwrittenHead: AuditHead | null = null;
  private headWrite: Promise<void> | null = null;
  /** The head this process wrote last (null: read it from the database under lock). */
  private knownHead: AuditHead | null = null;

  constructor(
    private readonly repo: AuditRepository,
    private readonly key: Buffer,
    private readonly headFile: string,
    private readonly clock: Clock,
  ) {}

  /** Resolves with the row's seq once it is committed and the head file holds it (or a newer head). */
  append(event: AuditEvent): Promise<number> {
    const run = this.queue.then(() => this.appendNow(event));
    this.queue = run.catch(() => undefined);
    return run.then(async (head) => {
      await this.persistHead(head);
      return head.seq;
    });
  }

  /**
   * The head file is written off the main thread, and while one write is under way
   * only the newest head waits for the next: a burst of appends costs a few writes,
   * not one blocking rename each.
   */
  private persistHead(head: AuditHead): Promise<void> {
    this.unwrittenHead = head;
    this.headWrite ??= (async () => {
      try {
        while (this.unwrittenHead) {
          const h = this.unwrittenHead;
          this.unwrittenHead = null;
          await writeHeadFileAsync(this.headFile, h);
        }
      } finally {
        this.headWrite = null;
      }
    })();
    return this.headWrite;
  }

  private async appendNow(e: AuditEvent): Promise<AuditHead> {
    // Fast path: appends are serialised in this process, so the head we wrote last is
    // normally still the head; one statement moves it only if it is (and takes its row
    // lock, so another process's append waits or makes it fail). Otherwise — the first
    // append, another writer, a repaired table — read the head under lock as before.
    if (this.knownHead) {
      const row = this.row(e, this.knownHead);
      if (await this.repo.appendIfHead(this.knownHead, row)) return (this.knownHead = { seq: row.seq, hash: row.hash });
    }
    const head = await this.repo.withLockedHead(async (h, tx) => {
      const row = this.row(e, h);
      await this.repo.insert(tx, row);
      return { seq: row.seq, hash: row.hash };
    });
    this.knownHead = head;
    return head;
  }

  /**
   * Appends several entries in one transaction (one chain step each, in order): what a
   * wall opening many tiles at once needs before it may stream. Resolves their seqs.
   */
  appendMany(events: readonly AuditEvent[]): Promise<number[]> {
    const run = this.queue.then(() => this.appendManyNow(events));
    this.queue = run.catch(() => undefined);
    return run.then(async (head) => {
      if (!head) return [];
      await this.persistHead(head);
      return events.map((_, i) => head.seq - events.length + 1 + i);
    });
  }

  private async appendManyNow(events: readonly AuditEvent[]): Promise<AuditHead | null> {
    if (!events.length) return null;
    const head = await this.repo.withLockedHead(async (h, tx) => {
      let prev = h;
      const rows = events.map((e) => {
        const row = this.row(e, prev);
        prev = { seq: row.seq, hash: row.hash };
        return row;
      });
      await this.repo.insertMany(tx, rows);
      return prev;
    });
    this.knownHead = head;
    return head;
  }

  /** The chained row that follows `prev`. */
  private row(e: AuditEvent, prev: AuditHead): NewAuditRow {
    const actorName = e.actorName ?? null;
    const details = e.details ?? null;
    // Timestamps are stored with microsecond precision; keep milliseconds so the hash input round-trips.
    const at = new Date(Math.floor(this.clock.now().getTime()));
    const fields = {
      seq: prev.seq + 1,
      at,
      actorId: e.actorId ?? null,
      action: e.action,
      subjectType: e.subjectType ?? null,
      subjectId: e.subjectId ?? null,
      complexId: e.complexId ?? null,
      detailsDigest: detailsDigest(this.key, actorName, details),
      prevHash: prev.hash,
    };
    return { ...fields, hash: chainHash(this.key, fields), actorName, details };
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

  /** Walks the whole chain and names the first row that is wrong. */
  async verify(): Promise<AuditVerifyResult> {
    await this.queue;
    await this.headWrite;
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
