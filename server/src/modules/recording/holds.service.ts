import crypto from 'node:crypto';
import { MAX_HOLD_DAYS, type CreateHold, type RecordingHold } from '@kuzet/contracts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import type { RetentionGate } from './retention-gate.ts';

interface HoldRow {
  id: string;
  cameraId: string;
  startAt: Date;
  endAt: Date;
  reason: string;
  createdAt: Date;
  releasedAt: Date | null;
  createdByName: string | null;
  createdBy: string | null;
}

/** A hold as the API gives it: createdBy is the person's display name (or their id if they are gone). */
export function holdDto(r: HoldRow): RecordingHold {
  return {
    id: r.id,
    cameraId: r.cameraId,
    start: new Date(r.startAt).toISOString(),
    end: new Date(r.endAt).toISOString(),
    reason: r.reason,
    createdBy: r.createdByName ?? r.createdBy ?? '',
    createdAt: new Date(r.createdAt).toISOString(),
    releasedAt: r.releasedAt ? new Date(r.releasedAt).toISOString() : null,
  };
}

/**
 * Legal holds on footage: retention never deletes a file that overlaps an unreleased
 * hold of its camera. Set by hand now (recordings.hold); the evidence work will set them
 * from incidents. Created and released holds are audited.
 */
export class HoldsService {
  constructor(
    private readonly db: Database,
    private readonly cameras: CamerasService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly gate: RetentionGate,
  ) {}

  private select() {
    return this.db
      .selectFrom('recordingHolds as h')
      .leftJoin('users as u', 'u.id', 'h.createdBy')
      .select(['h.id', 'h.cameraId', 'h.startAt', 'h.endAt', 'h.reason', 'h.createdAt', 'h.releasedAt', 'h.createdBy', 'u.displayName as createdByName']);
  }

  /** A camera's holds, newest footage first (released ones too, up to 500). */
  async list(cameraId: string): Promise<RecordingHold[]> {
    await this.cameras.complexOf(cameraId);
    const rows = await this.select().where('h.cameraId', '=', cameraId).orderBy('h.startAt', 'desc').orderBy('h.id').limit(500).execute();
    return rows.map(holdDto);
  }

  async create(actor: Actor | null, cameraId: string, input: CreateHold): Promise<RecordingHold> {
    const complexId = await this.cameras.complexOf(cameraId);
    const start = Date.parse(input.start);
    const end = Date.parse(input.end);
    const now = this.clock.now().getTime();
    if (!(end > start)) throw new DomainError('RECORDING_HOLD_INVALID', { field: 'end' }, 'The end of the hold must be after its start.');
    if (start > now + 60_000) throw new DomainError('RECORDING_HOLD_INVALID', { field: 'start' }, 'A hold cannot start in the future: hold footage that exists.');
    if (end - start > MAX_HOLD_DAYS * 86_400_000) {
      throw new DomainError('RECORDING_HOLD_INVALID', { field: 'end', maxDays: MAX_HOLD_DAYS }, `A hold may span at most ${MAX_HOLD_DAYS} days; make several if more is needed.`);
    }
    const id = crypto.randomUUID();
    // Under the gate: a retention batch under way finishes first, and the next one sees the hold.
    await this.gate.run(() =>
      this.db
        .insertInto('recordingHolds')
        .values({ id, complexId, cameraId, startAt: new Date(start), endAt: new Date(end), reason: input.reason, createdBy: actor?.id ?? null, createdAt: new Date(now) })
        .execute(),
    );
    await this.audit.append({
      action: 'recording.hold_created',
      actorId: actor?.id ?? null,
      subjectType: 'camera',
      subjectId: cameraId,
      complexId,
      details: { holdId: id, start: new Date(start).toISOString(), end: new Date(end).toISOString(), reason: input.reason },
    });
    return this.get(cameraId, id);
  }

  async release(actor: Actor, cameraId: string, holdId: string): Promise<RecordingHold> {
    const complexId = await this.cameras.complexOf(cameraId);
    const current = await this.get(cameraId, holdId);
    if (current.releasedAt) throw new DomainError('RECORDING_HOLD_RELEASED');
    const updated = await this.db
      .updateTable('recordingHolds')
      .set({ releasedAt: this.clock.now(), releasedBy: actor.id })
      .where('id', '=', holdId)
      .where('cameraId', '=', cameraId)
      .where('releasedAt', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new DomainError('RECORDING_HOLD_RELEASED');
    await this.audit.append({
      action: 'recording.hold_released',
      actorId: actor.id,
      subjectType: 'camera',
      subjectId: cameraId,
      complexId,
      details: { holdId, start: current.start, end: current.end },
    });
    return this.get(cameraId, holdId);
  }

  private async get(cameraId: string, holdId: string): Promise<RecordingHold> {
    const row = await this.select().where('h.id', '=', holdId).where('h.cameraId', '=', cameraId).executeTakeFirst();
    if (!row) throw new DomainError('RECORDING_HOLD_NOT_FOUND');
    return holdDto(row);
  }
}
