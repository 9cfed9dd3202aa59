import crypto from 'node:crypto';
import { PutZonesRequest, type CameraZones, type DetectionZone } from '@kuzet/contracts';
import type { Database } from '../../db/database.ts';
import type { ZoneScheduleJson } from '../../db/schema-detection.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';

/**
 * Where zone changes go: the detector (DetectionService.setCameraConfig, h/detector) satisfies
 * this structurally; the lead wires it in server.ts. Must not throw.
 */
export interface DetectorConfigSink {
  setCameraConfig(cameraId: string, config: { enabled: boolean; zones: DetectionZone[] }): void;
}

interface ZoneRow {
  id: string;
  cameraId: string;
  name: string;
  kind: 'include' | 'exclude';
  polygon: [number, number][];
  sensitivity: number;
  minObjectSize: number;
  schedule: ZoneScheduleJson;
  cooldownSeconds: number;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function zoneDto(r: ZoneRow): DetectionZone {
  const s = r.schedule;
  return {
    id: r.id,
    cameraId: r.cameraId,
    name: r.name,
    kind: r.kind,
    polygon: r.polygon,
    sensitivity: r.sensitivity,
    minObjectSize: r.minObjectSize,
    schedule: s.kind === 'window' ? { kind: 'window', from: s.from ?? '00:00', to: s.to ?? '00:00', days: s.days ?? [1, 2, 3, 4, 5, 6, 7] } : { kind: 'always' },
    cooldownSeconds: r.cooldownSeconds,
    enabled: r.enabled,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

/** A camera's detection zones (include zones, exclude masks) and whether motion detection is on. */
export class ZonesService {
  private sink: DetectorConfigSink | null = null;

  constructor(
    private readonly db: Database,
    private readonly cameras: CamerasService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The detector; every camera's configuration is pushed to it at once (and on each change later). */
  async useDetector(sink: DetectorConfigSink): Promise<void> {
    const first = this.sink === null;
    this.sink = sink;
    for (const c of await this.allConfigs()) sink.setCameraConfig(c.cameraId, { enabled: c.enabled, zones: c.zones });
    // A camera added, changed or removed in the registry: the detector hears its current configuration
    // (a removed one: disabled, no zones).
    if (first) {
      this.cameras.onChange((cameraId) => {
        void this.get(cameraId).then(
          (c) => this.push(c),
          () => this.push({ cameraId, enabled: false, zones: [] }),
        );
      });
    }
  }

  /** Every camera's configuration (cameras without a row: enabled, no zones). */
  async allConfigs(): Promise<CameraZones[]> {
    const cams = await this.db.selectFrom('cameras').select('id').where('deletedAt', 'is', null).execute();
    const settings = await this.db.selectFrom('detectionSettings').selectAll().execute();
    const zones = await this.db.selectFrom('detectionZones').selectAll().orderBy('cameraId').orderBy('sortOrder').execute();
    const enabled = new Map(settings.map((s) => [s.cameraId, s.enabled]));
    const byCamera = new Map<string, DetectionZone[]>();
    for (const z of zones) {
      const list = byCamera.get(z.cameraId) ?? [];
      list.push(zoneDto(z));
      byCamera.set(z.cameraId, list);
    }
    return cams.map((c) => ({ cameraId: c.id, enabled: enabled.get(c.id) ?? true, zones: byCamera.get(c.id) ?? [] }));
  }

  async get(cameraId: string): Promise<CameraZones> {
    await this.cameras.complexOf(cameraId);
    const s = await this.db.selectFrom('detectionSettings').select('enabled').where('cameraId', '=', cameraId).executeTakeFirst();
    const rows = await this.db.selectFrom('detectionZones').selectAll().where('cameraId', '=', cameraId).orderBy('sortOrder').execute();
    return { cameraId, enabled: s?.enabled ?? true, zones: rows.map(zoneDto) };
  }

  /** Replaces the camera's zones with the list (validated by PutZonesRequest); an `id` keeps an existing zone's id. */
  async put(actor: Actor | null, cameraId: string, input: PutZonesRequest): Promise<CameraZones> {
    const req = PutZonesRequest.parse(input);
    const complexId = await this.cameras.complexOf(cameraId);
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('detectionZones').select(['id', 'createdAt']).where('cameraId', '=', cameraId).execute();
      const created = new Map(existing.map((e) => [e.id, e.createdAt]));
      await tx.deleteFrom('detectionZones').where('cameraId', '=', cameraId).execute();
      // An id of another camera's zone is not taken over: such a zone gets a new id.
      const wanted = req.zones.flatMap((z) => (z.id ? [z.id] : []));
      const foreign = new Set(wanted.length ? (await tx.selectFrom('detectionZones').select('id').where('id', 'in', wanted).execute()).map((r) => r.id) : []);
      if (req.zones.length) {
        await tx
          .insertInto('detectionZones')
          .values(
            req.zones.map((z, i) => {
              const id = z.id && !foreign.has(z.id) ? z.id : crypto.randomUUID();
              return {
                id,
                complexId,
                cameraId,
                name: z.name,
                kind: z.kind,
                polygon: JSON.stringify(z.polygon.map(([x, y]) => [round(x), round(y)])),
                sensitivity: z.sensitivity,
                minObjectSize: z.minObjectSize,
                schedule: JSON.stringify(z.schedule),
                cooldownSeconds: z.cooldownSeconds,
                enabled: z.enabled,
                sortOrder: i,
                createdAt: created.get(id) ?? now,
                updatedAt: now,
              };
            }),
          )
          .execute();
      }
      await tx
        .insertInto('detectionSettings')
        .values({ cameraId, enabled: req.enabled, updatedAt: now })
        .onConflict((oc) => oc.column('cameraId').doUpdateSet({ enabled: req.enabled, updatedAt: now }))
        .execute();
    });
    const result = await this.get(cameraId);
    if (actor) {
      await this.audit.append({
        action: 'detection.zones_updated',
        actorId: actor.id,
        subjectType: 'camera',
        subjectId: cameraId,
        complexId,
        details: { enabled: result.enabled, zones: result.zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, schedule: z.schedule })) },
      });
    }
    this.push(result);
    return result;
  }

  private push(c: CameraZones): void {
    try {
      this.sink?.setCameraConfig(c.cameraId, { enabled: c.enabled, zones: c.zones });
    } catch {
      // the sink must not throw; a failing detector does not undo a saved zone
    }
  }
}

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
