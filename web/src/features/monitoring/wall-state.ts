import type { WallLayout } from '@kuzet/contracts';
import type { WallDraft } from './wall-draft.ts';
import { resizeCells, type Grid } from './wall-grid.ts';
import { byName, defaultWall, type WallCamera } from './wall-groups.ts';

/** What the wall shows: a grid, a camera (or nothing) per tile, and the saved layout it came from. */
export interface Wall {
  complexId: string;
  layoutId: string | null;
  grid: Grid;
  cells: (string | null)[];
}

export interface WallSources {
  complexId: string;
  cameras: readonly WallCamera[];
  /** The person's saved layouts (already loaded). */
  layouts: readonly Pick<WallLayout, 'id' | 'grid' | 'cells'>[];
  /** The wall as the person left it in this browser. */
  draft: WallDraft | null;
  /** From the address. */
  grid: Grid | null;
  layoutId: string | null;
}

/**
 * The wall on arrival: the saved layout the address names (as edited here, when the
 * draft is of it), else the draft, else the default (first cameras by name); the
 * address's grid, when given, resizes it.
 */
export function initialWall(s: WallSources): Wall {
  const { complexId, draft } = s;
  let base: Omit<Wall, 'complexId'> | null = null;
  if (s.layoutId) {
    if (draft && draft.layoutId === s.layoutId) base = draft;
    else {
      const layout = s.layouts.find((l) => l.id === s.layoutId);
      if (layout) base = { layoutId: layout.id, grid: layout.grid, cells: resizeCells(layout.cells, layout.grid) };
    }
  } else if (draft && (draft.layoutId === null || s.layouts.some((l) => l.id === draft.layoutId))) {
    base = draft;
  }
  if (!base) return { complexId, layoutId: null, ...defaultWall(s.cameras, s.grid) };
  if (s.grid && s.grid !== base.grid) {
    const fill = base.layoutId === null ? byName(s.cameras).map((c) => c.id) : [];
    return { complexId, layoutId: base.layoutId, grid: s.grid, cells: resizeCells(base.cells, s.grid, fill) };
  }
  return { complexId, layoutId: base.layoutId, grid: base.grid, cells: [...base.cells] };
}

/** Another grid: a wall of no saved layout fills new tiles with the next cameras by name. */
export function withGrid(wall: Wall, grid: Grid, cameras: readonly WallCamera[]): Wall {
  if (grid === wall.grid) return wall;
  const fill = wall.layoutId === null ? byName(cameras).map((c) => c.id) : [];
  return { ...wall, grid, cells: resizeCells(wall.cells, grid, fill) };
}

/** Whether the wall differs from the saved layout it came from. */
export function isModified(wall: Wall, layouts: readonly Pick<WallLayout, 'id' | 'grid' | 'cells'>[]): boolean {
  if (!wall.layoutId) return false;
  const layout = layouts.find((l) => l.id === wall.layoutId);
  if (!layout) return false;
  if (layout.grid !== wall.grid) return true;
  const saved = resizeCells(layout.cells, layout.grid);
  return saved.some((id, i) => id !== wall.cells[i]);
}

/** Layouts that belong on this complex's wall: a camera of it, or nothing placed yet. */
export function layoutsForComplex<L extends Pick<WallLayout, 'cells'>>(layouts: readonly L[], cameraIds: ReadonlySet<string>) {
  return layouts.filter((l) => l.cells.every((c) => c === null) || l.cells.some((c) => c !== null && cameraIds.has(c)));
}
