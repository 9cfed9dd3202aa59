import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import type { CamerasTable, DB } from '../../db/schema.ts';

export type CameraRow = Selectable<CamerasTable>;

export class CamerasRepository {
  constructor(private readonly db: Database) {}

  async insert(rows: Insertable<DB['cameras']>[]): Promise<CameraRow[]> {
    if (!rows.length) return [];
    return this.db.transaction().execute((tx) => tx.insertInto('cameras').values(rows).returningAll().execute());
  }

  async find(id: string): Promise<CameraRow | undefined> {
    return this.db.selectFrom('cameras').selectAll().where('id', '=', id).where('deletedAt', 'is', null).executeTakeFirst();
  }

  async complexOf(id: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('cameras').select('complexId').where('id', '=', id).where('deletedAt', 'is', null).executeTakeFirst();
    return r?.complexId;
  }

  /** The complex of a camera whether deleted or not: where its removal must be announced. */
  async complexOfAny(id: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('cameras').select('complexId').where('id', '=', id).executeTakeFirst();
    return r?.complexId;
  }

  /** Complexes of several cameras in one query (removed and unknown ones are absent). */
  async complexesOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('cameras').select(['id', 'complexId']).where('id', 'in', [...ids]).where('deletedAt', 'is', null).execute();
    return new Map(rows.map((r) => [r.id, r.complexId]));
  }

  async page(complexId: string, f: { q?: string | undefined; type?: string | undefined; ids?: string[] | undefined }, limit: number, offset: number) {
    let q = this.db.selectFrom('cameras').where('complexId', '=', complexId).where('deletedAt', 'is', null);
    if (f.q) q = q.where((eb) => eb(eb.fn('lower', ['name']), 'like', containsPattern(f.q!)));
    if (f.type) q = q.where('type', '=', f.type);
    if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['00000000-0000-0000-0000-000000000000']);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await q.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute();
    return { items, total: Number(total.n) };
  }

  /** Every enabled camera of every complex: what the media engine connects to. */
  async allEnabled(): Promise<CameraRow[]> {
    return this.db.selectFrom('cameras').selectAll().where('deletedAt', 'is', null).where('enabled', '=', true).orderBy('id').execute();
  }

  async allOfComplex(complexId: string): Promise<CameraRow[]> {
    return this.db.selectFrom('cameras').selectAll().where('complexId', '=', complexId).where('deletedAt', 'is', null).orderBy('name').orderBy('id').execute();
  }

  async update(id: string, patch: Updateable<DB['cameras']>): Promise<CameraRow | undefined> {
    return this.db.updateTable('cameras').set(patch).where('id', '=', id).where('deletedAt', 'is', null).returningAll().executeTakeFirst();
  }

  async addStatusEvents(rows: Insertable<DB['cameraStatusEvents']>[]): Promise<void> {
    if (rows.length) await this.db.insertInto('cameraStatusEvents').values(rows).execute();
  }

  async statusEvents(cameraId: string, f: { from?: Date | undefined; to?: Date | undefined; stream?: string | undefined }) {
    let q = this.db.selectFrom('cameraStatusEvents').select(['stream', 'state', 'reason', 'at']).where('cameraId', '=', cameraId);
    if (f.from) q = q.where('at', '>=', f.from);
    if (f.to) q = q.where('at', '<', f.to);
    if (f.stream) q = q.where('stream', '=', f.stream);
    return q.orderBy('at').orderBy('id').limit(5000).execute();
  }

  /** Events of a complex's main streams since `from`, plus the last one before it per camera. */
  async statusEventsForUptime(complexId: string, from: Date) {
    const inWindow = await this.db
      .selectFrom('cameraStatusEvents')
      .select(['cameraId', 'state', 'at'])
      .where('complexId', '=', complexId)
      .where('stream', '=', 'main')
      .where('at', '>=', from)
      .orderBy('cameraId')
      .orderBy('at')
      .orderBy('id')
      .execute();
    // The state each camera was in when the window opened: its last event before it.
    const before = await this.db
      .selectFrom('cameraStatusEvents')
      .distinctOn('cameraId')
      .select(['cameraId', 'state', 'at'])
      .where('complexId', '=', complexId)
      .where('stream', '=', 'main')
      .where('at', '<', from)
      .orderBy('cameraId')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return { inWindow, before };
  }

  async insertGrant(g: Insertable<DB['cameraGrants']>) {
    return this.db.insertInto('cameraGrants').values(g).returningAll().executeTakeFirstOrThrow();
  }

  async grants(cameraId: string) {
    return this.db.selectFrom('cameraGrants').selectAll().where('cameraId', '=', cameraId).orderBy('createdAt', 'desc').orderBy('id').execute();
  }

  async revokeGrant(cameraId: string, id: string, at: Date) {
    return this.db
      .updateTable('cameraGrants')
      .set({ revokedAt: at })
      .where('cameraId', '=', cameraId)
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  async activeGrant(cameraId: string, userId: string, now: Date) {
    return this.db
      .selectFrom('cameraGrants')
      .select('id')
      .where('cameraId', '=', cameraId)
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', now)
      .executeTakeFirst();
  }
}
