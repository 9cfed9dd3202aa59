import type { Insertable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

export class SiteRepository {
  constructor(private readonly db: Database) {}

  async complexes(districtIds: string[] | null) {
    let q = this.db
      .selectFrom('complexes as c')
      .select(['c.id', 'c.districtId', 'c.name', 'c.address'])
      .select((eb) => [
        eb.selectFrom('buildings as b').whereRef('b.complexId', '=', 'c.id').select(eb.fn.countAll<number>().as('n')).as('buildingCount'),
        eb.selectFrom('apartments as a').whereRef('a.complexId', '=', 'c.id').select(eb.fn.countAll<number>().as('n')).as('apartmentCount'),
      ]);
    if (districtIds) q = q.where('c.districtId', 'in', districtIds.length ? districtIds : ['00000000-0000-0000-0000-000000000000']);
    return q.orderBy('c.name').orderBy('c.id').execute();
  }

  async complex(id: string) {
    return this.db.selectFrom('complexes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async complexOfRef(table: 'buildings' | 'entrances' | 'zones', id: string): Promise<string | undefined> {
    const r = await this.db.selectFrom(table).select('complexId').where('id', '=', id).executeTakeFirst();
    return r?.complexId;
  }

  async buildingsByName(complexId: string) {
    return this.db.selectFrom('buildings').select(['id', 'name']).where('complexId', '=', complexId).orderBy('sortOrder').orderBy('id').execute();
  }

  async entranceByNumber(buildingId: string, number: number) {
    return this.db.selectFrom('entrances').select('id').where('buildingId', '=', buildingId).where('number', '=', number).executeTakeFirst();
  }

  async entranceBuilding(entranceId: string) {
    const r = await this.db.selectFrom('entrances').select('buildingId').where('id', '=', entranceId).executeTakeFirst();
    return r?.buildingId;
  }

  async complexIdsOfDistrict(districtId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('complexes').select('id').where('districtId', '=', districtId).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  async districtExists(id: string): Promise<boolean> {
    return !!(await this.db.selectFrom('districts').select('id').where('id', '=', id).executeTakeFirst());
  }

  async buildings(complexId: string) {
    return this.db.selectFrom('buildings').selectAll().where('complexId', '=', complexId).orderBy('sortOrder').orderBy('id').execute();
  }

  async building(id: string) {
    return this.db.selectFrom('buildings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async entrances(buildingIds: string[]) {
    if (!buildingIds.length) return [];
    return this.db
      .selectFrom('entrances as e')
      .selectAll('e')
      .select((eb) =>
        eb.selectFrom('apartments as a').whereRef('a.entranceId', '=', 'e.id').select(eb.fn.countAll<number>().as('n')).as('apartmentCount'),
      )
      .where('e.buildingId', 'in', buildingIds)
      .orderBy('e.buildingId')
      .orderBy('e.number')
      .execute();
  }

  async apartments(buildingId: string, f: { entrance?: number | undefined; floor?: number | undefined }, limit: number, offset: number) {
    let q = this.db.selectFrom('apartments as a').innerJoin('entrances as e', 'e.id', 'a.entranceId').where('a.buildingId', '=', buildingId);
    if (f.entrance !== undefined) q = q.where('e.number', '=', f.entrance);
    if (f.floor !== undefined) q = q.where('a.floor', '=', f.floor);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await q
      .select(['a.id', 'a.buildingId', 'a.entranceId', 'e.number as entranceNumber', 'a.floor', 'a.number', 'a.rooms'])
      .orderBy('e.number')
      .orderBy('a.floor')
      .orderBy((eb) => eb.cast('a.number', 'integer'))
      .orderBy('a.id')
      .limit(limit)
      .offset(offset)
      .execute();
    return { items, total: Number(total.n) };
  }

  async zones(complexId: string) {
    return this.db.selectFrom('zones').selectAll().where('complexId', '=', complexId).orderBy('createdAt').orderBy('id').execute();
  }

  async zone(complexId: string, id: string) {
    return this.db.selectFrom('zones').selectAll().where('complexId', '=', complexId).where('id', '=', id).executeTakeFirst();
  }

  async insertZone(z: Insertable<DB['zones']>) {
    return this.db.insertInto('zones').values(z).returningAll().executeTakeFirstOrThrow();
  }

  async updateZone(complexId: string, id: string, patch: { name?: string; kind?: string; polygon?: string; updatedAt: Date }) {
    return this.db.updateTable('zones').set(patch).where('complexId', '=', complexId).where('id', '=', id).returningAll().executeTakeFirst();
  }

  async deleteZone(complexId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('zones').where('complexId', '=', complexId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Bulk load used by the demo generator (one transaction, batched inserts). */
  async insertSite(site: {
    districts: Insertable<DB['districts']>[];
    complexes: Insertable<DB['complexes']>[];
    buildings: Insertable<DB['buildings']>[];
    entrances: Insertable<DB['entrances']>[];
    apartments: Insertable<DB['apartments']>[];
    zones: Insertable<DB['zones']>[];
  }): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const batches = <T>(rows: T[], size = 500): T[][] => {
        const out: T[][] = [];
        for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
        return out;
      };
      for (const b of batches(site.districts)) await tx.insertInto('districts').values(b).execute();
      for (const b of batches(site.complexes)) await tx.insertInto('complexes').values(b).execute();
      for (const b of batches(site.buildings)) await tx.insertInto('buildings').values(b).execute();
      for (const b of batches(site.entrances)) await tx.insertInto('entrances').values(b).execute();
      for (const b of batches(site.apartments)) await tx.insertInto('apartments').values(b).execute();
      for (const b of batches(site.zones)) await tx.insertInto('zones').values(b).execute();
    });
  }
}
