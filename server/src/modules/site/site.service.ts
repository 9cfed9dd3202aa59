import crypto from 'node:crypto';
import { districtRoles, type Building, type Complex, type SitePlan, type Zone, type ZoneKind } from '@kuzet/contracts';
import { DomainError } from '../../platform/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor, ComplexScope } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SiteRepository } from './site.repository.ts';

type Pt = [number, number];

/** The complex as a place: district → complex → buildings → entrances → apartments, and zones. */
export class SiteService {
  constructor(
    private readonly repo: SiteRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Complexes the actor may see (null: all). District roles see their district; others their complex. */
  async scopeOf(actor: Actor): Promise<ComplexScope> {
    if (districtRoles.includes(actor.role)) {
      return actor.districtId ? this.repo.complexIdsOfDistrict(actor.districtId) : null;
    }
    return actor.complexId ? [actor.complexId] : [];
  }

  async assertInScope(actor: Actor, complexId: string): Promise<void> {
    const scope = await this.scopeOf(actor);
    if (scope !== null && !scope.includes(complexId)) throw new DomainError('OUT_OF_SCOPE');
  }

  /** Resolves the complex a route's params point at (for the policy's scope check). */
  async complexOf(params: { complexId?: string; buildingId?: string }): Promise<string> {
    if (params.complexId) {
      if (!(await this.repo.complex(params.complexId))) throw new DomainError('COMPLEX_NOT_FOUND');
      return params.complexId;
    }
    if (params.buildingId) {
      const b = await this.repo.building(params.buildingId);
      if (!b) throw new DomainError('BUILDING_NOT_FOUND');
      return b.complexId;
    }
    throw new Error('A complex-scoped route has neither :complexId nor :buildingId');
  }

  async districtExists(id: string): Promise<boolean> {
    return this.repo.districtExists(id);
  }

  async complexExists(id: string): Promise<boolean> {
    return !!(await this.repo.complex(id));
  }

  /** Which reference (building, entrance, zone) is not in the complex, or null when all are. */
  async refsOutside(complexId: string, refs: { buildingId: string | null; entranceId: string | null; zoneId: string | null }): Promise<string | null> {
    if (refs.buildingId && (await this.repo.complexOfRef('buildings', refs.buildingId)) !== complexId) return 'buildingId';
    if (refs.entranceId) {
      if ((await this.repo.complexOfRef('entrances', refs.entranceId)) !== complexId) return 'entranceId';
      if (refs.buildingId && (await this.repo.entranceBuilding(refs.entranceId)) !== refs.buildingId) return 'entranceId';
    }
    if (refs.zoneId && (await this.repo.complexOfRef('zones', refs.zoneId)) !== complexId) return 'zoneId';
    return null;
  }

  async insidePlan(complexId: string, [x, y]: [number, number]): Promise<boolean> {
    const c = await this.repo.complex(complexId);
    return !!c && x >= 0 && y >= 0 && x <= c.planWidth && y <= c.planHeight;
  }

  /** Resolves names people type in a CSV ("Блок 3", entrance 2, "Южный двор") to ids. */
  async resolveNames(complexId: string, names: { building?: string; entrance?: string; zone?: string }) {
    const out: { buildingId: string | null; entranceId: string | null; zoneId: string | null; errors: { field: string; message: string }[] } = {
      buildingId: null,
      entranceId: null,
      zoneId: null,
      errors: [],
    };
    const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
    if (names.building?.trim()) {
      const b = (await this.repo.buildingsByName(complexId)).find((x) => x.id === names.building!.trim() || norm(x.name) === norm(names.building!));
      if (b) out.buildingId = b.id;
      else out.errors.push({ field: 'building', message: `No building "${names.building}" in this complex` });
    }
    if (names.entrance?.trim()) {
      const n = Number(names.entrance);
      if (!out.buildingId || !Number.isInteger(n)) out.errors.push({ field: 'entrance', message: 'An entrance number needs a building' });
      else {
        const e = await this.repo.entranceByNumber(out.buildingId, n);
        if (e) out.entranceId = e.id;
        else out.errors.push({ field: 'entrance', message: `No entrance ${n} in this building` });
      }
    }
    if (names.zone?.trim()) {
      const z = (await this.repo.zones(complexId)).find((x) => x.id === names.zone!.trim() || norm(x.name) === norm(names.zone!));
      if (z) out.zoneId = z.id;
      else out.errors.push({ field: 'zone', message: `No zone "${names.zone}" in this complex` });
    }
    return out;
  }

  async complexes(actor: Actor): Promise<Complex[]> {
    const scope = await this.scopeOf(actor);
    const rows = await this.repo.complexes(null);
    return rows
      .filter((r) => scope === null || scope.includes(r.id))
      .map((r) => ({ ...r, buildingCount: Number(r.buildingCount ?? 0), apartmentCount: Number(r.apartmentCount ?? 0) }));
  }

  async sitePlan(complexId: string): Promise<SitePlan> {
    const c = await this.repo.complex(complexId);
    if (!c) throw new DomainError('COMPLEX_NOT_FOUND');
    const [summary] = (await this.repo.complexes(null)).filter((r) => r.id === complexId);
    const buildings = await this.buildingsWithEntrances(await this.repo.buildings(complexId));
    const zones = (await this.repo.zones(complexId)).map(toZone);
    return {
      complex: {
        id: c.id,
        districtId: c.districtId,
        name: c.name,
        address: c.address,
        buildingCount: Number(summary?.buildingCount ?? 0),
        apartmentCount: Number(summary?.apartmentCount ?? 0),
      },
      width: c.planWidth,
      height: c.planHeight,
      backgroundSvg: c.planSvg,
      buildings,
      zones,
    };
  }

  async building(id: string): Promise<Building> {
    const b = await this.repo.building(id);
    if (!b) throw new DomainError('BUILDING_NOT_FOUND');
    const [withEntrances] = await this.buildingsWithEntrances([b]);
    return withEntrances!;
  }

  async apartments(buildingId: string, q: { entrance?: number | undefined; floor?: number | undefined; limit: number; offset: number }) {
    if (!(await this.repo.building(buildingId))) throw new DomainError('BUILDING_NOT_FOUND');
    const page = await this.repo.apartments(buildingId, q, q.limit, q.offset);
    return { ...page, limit: q.limit, offset: q.offset };
  }

  async createZone(actor: Actor, complexId: string, input: { name: string; kind: ZoneKind; polygon: Pt[] }): Promise<Zone> {
    await this.checkPolygon(complexId, input.polygon);
    const now = this.clock.now();
    const row = await this.repo.insertZone({
      id: crypto.randomUUID(),
      complexId,
      name: input.name,
      kind: input.kind,
      polygon: JSON.stringify(input.polygon),
      createdAt: now,
      updatedAt: now,
    });
    await this.audit.append({ action: 'site.zone_created', actorId: actor.id, subjectType: 'zone', subjectId: row.id, complexId });
    return toZone(row);
  }

  async updateZone(actor: Actor, complexId: string, zoneId: string, input: { name?: string | undefined; kind?: ZoneKind | undefined; polygon?: Pt[] | undefined }): Promise<Zone> {
    if (input.polygon) await this.checkPolygon(complexId, input.polygon);
    const row = await this.repo.updateZone(complexId, zoneId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.polygon !== undefined ? { polygon: JSON.stringify(input.polygon) } : {}),
      updatedAt: this.clock.now(),
    });
    if (!row) throw new DomainError('ZONE_NOT_FOUND');
    await this.audit.append({ action: 'site.zone_updated', actorId: actor.id, subjectType: 'zone', subjectId: zoneId, complexId });
    return toZone(row);
  }

  async deleteZone(actor: Actor, complexId: string, zoneId: string): Promise<void> {
    if (!(await this.repo.deleteZone(complexId, zoneId))) throw new DomainError('ZONE_NOT_FOUND');
    await this.audit.append({ action: 'site.zone_deleted', actorId: actor.id, subjectType: 'zone', subjectId: zoneId, complexId });
  }

  private async checkPolygon(complexId: string, polygon: Pt[]): Promise<void> {
    const c = await this.repo.complex(complexId);
    if (!c) throw new DomainError('COMPLEX_NOT_FOUND');
    const outside = polygon.findIndex(([x, y]) => x < 0 || y < 0 || x > c.planWidth || y > c.planHeight);
    if (outside >= 0) {
      throw new DomainError('ZONE_INVALID_POLYGON', { point: outside, width: c.planWidth, height: c.planHeight });
    }
  }

  private async buildingsWithEntrances(rows: Awaited<ReturnType<SiteRepository['buildings']>>): Promise<Building[]> {
    const entrances = await this.repo.entrances(rows.map((b) => b.id));
    return rows.map((b) => ({
      id: b.id,
      complexId: b.complexId,
      name: b.name,
      address: b.address,
      floors: b.floors,
      footprint: b.footprint,
      entrances: entrances
        .filter((e) => e.buildingId === b.id)
        .map((e) => ({ id: e.id, buildingId: e.buildingId, number: e.number, position: e.position, apartmentCount: Number(e.apartmentCount ?? 0) })),
    }));
  }
}

function toZone(r: { id: string; complexId: string; name: string; kind: string; polygon: Pt[] }): Zone {
  return { id: r.id, complexId: r.complexId, name: r.name, kind: r.kind as ZoneKind, polygon: r.polygon };
}
