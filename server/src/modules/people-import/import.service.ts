import crypto from 'node:crypto';
import { maskIin, type ImportJob, type ImportMissingPage, type ImportRowPage, type ImportRowStatus, type PersonSummary } from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import type { PeopleBulk, RegistryPerson } from '../people/people.bulk.ts';
import { fullName, identifies } from '../people/people.service.ts';
import { exportCsv } from './import.export.ts';
import { mapHeader, rawRow, usableHeader, type Column } from './import.columns.ts';
import { Planner, type Plan } from './import.plan.ts';
import { CHUNK, fileRows } from './import.read.ts';

export interface ImportSettings {
  /** How long a preview waits for its confirmation. */
  previewTtlMs: number;
}

interface Job {
  view: ImportJob;
  actorId: string;
  plan: Plan | null;
  version: string;
  persons: Map<string, RegistryPerson>;
  apartments: Map<string, string>;
  done: Promise<void>;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The residents' import: a preview job per upload (read, check, compare; nothing written),
 * kept in memory until confirmed or expired, and a confirmation that writes the valid rows
 * in one transaction. The export writes the registry as a CSV Excel opens.
 */
export class PeopleImportService {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly bulk: PeopleBulk,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: ImportSettings = { previewTtlMs: 30 * 60_000 },
  ) {}

