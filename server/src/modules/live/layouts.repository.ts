import type { Database } from '../../db/database.ts';

export class LayoutsRepository {
  constructor(private readonly db: Database) {}

  list(userId: string) {
    return this.db.selectFrom('wallLayouts').selectAll().where('userId', '=', userId).orderBy('name').orderBy('id').execute();
  }

  find(id: string) {
    return this.db.selectFrom('wallLayouts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async upsert(row: { id: string; userId: string; name: string; grid: number; cells: string; updatedAt: Date }) {
    return this.db
      .insertInto('wallLayouts')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name, grid: row.grid, cells: row.cells, updatedAt: row.updatedAt }).where('wallLayouts.userId', '=', row.userId))
      .returningAll()
      .executeTakeFirst();
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('wallLayouts').where('id', '=', id).where('userId', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
