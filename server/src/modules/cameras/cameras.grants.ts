import crypto from 'node:crypto';
import { can } from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UsersService } from '../users/users.service.ts';
import type { CamerasRepository } from './cameras.repository.ts';

const MAX_GRANT_MS = 30 * 24 * 3600_000;

/**
 * A partner (the management company's engineer) sees a camera's video only through
 * an explicit grant by an admin: for one camera, with a reason, expiring, audited.
 */
export class CameraGrantsService {
  constructor(
    private readonly repo: CamerasRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(cameraId: string) {
    return { items: (await this.repo.grants(cameraId)).map(toDto) };
  }

  async create(actor: Actor, cameraId: string, complexId: string, input: { userId: string; reason: string; expiresAt: string }) {
    const user = await this.users.findRowById(input.userId);
    if (!user || user.role !== 'partner' || user.complexId !== complexId) throw new DomainError('GRANT_NOT_PARTNER', { field: 'userId' });
    const expires = new Date(input.expiresAt);
    const now = this.clock.now();
    if (expires.getTime() <= now.getTime() || expires.getTime() - now.getTime() > MAX_GRANT_MS) {
      throw new DomainError('GRANT_EXPIRY_INVALID', { field: 'expiresAt' });
    }
    const g = await this.repo.insertGrant({ id: crypto.randomUUID(), complexId, cameraId, userId: user.id, grantedBy: actor.id, reason: input.reason, expiresAt: expires, createdAt: now });
    await this.audit.append({ action: 'camera.grant_created', actorId: actor.id, subjectType: 'camera', subjectId: cameraId, complexId, details: { grantId: g.id, userId: user.id, expiresAt: expires.toISOString(), reason: input.reason } });
    return toDto(g);
  }

  async revoke(actor: Actor, cameraId: string, complexId: string, grantId: string): Promise<void> {
    const g = await this.repo.revokeGrant(cameraId, grantId, this.clock.now());
    if (!g) throw new DomainError('GRANT_NOT_FOUND');
    await this.audit.append({ action: 'camera.grant_revoked', actorId: actor.id, subjectType: 'camera', subjectId: cameraId, complexId, details: { grantId } });
  }

  /** May this actor see this camera's video (live, playback)? Scope is checked by the route. */
  async canViewVideo(actor: Actor, cameraId: string): Promise<boolean> {
    if (actor.role === 'partner') return !!(await this.repo.activeGrant(cameraId, actor.id, this.clock.now()));
    return can(actor.role, 'monitoring.view');
  }
}

function toDto(g: { id: string; cameraId: string; userId: string; grantedBy: string | null; reason: string; expiresAt: Date; revokedAt: Date | null; createdAt: Date }) {
  return {
    id: g.id,
    cameraId: g.cameraId,
    userId: g.userId,
    grantedBy: g.grantedBy,
    reason: g.reason,
    expiresAt: g.expiresAt.toISOString(),
    revokedAt: g.revokedAt ? g.revokedAt.toISOString() : null,
    createdAt: g.createdAt.toISOString(),
  };
}
