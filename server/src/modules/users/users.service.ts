import crypto from 'node:crypto';
import { complexRoles, districtRoles, type CreateUserRequest, type Role, type UpdateUserRequest, type User } from '@kuzet/contracts';
import { DomainError } from '../../platform/errors.ts';
import type { UserRow } from '../../db/schema.ts';
import type { Actor } from '../auth/actor.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SiteService } from '../site/site.service.ts';
import type { UsersRepository } from './users.repository.ts';

export function toUserDto(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    role: r.role as Role,
    complexId: r.complexId,
    districtId: r.districtId,
    disabled: r.disabled,
    totpEnabled: r.totpSecretEnc !== null,
    language: r.language as User['language'],
    createdAt: r.createdAt.toISOString(),
    lastSignInAt: r.lastSignInAt ? r.lastSignInAt.toISOString() : null,
  };
}

/** Staff and resident accounts: who they are, their role and scope. */
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly site: SiteService,
    private readonly audit: AuditService,
  ) {}

  /** Used by the CLI and the demo seed, where no one is signed in yet. */
  async createSystem(input: CreateUserRequest): Promise<User> {
    return this.createRow(input, null);
  }

  async create(actor: Actor, input: CreateUserRequest): Promise<User> {
    await this.assertScopeAllowed(actor, input.complexId ?? null, input.districtId ?? null);
    return this.createRow(input, actor);
  }

  private async createRow(input: CreateUserRequest, actor: Actor | null): Promise<User> {
    const scope = await this.checkScope(input.role, input.complexId ?? null, input.districtId ?? null);
    if (await this.repo.findByUsername(input.username)) throw new DomainError('USER_EXISTS', { field: 'username' });
    const row = await this.repo.insert({
      id: crypto.randomUUID(),
      username: input.username,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      complexId: scope.complexId,
      districtId: scope.districtId,
      language: input.language,
    });
    await this.audit.append({
      action: 'user.created',
      actorId: actor?.id ?? null,
      subjectType: 'user',
      subjectId: row.id,
      complexId: row.complexId,
      details: { role: row.role },
    });
    return toUserDto(row);
  }

  async get(actor: Actor, id: string): Promise<User> {
    return toUserDto(await this.rowInScope(actor, id));
  }

  async list(actor: Actor, q: { q?: string | undefined; role?: Role | undefined; limit: number; offset: number }) {
    const scope = await this.site.scopeOf(actor);
    const page = await this.repo.page(
      { q: q.q, role: q.role, scope: scope === null ? null : { complexIds: scope, districtIds: actor.districtId ? [actor.districtId] : [] } },
      q.limit,
      q.offset,
    );
    return { items: page.items.map(toUserDto), total: page.total, limit: q.limit, offset: q.offset };
  }

  async update(actor: Actor, id: string, patch: UpdateUserRequest): Promise<User> {
    const current = await this.rowInScope(actor, id);
    if (id === actor.id && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
      throw new DomainError('USER_SELF_LOCKOUT');
    }
    const role = patch.role ?? (current.role as Role);
    const complexId = patch.complexId !== undefined ? patch.complexId : current.complexId;
    const districtId = patch.districtId !== undefined ? patch.districtId : current.districtId;
    await this.assertScopeAllowed(actor, complexId, districtId);
    const scope = await this.checkScope(role, complexId, districtId);
    const row = await this.repo.update(id, {
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      ...(patch.language !== undefined ? { language: patch.language } : {}),
      ...(patch.resetTotp ? { totpSecretEnc: null, totpPendingEnc: null } : {}),
      role,
      complexId: scope.complexId,
      districtId: scope.districtId,
    });
    if (!row) throw new DomainError('USER_NOT_FOUND');
    const changed = Object.keys(patch).sort();
    await this.audit.append({
      action: patch.disabled === true ? 'user.disabled' : 'user.updated',
      actorId: actor.id,
      subjectType: 'user',
      subjectId: id,
      complexId: row.complexId,
      details: { changed, role: row.role },
    });
    return toUserDto(row);
  }

  async setPassword(id: string, password: string): Promise<void> {
    const row = await this.repo.update(id, { passwordHash: await hashPassword(password), passwordChangedAt: new Date() });
    if (!row) throw new DomainError('USER_NOT_FOUND');
  }

  async resetPassword(actor: Actor, id: string, password: string): Promise<void> {
    const row = await this.rowInScope(actor, id);
    await this.setPassword(id, password);
    await this.audit.append({ action: 'user.password_reset', actorId: actor.id, subjectType: 'user', subjectId: id, complexId: row.complexId });
  }

  async assertCanManage(actor: Actor, id: string): Promise<UserRow> {
    return this.rowInScope(actor, id);
  }

  // --- for the auth module -------------------------------------------------
  findRowByUsername(username: string): Promise<UserRow | undefined> {
    return this.repo.findByUsername(username);
  }
  findRowById(id: string): Promise<UserRow | undefined> {
    return this.repo.findById(id);
  }
  async setTotp(id: string, fields: { totpSecretEnc?: string | null; totpPendingEnc?: string | null }): Promise<void> {
    await this.repo.update(id, fields);
  }
  async markSignedIn(id: string, at: Date): Promise<void> {
    await this.repo.update(id, { lastSignInAt: at });
  }
  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.repo.update(id, { disabled });
  }
  async listAllForCli(): Promise<{ username: string; role: string; disabled: boolean }[]> {
    const { items } = await this.repo.page({ scope: null }, 10_000, 0);
    return items.map((r) => ({ username: r.username, role: r.role, disabled: r.disabled }));
  }
  countAll(): Promise<number> {
    return this.repo.countAll();
  }

  private async rowInScope(actor: Actor, id: string): Promise<UserRow> {
    const row = await this.repo.findById(id);
    if (!row) throw new DomainError('USER_NOT_FOUND');
    const scope = await this.site.scopeOf(actor);
    if (scope === null) return row;
    const inScope =
      (row.complexId !== null && scope.includes(row.complexId)) ||
      (row.districtId !== null && row.districtId === actor.districtId);
    if (!inScope) throw new DomainError('USER_NOT_FOUND');
    return row;
  }

  private async assertScopeAllowed(actor: Actor, complexId: string | null, districtId: string | null): Promise<void> {
    const scope = await this.site.scopeOf(actor);
    if (scope === null) return;
    if (complexId !== null && !scope.includes(complexId)) throw new DomainError('OUT_OF_SCOPE');
    if (districtId !== null && districtId !== actor.districtId) throw new DomainError('OUT_OF_SCOPE');
  }

  /** Staff of a post get a complex; district staff a district (an admin may have none: the whole system). */
  private async checkScope(role: Role, complexId: string | null, districtId: string | null) {
    if (complexRoles.includes(role)) {
      if (!complexId || districtId) throw new DomainError('SCOPE_INVALID', { field: 'complexId' });
      if (!(await this.site.complexExists(complexId))) throw new DomainError('COMPLEX_NOT_FOUND', { field: 'complexId' });
      return { complexId, districtId: null };
    }
    if (districtRoles.includes(role)) {
      if (complexId) throw new DomainError('SCOPE_INVALID', { field: 'complexId' });
      if (!districtId && role !== 'admin') throw new DomainError('SCOPE_INVALID', { field: 'districtId' });
      if (districtId && !(await this.site.districtExists(districtId))) throw new DomainError('DISTRICT_NOT_FOUND', { field: 'districtId' });
      return { complexId: null, districtId };
    }
    throw new DomainError('SCOPE_INVALID');
  }
}
