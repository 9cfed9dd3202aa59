import type { WallLayout } from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/actor.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import type { SiteService } from '../site/site.service.ts';
import type { LayoutsRepository } from './layouts.repository.ts';

/** Video-wall layouts, saved per user: a grid and which camera sits in each tile. */
export class LayoutsService {
  constructor(
    private readonly repo: LayoutsRepository,
    private readonly cameras: CamerasService,
    private readonly site: SiteService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<WallLayout[]> {
    return (await this.repo.list(actor.id)).map(toDto);
  }

  async save(actor: Actor, id: string, input: { name: string; grid: number; cells: (string | null)[] }): Promise<WallLayout> {
    if (input.cells.length !== input.grid) throw new DomainError('LAYOUT_CELLS_INVALID', { field: 'cells', expected: input.grid });
    const scope = await this.site.scopeOf(actor);
    for (const cameraId of input.cells) {
      if (!cameraId) continue;
      const complexId = await this.cameras.complexOf(cameraId).catch(() => null);
      if (!complexId || (scope !== null && !scope.includes(complexId))) throw new DomainError('LAYOUT_CELLS_INVALID', { field: 'cells', cameraId });
    }
    const existing = await this.repo.find(id);
    if (existing && existing.userId !== actor.id) throw new DomainError('LAYOUT_NOT_FOUND');
    const row = await this.repo.upsert({ id, userId: actor.id, name: input.name, grid: input.grid, cells: JSON.stringify(input.cells), updatedAt: this.clock.now() });
    if (!row) throw new DomainError('LAYOUT_NOT_FOUND');
    return toDto(row);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.remove(actor.id, id))) throw new DomainError('LAYOUT_NOT_FOUND');
  }
}

function toDto(r: { id: string; name: string; grid: number; cells: (string | null)[]; updatedAt: Date }): WallLayout {
  return { id: r.id, name: r.name, grid: r.grid as WallLayout['grid'], cells: r.cells, updatedAt: r.updatedAt.toISOString() };
}
