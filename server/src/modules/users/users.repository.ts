import type { Database } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import type { NewUser, UserRow, UserUpdate } from '../../db/schema.ts';

export interface UserFilter {
  q?: string | undefined;
  role?: string | undefined;
  /** null: every user; otherwise users scoped to these complexes or districts. */
  scope: { complexIds: string[]; districtIds: string[] } | null;
}

export class UsersRepository {
  constructor(private readonly db: Database) {}

  async insert(user: NewUser): Promise<UserRow> {
    return this.db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
  }

  async findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
  }

  async update(id: string, patch: UserUpdate): Promise<UserRow | undefined> {
    return this.db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
  }

  async countAll(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async page(filter: UserFilter, limit: number, offset: number): Promise<{ items: UserRow[]; total: number }> {
    let q = this.db.selectFrom('users');
    if (filter.q) {
      const like = containsPattern(filter.q);
      q = q.where((eb) =>
        eb.or([eb(eb.fn('lower', ['username']), 'like', like), eb(eb.fn('lower', ['displayName']), 'like', like)]),
      );
    }
    if (filter.role) q = q.where('role', '=', filter.role);
    if (filter.scope) {
      const { complexIds, districtIds } = filter.scope;
      q = q.where((eb) =>
        eb.or([
          ...(complexIds.length ? [eb('complexId', 'in', complexIds)] : []),
          ...(districtIds.length ? [eb('districtId', 'in', districtIds)] : []),
          eb.and([eb('complexId', 'is', null), eb('districtId', 'is', null), eb('role', '!=', 'admin')]),
        ]),
      );
    }
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await q.selectAll().orderBy('username').orderBy('id').limit(limit).offset(offset).execute();
    return { items, total: Number(total.n) };
  }
}
