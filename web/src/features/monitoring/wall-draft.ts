import { isGrid, type Grid } from './wall-grid.ts';

/**
 * The wall as the person left it (cells placed by hand, a group, a grid), kept in the
 * browser per person and complex, so a reload, the next shift on the same machine, or
 * a pop-out window shows the same wall without saving a layout first.
 */
export interface WallDraft {
  /** The saved layout the wall started from, null for the default or a group. */
  layoutId: string | null;
  grid: Grid;
  cells: (string | null)[];
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function draftKey(userId: string, complexId: string): string {
  return `kuzet.wall.${userId}.${complexId}`;
}

export function readDraft(store: KeyValueStore | null, key: string): WallDraft | null {
  let raw: string | null = null;
  try {
    raw = store?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled
  }
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<WallDraft> | null;
    if (!value || typeof value.grid !== 'number' || !isGrid(value.grid) || !Array.isArray(value.cells)) return null;
    const cells = value.cells.slice(0, value.grid).map((c) => (typeof c === 'string' ? c : null));
    while (cells.length < value.grid) cells.push(null);
    const layoutId = typeof value.layoutId === 'string' ? value.layoutId : null;
    return { layoutId, grid: value.grid, cells };
  } catch {
    return null;
  }
}

export function writeDraft(store: KeyValueStore | null, key: string, draft: WallDraft): void {
  try {
    store?.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the wall still works, it just is not remembered.
  }
}
