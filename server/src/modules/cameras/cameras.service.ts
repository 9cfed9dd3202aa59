import crypto from 'node:crypto';
import type { Camera, CameraTransport, CameraType, CreateCameraRequest, StreamKind, StreamStatus, UpdateCameraRequest } from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import { seal, unseal } from '../../platform/secrets.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SiteService } from '../site/site.service.ts';
import type { CameraRow, CamerasRepository } from './cameras.repository.ts';
import { joinCredentials, splitCredentials } from './credentials.ts';

/** Live status comes from the media engine; the registry only asks. */
export interface CameraStatusSource {
  statusOf(cameraId: string): StreamStatus[] | undefined;
}

/** What the media engine needs to connect: addresses with credentials. Never leaves the server. */
export interface CameraConnection {
  cameraId: string;
  complexId: string;
  streams: { stream: StreamKind; url: string; transport: CameraTransport }[];
}

type Listener = (cameraId: string) => void;

/** A new camera as the service takes it: the transport may be left out (then `auto`). */
export type NewCamera = Omit<CreateCameraRequest, 'transport'> & { transport?: CameraTransport | undefined };

/** The camera registry: where each camera is, how to reach it, how to record it. */
export class CamerasService {
  private status: CameraStatusSource = { statusOf: () => undefined };
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly repo: CamerasRepository,
    private readonly site: SiteService,
    private readonly audit: AuditService,
    private readonly credentialKey: Buffer,
    private readonly clock: Clock,
  ) {}

  setStatusSource(source: CameraStatusSource): void {
    this.status = source;
  }

  /** The media engine subscribes to registry changes (created, updated, deleted). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async complexOf(cameraId: string): Promise<string> {
    const c = await this.repo.complexOf(cameraId);
    if (!c) throw new DomainError('CAMERA_NOT_FOUND');
    return c;
  }

  /** The complex a camera belongs or belonged to (deleted ones too), or null if it never existed. */
  async complexOfRemoved(cameraId: string): Promise<string | null> {
    return (await this.repo.complexOfAny(cameraId)) ?? null;
  }

  /** Complexes of several cameras at once (the live wall authorizes its tiles together); unknown ones are absent. */
  complexesOf(cameraIds: readonly string[]): Promise<Map<string, string>> {
    return this.repo.complexesOf(cameraIds);
  }

  async list(complexId: string, q: { q?: string | undefined; type?: CameraType | undefined; state?: string | undefined; limit: number; offset: number }) {
    if (q.state) {
      const all = await this.repo.page(complexId, { q: q.q, type: q.type }, 10_000, 0);
      const matching = all.items.map((r) => this.toDto(r)).filter((c) => c.status.some((s) => s.stream === 'main' && s.state === q.state));
      return { items: matching.slice(q.offset, q.offset + q.limit), total: matching.length, limit: q.limit, offset: q.offset };
    }
    const page = await this.repo.page(complexId, { q: q.q, type: q.type }, q.limit, q.offset);
    return { items: page.items.map((r) => this.toDto(r)), total: page.total, limit: q.limit, offset: q.offset };
  }

  async get(cameraId: string): Promise<Camera> {
    return this.toDto(await this.mustFind(cameraId));
  }

  async create(actor: Actor | null, complexId: string, input: NewCamera): Promise<Camera> {
    const row = await this.prepare(complexId, input);
    const [created] = await this.repo.insert([row]);
    await this.audit.append({ action: 'camera.created', actorId: actor?.id ?? null, subjectType: 'camera', subjectId: created!.id, complexId, details: { name: created!.name } });
    this.emit(created!.id);
    return this.toDto(created!);
  }

  /** Validates and seals one camera; used by create and by the CSV import. */
  async prepare(complexId: string, input: NewCamera) {
    await this.checkRefs(complexId, input);
    const main = splitCredentials(input.mainUrl);
    const sub = input.subUrl ? splitCredentials(input.subUrl) : null;
    const username = input.username ?? main.username;
    const password = input.password ?? main.password;
    const now = this.clock.now();
    return {
      id: crypto.randomUUID(),
      complexId,
      name: input.name,
      type: input.type,
      buildingId: input.buildingId,
      entranceId: input.entranceId,
      zoneId: input.zoneId,
      position: input.position ? JSON.stringify(input.position) : null,
      direction: input.direction,
      fieldOfView: input.fieldOfView,
      mainUrl: main.url,
      subUrl: sub?.url ?? null,
      usernameEnc: username ? seal(this.credentialKey, username) : null,
      passwordEnc: password ? seal(this.credentialKey, password) : null,
      transport: input.transport ?? 'auto',
      recordingPolicy: input.recordingPolicy,
      retentionDays: input.retentionDays,
      enabled: input.enabled,
      createdAt: now,
      updatedAt: now,
    };
  }

  async insertPrepared(actor: Actor | null, complexId: string, rows: Awaited<ReturnType<CamerasService['prepare']>>[]): Promise<CameraRow[]> {
    const created = await this.repo.insert(rows);
    if (created.length) {
      await this.audit.append({ action: 'camera.imported', actorId: actor?.id ?? null, subjectType: 'complex', subjectId: complexId, complexId, details: { count: created.length } });
    }
    for (const c of created) this.emit(c.id);
    return created;
  }

  async update(actor: Actor, cameraId: string, patch: UpdateCameraRequest): Promise<Camera> {
    const current = await this.mustFind(cameraId);
    const merged = {
      buildingId: patch.buildingId !== undefined ? patch.buildingId : current.buildingId,
      entranceId: patch.entranceId !== undefined ? patch.entranceId : current.entranceId,
      zoneId: patch.zoneId !== undefined ? patch.zoneId : current.zoneId,
      position: patch.position !== undefined ? patch.position : (current.position ?? null),
    };
    await this.checkRefs(current.complexId, merged);
    const main = patch.mainUrl !== undefined ? splitCredentials(patch.mainUrl) : null;
    const sub = patch.subUrl ? splitCredentials(patch.subUrl) : null;
    const username = patch.username !== undefined ? patch.username : main?.username;
    const password = patch.password !== undefined ? patch.password : main?.password;
    const row = await this.repo.update(cameraId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.type !== undefined ? { type: patch.type } : {}),
      buildingId: merged.buildingId,
      entranceId: merged.entranceId,
      zoneId: merged.zoneId,
      position: merged.position ? JSON.stringify(merged.position) : null,
      ...(patch.direction !== undefined ? { direction: patch.direction } : {}),
      ...(patch.fieldOfView !== undefined ? { fieldOfView: patch.fieldOfView } : {}),
      ...(main ? { mainUrl: main.url } : {}),
      ...(patch.subUrl !== undefined ? { subUrl: sub?.url ?? null } : {}),
      ...(username !== undefined ? { usernameEnc: username ? seal(this.credentialKey, username) : null } : {}),
      ...(password !== undefined ? { passwordEnc: password ? seal(this.credentialKey, password) : null } : {}),
      ...(patch.transport !== undefined ? { transport: patch.transport } : {}),
      ...(patch.recordingPolicy !== undefined ? { recordingPolicy: patch.recordingPolicy } : {}),
      ...(patch.retentionDays !== undefined ? { retentionDays: patch.retentionDays } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      updatedAt: this.clock.now(),
    });
    if (!row) throw new DomainError('CAMERA_NOT_FOUND');
    // Only field names are logged: never a credential.
    const changed = Object.keys(patch).map((k) => (k === 'password' || k === 'username' ? 'credentials' : k));
    await this.audit.append({ action: 'camera.updated', actorId: actor.id, subjectType: 'camera', subjectId: cameraId, complexId: row.complexId, details: { changed: [...new Set(changed)].sort() } });
    this.emit(cameraId);
    return this.toDto(row);
  }

  async remove(actor: Actor, cameraId: string): Promise<void> {
    const row = await this.repo.update(cameraId, { deletedAt: this.clock.now(), enabled: false });
    if (!row) throw new DomainError('CAMERA_NOT_FOUND');
    await this.audit.append({ action: 'camera.deleted', actorId: actor.id, subjectType: 'camera', subjectId: cameraId, complexId: row.complexId, details: { name: row.name } });
    this.emit(cameraId);
  }

  /** For the media engine only. */
  async connections(): Promise<CameraConnection[]> {
    return (await this.repo.allEnabled()).map((r) => this.connectionOf(r));
  }

  async connection(cameraId: string): Promise<CameraConnection | null> {
    const r = await this.repo.find(cameraId);
    return r && r.enabled ? this.connectionOf(r) : null;
  }

  async allOfComplex(complexId: string): Promise<Camera[]> {
    return (await this.repo.allOfComplex(complexId)).map((r) => this.toDto(r));
  }

  private connectionOf(r: CameraRow): CameraConnection {
    const user = r.usernameEnc ? unseal(this.credentialKey, r.usernameEnc) : null;
    const pass = r.passwordEnc ? unseal(this.credentialKey, r.passwordEnc) : null;
    const transport = r.transport as CameraTransport;
    const streams: CameraConnection['streams'] = [{ stream: 'main', url: joinCredentials(r.mainUrl, user, pass), transport }];
    if (r.subUrl) streams.push({ stream: 'sub', url: joinCredentials(r.subUrl, user, pass), transport });
    return { cameraId: r.id, complexId: r.complexId, streams };
  }

  private async mustFind(cameraId: string): Promise<CameraRow> {
    const r = await this.repo.find(cameraId);
    if (!r) throw new DomainError('CAMERA_NOT_FOUND');
    return r;
  }

  private async checkRefs(complexId: string, c: { buildingId: string | null; entranceId: string | null; zoneId: string | null; position: [number, number] | null }) {
    const bad = await this.site.refsOutside(complexId, c);
    if (bad) throw new DomainError('CAMERA_REF_INVALID', { field: bad });
    if (c.position && !(await this.site.insidePlan(complexId, c.position))) throw new DomainError('CAMERA_POSITION_OUTSIDE', { field: 'position' });
  }

  private emit(cameraId: string): void {
    for (const l of this.listeners) l(cameraId);
  }

  toDto(r: CameraRow): Camera {
    const since = r.updatedAt.toISOString();
    const placeholder = (stream: StreamKind): StreamStatus => ({
      stream,
      state: r.enabled ? 'connecting' : 'disabled',
      reason: r.enabled ? null : 'disabled',
      codec: null,
      width: null,
      height: null,
      fps: null,
      bitrateKbps: null,
      lastFrameAt: null,
      since,
      transport: null,
      lossPercent: null,
    });
    const live = r.enabled ? this.status.statusOf(r.id) : undefined;
    const streams: StreamKind[] = r.subUrl ? ['main', 'sub'] : ['main'];
    return {
      id: r.id,
      complexId: r.complexId,
      name: r.name,
      type: r.type as CameraType,
      buildingId: r.buildingId,
      entranceId: r.entranceId,
      zoneId: r.zoneId,
      position: (r.position as [number, number] | null) ?? null,
      direction: r.direction,
      fieldOfView: r.fieldOfView,
      mainUrl: r.mainUrl,
      subUrl: r.subUrl,
      hasCredentials: r.usernameEnc !== null || r.passwordEnc !== null,
      transport: r.transport as CameraTransport,
      recordingPolicy: r.recordingPolicy as Camera['recordingPolicy'],
      retentionDays: r.retentionDays,
      enabled: r.enabled,
      status: streams.map((s) => live?.find((x) => x.stream === s) ?? placeholder(s)),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}
