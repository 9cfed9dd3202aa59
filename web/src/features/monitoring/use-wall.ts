import { useCallback, useMemo, useState } from 'react';
import type { WallLayout } from '@kuzet/contracts';
import { draftKey, readDraft, writeDraft, type KeyValueStore } from './wall-draft.ts';
import { assignCell, resizeCells, swapCells, type Grid } from './wall-grid.ts';
import { defaultWall, fillWall, type WallCamera } from './wall-groups.ts';
import { initialWall, withGrid, type Wall } from './wall-state.ts';

function browserStore(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export interface WallInput {
  complexId: string | null;
  userId: string;
  /** null while loading. */
  cameras: readonly WallCamera[] | null;
  /** null while loading (needed only when the address names a layout). */
  layouts: readonly WallLayout[] | null;
  grid: Grid | null;
  layoutId: string | null;
}

export interface WallActions {
  setGrid: (grid: Grid) => void;
  assign: (index: number, cameraId: string | null) => void;
  swap: (from: number, to: number) => void;
  /** Fills the wall with cameras (a group): the smallest grid that holds them. */
  fill: (cameraIds: readonly string[]) => void;
  load: (layout: Pick<WallLayout, 'id' | 'grid' | 'cells'>) => void;
  /** The default wall (first cameras by name), no layout. */
  reset: () => void;
  /** After "save as": the wall now is that layout. After a delete: of none. */
  setLayoutId: (layoutId: string | null) => void;
  /** Writes the wall as shown to this browser's draft (before a pop-out window opens). */
  remember: () => void;
}

/** The wall's state: from the address, the saved layouts and this browser's draft; every change is remembered. */
export function useWall(input: WallInput): { wall: Wall | null } & WallActions {
  const { complexId, userId, cameras, layouts, grid, layoutId } = input;
  const [stored, setStored] = useState<Wall | null>(null);
  const store = useMemo(browserStore, []);
  const key = complexId ? draftKey(userId, complexId) : null;
  const ready = complexId !== null && cameras !== null && (layoutId === null || layouts !== null);

  const wall = useMemo(() => {
    if (stored && stored.complexId === complexId) return stored;
    if (!ready || !key || !complexId || !cameras) return null;
    return initialWall({
      complexId,
      cameras,
      layouts: layouts ?? [],
      draft: readDraft(store, key),
      grid,
      layoutId,
    });
  }, [stored, complexId, ready, key, cameras, layouts, store, grid, layoutId]);

  const commit = useCallback(
    (next: Wall) => {
      setStored(next);
      writeDraft(store, draftKey(userId, next.complexId), { layoutId: next.layoutId, grid: next.grid, cells: next.cells });
    },
    [store, userId],
  );

  const all = cameras ?? [];
  return {
    wall,
    setGrid: (g) => wall && commit(withGrid(wall, g, all)),
    assign: (index, cameraId) => wall && commit({ ...wall, cells: assignCell(wall.cells, index, cameraId) }),
    swap: (from, to) => wall && commit({ ...wall, cells: swapCells(wall.cells, from, to) }),
    fill: (ids) => wall && commit({ ...wall, layoutId: null, ...fillWall(ids) }),
    load: (layout) =>
      wall && commit({ ...wall, layoutId: layout.id, grid: layout.grid, cells: resizeCells(layout.cells, layout.grid) }),
    reset: () => wall && commit({ ...wall, layoutId: null, ...defaultWall(all) }),
    setLayoutId: (id) => wall && commit({ ...wall, layoutId: id }),
    remember: () => wall && commit(wall),
  };
}