  /** Starts a preview; its progress is read with job(). */
  start(actor: Actor, complexId: string, fileName: string, data: Buffer): ImportJob {
    this.sweep();
    const now = this.clock.now();
    const id = crypto.randomUUID();
    const view: ImportJob = {
      id,
      complexId,
      fileName,
      state: 'reading',
      progress: { done: 0, total: null },
      counts: null,
      error: null,
      columns: [],
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.settings.previewTtlMs).toISOString(),
      result: null,
    };
    const job: Job = { view, actorId: actor.id, plan: null, version: '', persons: new Map(), apartments: new Map(), done: Promise.resolve() };
    job.done = this.preview(job, data).catch((e: unknown) => {
      job.view.state = 'failed';
      job.view.error = e instanceof DomainError ? e.code : 'INTERNAL';
      if (!(e instanceof DomainError)) throw e;
    });
    this.jobs.set(id, job);
    return structuredClone(view);
  }

  private async preview(job: Job, data: Buffer): Promise<void> {
    const v = job.view;
    const snap = await this.bulk.snapshot(v.complexId);
    job.version = snap.version;
    for (const p of snap.persons) job.persons.set(p.id, p);
    for (const a of snap.apartments) job.apartments.set(a.id, `${a.buildingName}, кв. ${a.number}`);
    const planner = new Planner(snap.persons, snap.apartments, this.clock.now());
    const { rows, total } = fileRows(data);
    v.progress.total = total;
    let cols: (Column | null)[] | null = null;
    let line = 0;
    for await (const cells of rows) {
      line++;
      if (!cols) {
        cols = mapHeader(cells);
        v.columns = cells.map((header, i) => ({ header, field: cols![i] ?? null }));
        if (!usableHeader(cols)) throw new DomainError('IMPORT_NO_COLUMNS');
        v.state = 'checking';
        continue;
      }
      if (cells.every((c) => !c.trim())) continue;
      planner.add(line, rawRow(cols, cells));
      v.progress.done++;
      if (v.progress.done % CHUNK === 0) await yieldToLoop();
    }
    if (!cols) throw new DomainError('IMPORT_FILE_UNREADABLE');
    const plan = planner.finish();
    job.plan = plan;
    v.progress.total = v.progress.done;
    const count = (s: ImportRowStatus) => plan.rows.filter((r) => r.status === s).length;
    v.counts = { total: plan.rows.length, new: count('new'), changed: count('changed'), unchanged: count('unchanged'), invalid: count('invalid'), missing: plan.missing.length };
    v.state = 'ready';
  }

  private get(complexId: string, importId: string): Job {
    const job = this.jobs.get(importId);
    if (!job || job.view.complexId !== complexId) throw new DomainError('IMPORT_NOT_FOUND');
    if (job.view.state !== 'writing' && job.view.state !== 'done' && Date.parse(job.view.expiresAt) <= this.clock.now().getTime()) {
      this.jobs.delete(importId);
      throw new DomainError('IMPORT_EXPIRED');
    }
    this.sweep();
    return job;
  }

  job(complexId: string, importId: string): ImportJob {
    return structuredClone(this.get(complexId, importId).view);
  }

  /** Resolves when the preview has finished (tests and the CLI wait on it instead of polling). */
  async settled(complexId: string, importId: string): Promise<ImportJob> {
    await this.get(complexId, importId).done;
    return this.job(complexId, importId);
  }

  rows(complexId: string, importId: string, q: { status?: ImportRowStatus; limit: number; offset: number }): ImportRowPage {
    const plan = this.get(complexId, importId).plan;
    const all = (plan?.rows ?? []).filter((r) => !q.status || r.status === q.status);
    return { items: all.slice(q.offset, q.offset + q.limit), total: all.length, limit: q.limit, offset: q.offset };
  }

  missing(actor: Actor, complexId: string, importId: string, q: { limit: number; offset: number }): ImportMissingPage {
    const job = this.get(complexId, importId);
    const ids = job.plan?.missing ?? [];
    const full = identifies(actor);
    const items: PersonSummary[] = ids.slice(q.offset, q.offset + q.limit).map((id) => {
      const p = job.persons.get(id)!;
      return { id, name: fullName(p), iin: full ? p.iin : maskIin(p.iin), birthDate: full ? p.birthDate : null, apartments: p.residencies.filter((r) => !r.movedOut).map((r) => job.apartments.get(r.apartmentId) ?? ''), archived: p.archived };
    });
    return { items, total: ids.length, limit: q.limit, offset: q.offset };
  }

  /** Writes the preview's valid rows in one transaction; audited as one row with the counts. */
  async confirm(actor: Actor, complexId: string, importId: string): Promise<ImportJob> {
    const job = this.get(complexId, importId);
    const v = job.view;
    if (v.state !== 'ready' || !job.plan) throw new DomainError('IMPORT_NOT_READY');
    v.state = 'writing';
    const plan = job.plan;
    const source = `импорт ${v.fileName} ${v.createdAt.slice(0, 10)}`.slice(0, 200);
    let ok: boolean;
    try {
      ok = await this.bulk.apply(complexId, source, job.version, plan.creates, plan.updates);
    } catch (e) {
      v.state = 'ready';
      throw e;
    }
    if (!ok) {
      v.state = 'failed';
      v.error = 'IMPORT_REGISTRY_CHANGED';
      throw new DomainError('IMPORT_REGISTRY_CHANGED');
    }
    const counts = v.counts!;
    v.result = { created: plan.creates.length, updated: plan.updates.length, unchanged: counts.unchanged, skipped: counts.invalid };
    v.state = 'done';
    await this.audit.append({
      action: 'people.imported',
      actorId: actor.id,
      subjectType: 'complex',
      subjectId: complexId,
      complexId,
      details: { fileName: v.fileName, rows: counts.total, ...v.result, missing: counts.missing },
    });
    // The plan holds personal data: gone once written.
    job.plan = { ...plan, creates: [], updates: [] };
    return structuredClone(v);
  }

  /** The registry as CSV (UTF-8 with BOM, `;`): Excel in Russian opens it as columns. Audited. */
  async export(actor: Actor, complexId: string): Promise<Buffer> {
    const snap = await this.bulk.snapshot(complexId);
    const csv = exportCsv(snap.persons, snap.apartments, identifies(actor));
    await this.audit.append({ action: 'people.exported', actorId: actor.id, subjectType: 'complex', subjectId: complexId, complexId, details: { persons: snap.persons.length, masked: !identifies(actor) } });
    return csv;
  }

  /** Previews past their time are dropped with the personal data they hold. */
  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, job] of this.jobs) {
      // Expired previews are kept a while longer only to answer IMPORT_EXPIRED instead of NOT_FOUND.
      if (job.view.state === 'writing' || Date.parse(job.view.expiresAt) + this.settings.previewTtlMs > now) continue;
      this.jobs.delete(id);
    }
  }
}
