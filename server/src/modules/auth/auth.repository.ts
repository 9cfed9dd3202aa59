import type { Database } from '../../db/database.ts';
import type { SessionRow } from '../../db/schema.ts';

/** Sessions and the sign-in failure log that drives throttling. */
export class AuthRepository {
  constructor(private readonly db: Database) {}

  async insertSession(s: SessionRow): Promise<void> {
    await this.db.insertInto('sessions').values(s).execute();
  }

  async findSession(idHash: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('idHash', '=', idHash).executeTakeFirst();
  }

  async touchSession(idHash: string, at: Date): Promise<void> {
    await this.db.updateTable('sessions').set({ lastSeenAt: at }).where('idHash', '=', idHash).execute();
  }

  async setLocked(idHash: string, locked: boolean): Promise<void> {
    await this.db.updateTable('sessions').set({ locked }).where('idHash', '=', idHash).execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('idHash', '=', idHash).execute();
  }

  async deleteSessionsOfUser(userId: string, exceptIdHash?: string): Promise<void> {
    let q = this.db.deleteFrom('sessions').where('userId', '=', userId);
    if (exceptIdHash) q = q.where('idHash', '!=', exceptIdHash);
    await q.execute();
  }

  async deleteExpiredSessions(now: Date): Promise<void> {
    await this.db.deleteFrom('sessions').where('expiresAt', '<', now).execute();
  }

  async recordFailure(accountKey: string, address: string, device: string | null, at: Date): Promise<void> {
    await this.db.insertInto('signInFailures').values({ accountKey, address, device, at }).execute();
  }

  async countFailures(by: { accountKey?: string; untrustedOnly?: boolean; address?: string; device?: string }, since: Date): Promise<number> {
    let q = this.db.selectFrom('signInFailures').where('at', '>=', since);
    if (by.accountKey !== undefined) q = q.where('accountKey', '=', by.accountKey);
    if (by.untrustedOnly) q = q.where('device', 'is', null);
    if (by.address !== undefined) q = q.where('address', '=', by.address);
    if (by.device !== undefined) q = q.where('device', '=', by.device);
    const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async clearFailures(accountKey: string): Promise<number> {
    const r = await this.db.deleteFrom('signInFailures').where('accountKey', '=', accountKey).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async pruneFailures(before: Date): Promise<void> {
    await this.db.deleteFrom('signInFailures').where('at', '<', before).execute();
  }
}
