import crypto from 'node:crypto';
import { permissionsOf, type Language, type LoginRequest, type Role, type SessionInfo } from '@kuzet/contracts';
import type { Config } from '../../config/config.ts';
import type { SessionRow, UserRow } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import { seal, unseal, type Secrets } from '../../platform/secrets.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UsersService } from '../users/users.service.ts';
import type { Actor } from './actor.ts';
import type { AuthRepository } from './auth.repository.ts';
import { decodeDevice, encodeDevice, newDevice } from './device-token.ts';
import { dummyHash, verifyPassword, hashPassword } from './passwords.ts';
import { generateTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';

export interface RequestContext {
  address: string;
  userAgent: string | null;
  deviceCookie: string | undefined;
}

export interface Authenticated {
  actor: Actor;
  session: SessionRow;
  language: Language;
  totpEnabled: boolean;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** Sign-in, sessions, CSRF tokens, throttling, TOTP, the screen lock. */
export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly secrets: Secrets,
    private readonly config: Config['auth'],
    private readonly clock: Clock,
  ) {}

  async login(input: LoginRequest, ctx: RequestContext) {
    const accountKey = input.username.trim().toLowerCase();
    const device = decodeDevice(this.secrets.deviceKey, ctx.deviceCookie);
    const trusted = device !== null && device.accounts.includes(accountKey);
    await this.checkThrottle(accountKey, ctx.address, trusted ? device.nonce : null);

    const user = await this.users.findRowByUsername(accountKey);
    const ok = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyPassword(await dummyHash(), input.password), false);
    if (!user || !ok) {
      await this.fail(accountKey, ctx, trusted ? device.nonce : null, user?.id ?? null, 'password');
      throw new DomainError('AUTH_INVALID_CREDENTIALS');
    }
    if (user.disabled) throw new DomainError('USER_DISABLED');
    if (user.totpSecretEnc) {
      if (!input.totpCode) throw new DomainError('AUTH_TOTP_REQUIRED');
      if (!verifyTotp(unseal(this.secrets.totpKey, user.totpSecretEnc), input.totpCode, this.clock.now())) {
        await this.fail(accountKey, ctx, trusted ? device.nonce : null, user.id, 'totp');
        throw new DomainError('AUTH_TOTP_INVALID');
      }
    }

    const now = this.clock.now();
    const token = crypto.randomBytes(32).toString('base64url');
    const session: SessionRow = {
      idHash: sha256(token),
      userId: user.id,
      csrfToken: crypto.randomBytes(24).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessionHours * 3600_000),
      locked: false,
      address: ctx.address,
      userAgent: ctx.userAgent?.slice(0, 300) ?? null,
    };
    await this.repo.insertSession(session);
    await this.users.markSignedIn(user.id, now);
    await this.audit.append({ action: 'auth.sign_in', actorId: user.id, subjectType: 'user', subjectId: user.id, complexId: user.complexId });
    const nextDevice = device ?? newDevice();
    if (!nextDevice.accounts.includes(accountKey)) nextDevice.accounts.push(accountKey);
    const auth = toAuthenticated(user, session);
    return { token, sessionCookieMaxAge: this.config.sessionHours * 3600, deviceCookie: encodeDevice(this.secrets.deviceKey, nextDevice), info: this.info(auth) };
  }

  /** Resolves a session cookie into the signed-in actor, or null. */
  async authenticate(token: string | undefined): Promise<Authenticated | null> {
    if (!token || token.length > 100) return null;
    const session = await this.repo.findSession(sha256(token));
    if (!session) return null;
    const now = this.clock.now();
    if (session.expiresAt.getTime() <= now.getTime()) {
      await this.repo.deleteSession(session.idHash);
      return null;
    }
    const user = await this.users.findRowById(session.userId);
    if (!user || user.disabled) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await this.repo.touchSession(session.idHash, now);
    return toAuthenticated(user, session);
  }

  checkCsrf(auth: Authenticated, header: string | undefined): boolean {
    if (!header) return false;
    const a = Buffer.from(header);
    const b = Buffer.from(auth.session.csrfToken);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  }

  info(auth: Authenticated): SessionInfo {
    const { actor } = auth;
    return {
      user: {
        id: actor.id,
        username: actor.username,
        displayName: actor.displayName,
        role: actor.role,
        complexId: actor.complexId,
        districtId: actor.districtId,
        totpEnabled: auth.totpEnabled,
        language: auth.language,
      },
      csrfToken: auth.session.csrfToken,
      locked: auth.session.locked,
      idleLockSeconds: this.config.idleLockSeconds,
      permissions: permissionsOf(actor.role),
    };
  }

  async logout(auth: Authenticated): Promise<void> {
    await this.repo.deleteSession(auth.session.idHash);
    await this.audit.append({ action: 'auth.sign_out', actorId: auth.actor.id, subjectType: 'user', subjectId: auth.actor.id });
  }

  async lock(auth: Authenticated): Promise<void> {
    if (auth.session.locked) return;
    await this.repo.setLocked(auth.session.idHash, true);
    await this.audit.append({ action: 'auth.screen_locked', actorId: auth.actor.id, subjectType: 'user', subjectId: auth.actor.id });
  }

  async unlock(auth: Authenticated, password: string, ctx: RequestContext): Promise<SessionInfo> {
    const accountKey = auth.actor.username.toLowerCase();
    await this.checkThrottle(accountKey, ctx.address, null);
    const user = await this.users.findRowById(auth.actor.id);
    if (!user || !(await verifyPassword(user.passwordHash, password))) {
      await this.fail(accountKey, ctx, null, auth.actor.id, 'unlock');
      throw new DomainError('AUTH_PASSWORD_WRONG');
    }
    await this.repo.setLocked(auth.session.idHash, false);
    await this.audit.append({ action: 'auth.screen_unlocked', actorId: auth.actor.id, subjectType: 'user', subjectId: auth.actor.id });
    return this.info({ ...auth, session: { ...auth.session, locked: false } });
  }

  async changePassword(auth: Authenticated, current: string, next: string): Promise<void> {
    const user = await this.users.findRowById(auth.actor.id);
    if (!user || !(await verifyPassword(user.passwordHash, current))) throw new DomainError('AUTH_PASSWORD_WRONG');
    await this.users.setPassword(user.id, next);
    await this.repo.deleteSessionsOfUser(user.id, auth.session.idHash);
    await this.audit.append({ action: 'auth.password_changed', actorId: user.id, subjectType: 'user', subjectId: user.id });
  }

  async totpSetup(auth: Authenticated): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = generateTotpSecret();
    await this.users.setTotp(auth.actor.id, { totpPendingEnc: seal(this.secrets.totpKey, secret) });
    return { secret, otpauthUrl: otpauthUrl(secret, auth.actor.username) };
  }

  async totpEnable(auth: Authenticated, code: string): Promise<void> {
    const user = await this.users.findRowById(auth.actor.id);
    if (!user?.totpPendingEnc) throw new DomainError('AUTH_TOTP_NOT_SET_UP');
    const secret = unseal(this.secrets.totpKey, user.totpPendingEnc);
    if (!verifyTotp(secret, code, this.clock.now())) throw new DomainError('AUTH_TOTP_INVALID');
    await this.users.setTotp(user.id, { totpSecretEnc: user.totpPendingEnc, totpPendingEnc: null });
    await this.audit.append({ action: 'auth.totp_enabled', actorId: user.id, subjectType: 'user', subjectId: user.id });
  }

  async totpDisable(auth: Authenticated, password: string): Promise<void> {
    const user = await this.users.findRowById(auth.actor.id);
    if (!user || !(await verifyPassword(user.passwordHash, password))) throw new DomainError('AUTH_PASSWORD_WRONG');
    await this.users.setTotp(user.id, { totpSecretEnc: null, totpPendingEnc: null });
    await this.audit.append({ action: 'auth.totp_disabled', actorId: user.id, subjectType: 'user', subjectId: user.id });
  }

  /** An admin lifts the sign-in throttle of an account (after checking who asks). */
  async unlockAccount(actor: Actor | null, user: UserRow): Promise<void> {
    const cleared = await this.repo.clearFailures(user.username.toLowerCase());
    await this.audit.append({ action: 'user.unlocked', actorId: actor?.id ?? null, subjectType: 'user', subjectId: user.id, complexId: user.complexId, details: { cleared } });
  }

  async revokeSessions(userId: string): Promise<void> {
    await this.repo.deleteSessionsOfUser(userId);
  }

  async prune(): Promise<void> {
    const now = this.clock.now();
    await this.repo.deleteExpiredSessions(now);
    await this.repo.pruneFailures(new Date(now.getTime() - Math.max(this.config.throttle.windowSeconds, 3600) * 1000));
  }

  /** For tests and the CLI: a password hash with the production parameters. */
  hash(password: string): Promise<string> {
    return hashPassword(password);
  }

  private async checkThrottle(accountKey: string, address: string, device: string | null): Promise<void> {
    const t = this.config.throttle;
    const since = new Date(this.clock.now().getTime() - t.windowSeconds * 1000);
    const byAccount = device
      ? await this.repo.countFailures({ accountKey, device }, since)
      : await this.repo.countFailures({ accountKey, untrustedOnly: true }, since);
    const byAddress = await this.repo.countFailures({ address }, since);
    if (byAccount >= t.accountLimit || byAddress >= t.addressLimit) {
      await this.audit.append({ action: 'auth.sign_in_throttled', details: { account: accountKey, address } });
      throw new DomainError('AUTH_THROTTLED', { retryAfterSeconds: t.windowSeconds });
    }
  }

  private async fail(accountKey: string, ctx: RequestContext, device: string | null, userId: string | null, reason: string): Promise<void> {
    await this.repo.recordFailure(accountKey, ctx.address, device, this.clock.now());
    await this.audit.append({
      action: 'auth.sign_in_failed',
      actorId: userId,
      subjectType: userId ? 'user' : null,
      subjectId: userId,
      details: { account: accountKey, address: ctx.address, reason },
    });
  }
}

function toAuthenticated(user: UserRow, session: SessionRow): Authenticated {
  return {
    actor: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role as Role,
      complexId: user.complexId,
      districtId: user.districtId,
    },
    session,
    language: user.language as Language,
    totpEnabled: user.totpSecretEnc !== null,
  };
}
