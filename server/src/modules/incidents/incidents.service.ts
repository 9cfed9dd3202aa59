import crypto from 'node:crypto';
import { CreateIncidentRequest, type Incident, type IncidentType } from '@kuzet/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { almatyDate } from '../../lib/almaty-time.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';

type CreateInput = ReturnType<typeof CreateIncidentRequest.parse>;

/**
 * The incident journal in issue 11's final shape. Issue 10 needs create (by hand or by
 * escalating an alert), get and list; the service desk adds editing, parties and the evidence.
 */
export class IncidentsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async types(): Promise<IncidentType[]> {
    const rows = await this.db.selectFrom('incidentTypes').select(['code', 'nameRu', 'nameKk', 'nameEn']).where('active', '=', true).orderBy('sortOrder').orderBy('code').execute();
    return rows;
  }

  async create(actor: Actor, complexId: string, input: CreateIncidentRequest): Promise<Incident> {
    const id = await this.db.transaction().execute((tx) => this.createIn(tx, actor, complexId, input));
    const incident = await this.get(id);
    await this.audited(actor, incident);
    return incident;
  }

  async audited(actor: Actor, incident: Incident): Promise<void> {
    await this.audit.append({
      action: 'incident.created',
      actorId: actor.id,
      subjectType: 'incident',
      subjectId: incident.id,
      complexId: incident.complexId,
      details: { number: incident.number, type: incident.type, links: incident.links },
    });
  }

  /** Inside the caller's transaction (escalating an alert creates the incident and changes the alert together). */
  async createIn(tx: Kysely<DB>, actor: Actor, complexId: string, raw: CreateIncidentRequest): Promise<string> {
    const input: CreateInput = CreateIncidentRequest.parse(raw);
    const type = await tx.selectFrom('incidentTypes').select('code').where('code', '=', input.type).where('active', '=', true).executeTakeFirst();
    if (!type) throw new DomainError('INCIDENT_TYPE_UNKNOWN', { field: 'type' });
    const place = { buildingId: input.place.buildingId ?? null, entranceId: input.place.entranceId ?? null, zoneId: input.place.zoneId ?? null, position: input.place.position ?? null };
    await this.checkPlace(tx, complexId, place);
    // Linked residents must be people of this complex (an unknown id is the caller's mistake, not a 500).
    const personIds = input.parties.flatMap((p) => (p.personId ? [p.personId] : []));
    if (personIds.length) {
      const known = new Set((await tx.selectFrom('persons').select('id').where('id', 'in', personIds).where('complexId', '=', complexId).execute()).map((r) => r.id));
      const i = input.parties.findIndex((p) => p.personId && !known.has(p.personId));
      if (i >= 0) throw new DomainError('VALIDATION_FAILED', { field: `parties.${i}.personId` }, 'No such resident in this complex: pick the person again from the registry.');
    }
    for (const l of input.links) {
      if (l.kind === 'appeal') continue; // appeals arrive with the service desk
      const table = l.kind === 'alert' ? 'alerts' : 'detectionEvents';
      const row = await tx.selectFrom(table).select('complexId').where('id', '=', l.refId).executeTakeFirst();
      if (row?.complexId !== complexId) throw new DomainError('INCIDENT_LINK_INVALID', { link: l });
    }
    const now = this.clock.now();
    const year = Number(almatyDate(now).slice(0, 4));
    const counter = await tx
      .insertInto('incidentCounters')
      .values({ complexId, year, seq: 1 })
      .onConflict((oc) => oc.columns(['complexId', 'year']).doUpdateSet((eb) => ({ seq: eb('incidentCounters.seq', '+', 1) })))
      .returning('seq')
      .executeTakeFirstOrThrow();
    const id = crypto.randomUUID();
    await tx
      .insertInto('incidents')
      .values({
        id,
        complexId,
        number: `${year}-${String(counter.seq).padStart(5, '0')}`,
        type: input.type,
        occurredAt: new Date(input.occurredAt),
        buildingId: place.buildingId,
        entranceId: place.entranceId,
        zoneId: place.zoneId,
        position: place.position ? JSON.stringify(place.position) : null,
        description: input.description,
        actionsTaken: input.actionsTaken,
        outcome: input.outcome,
        status: 'open',
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    if (input.parties.length) {
      await tx
        .insertInto('incidentParties')
        .values(input.parties.map((p) => ({ id: crypto.randomUUID(), incidentId: id, personId: p.personId, description: p.description, role: p.role })))
        .execute();
    }
    const links = [...new Map(input.links.map((l) => [`${l.kind}:${l.refId}`, l])).values()];
    if (links.length) await tx.insertInto('incidentLinks').values(links.map((l) => ({ incidentId: id, kind: l.kind, refId: l.refId }))).execute();
    return id;
  }

  private async checkPlace(tx: Kysely<DB>, complexId: string, p: { buildingId: string | null; entranceId: string | null; zoneId: string | null }): Promise<void> {
    const bad = (field: string) => new DomainError('VALIDATION_FAILED', { field: `place.${field}` }, `The ${field.replace('Id', '')} is not a part of this complex.`);
    if (p.buildingId && (await tx.selectFrom('buildings').select('complexId').where('id', '=', p.buildingId).executeTakeFirst())?.complexId !== complexId) throw bad('buildingId');
    if (p.entranceId && (await tx.selectFrom('entrances').select('complexId').where('id', '=', p.entranceId).executeTakeFirst())?.complexId !== complexId) throw bad('entranceId');
    if (p.zoneId && (await tx.selectFrom('zones').select('complexId').where('id', '=', p.zoneId).executeTakeFirst())?.complexId !== complexId) throw bad('zoneId');
  }

  async complexOf(incidentId: string): Promise<string> {
    const row = await this.db.selectFrom('incidents').select('complexId').where('id', '=', incidentId).executeTakeFirst();
    if (!row) throw new DomainError('INCIDENT_NOT_FOUND');
    return row.complexId;
  }

  async get(incidentId: string, db: Kysely<DB> = this.db): Promise<Incident> {
    const list = await this.load(db, [incidentId]);
    const inc = list[0];
    if (!inc) throw new DomainError('INCIDENT_NOT_FOUND');
    return inc;
  }

  async list(complexId: string, q: { status: 'open' | 'closed' | 'all'; limit: number; offset: number }) {
    let base = this.db.selectFrom('incidents').where('complexId', '=', complexId);
    if (q.status !== 'all') base = base.where('status', '=', q.status);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const ids = await base.select('id').orderBy('occurredAt', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute();
    return { items: await this.load(this.db, ids.map((r) => r.id)), total: Number(total.n), limit: q.limit, offset: q.offset };
  }

  private async load(db: Kysely<DB>, ids: string[]): Promise<Incident[]> {
    if (!ids.length) return [];
    const rows = await db.selectFrom('incidents as i').leftJoin('users as u', 'u.id', 'i.createdBy').selectAll('i').select('u.displayName as createdByName').where('i.id', 'in', ids).execute();
    const parties = await db.selectFrom('incidentParties').selectAll().where('incidentId', 'in', ids).orderBy('id').execute();
    const links = await db.selectFrom('incidentLinks').selectAll().where('incidentId', 'in', ids).orderBy('kind').orderBy('refId').execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      return [
        {
          id: r.id,
          complexId: r.complexId,
          number: r.number,
          type: r.type,
          occurredAt: new Date(r.occurredAt).toISOString(),
          place: { buildingId: r.buildingId, entranceId: r.entranceId, zoneId: r.zoneId, position: r.position },
          description: r.description,
          actionsTaken: r.actionsTaken,
          outcome: r.outcome,
          status: r.status,
          parties: parties.filter((p) => p.incidentId === id).map((p) => ({ id: p.id, personId: p.personId, description: p.description, role: p.role })),
          links: links.filter((l) => l.incidentId === id).map((l) => ({ kind: l.kind, refId: l.refId })),
          createdBy: { id: r.createdBy, displayName: r.createdByName ?? '' },
          createdAt: new Date(r.createdAt).toISOString(),
          updatedAt: new Date(r.updatedAt).toISOString(),
        },
      ];
    });
  }
}
