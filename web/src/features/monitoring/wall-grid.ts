import { wallGrids } from '@kuzet/contracts';

export type Grid = (typeof wallGrids)[number];
export { wallGrids };

/** Tiles per row (and rows): 1, 2, 3, 4 or 5. */
export function sideOf(grid: Grid): number {
  return Math.round(Math.sqrt(grid));
}

export function isGrid(value: number): value is Grid {
  return (wallGrids as readonly number[]).includes(value);
}

/** "?grid=9" → 9; null for anything that is not a wall grid. */
export function parseGrid(value: string | null): Grid | null {
  if (value === null || !/^\d{1,2}$/.test(value)) return null;
  const n = Number(value);
  return isGrid(n) ? n : null;
}

/** The smallest grid that holds `count` tiles, from `min` up to `max`. */
export function smallestGrid(count: number, min: Grid = 1, max: Grid = 25): Grid {
  for (const grid of wallGrids) {
    if (grid < min) continue;
    if (grid >= count || grid >= max) return grid;
  }
  return max;
}

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';

export function isNavKey(key: string): key is NavKey {
  return ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(key);
}

/**
 * The tile focus moves to from `index` on a grid: arrows move within the square and
 * stop at its edges; Left/Right wrap to the previous/next row; Home/End go to the first/last tile.
 */
export function moveFocus(index: number, key: NavKey, grid: Grid): number {
  const side = sideOf(grid);
  const last = grid - 1;
  const i = Math.min(Math.max(index, 0), last);
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, i - 1);
    case 'ArrowRight':
      return Math.min(last, i + 1);
    case 'ArrowUp':
      return i - side >= 0 ? i - side : i;
    case 'ArrowDown':
      return i + side <= last ? i + side : i;
    case 'Home':
      return 0;
    case 'End':
      return last;
  }
}

/** The grid a digit key switches to on the wall ("1", "4", "9"); null for other keys. */
export function gridForKey(key: string): Grid | null {
  if (key === '1') return 1;
  if (key === '4') return 4;
  if (key === '9') return 9;
  return null;
}

/**
 * The wall's cells for another grid: the first tiles are kept; new tiles are filled from
 * `fill` (cameras not on the wall yet, in order) when given, else left empty.
 */
export function resizeCells(
  cells: readonly (string | null)[],
  grid: Grid,
  fill: readonly string[] = [],
): (string | null)[] {
  const out = cells.slice(0, grid);
  while (out.length < grid) out.push(null);
  const used = new Set(out.filter((c): c is string => c !== null));
  const pool = fill.filter((id) => !used.has(id));
  for (let i = cells.length; i < grid && pool.length > 0; i++) {
    if (out[i] === null) out[i] = pool.shift() ?? null;
  }
  return out;
}

/** Puts a camera on tile `index` (where it already is elsewhere, the two tiles swap). */
export function assignCell(cells: readonly (string | null)[], index: number, cameraId: string | null) {
  const out = [...cells];
  if (index < 0 || index >= out.length) return out;
  const previous = out[index] ?? null;
  if (cameraId !== null) {
    const other = out.indexOf(cameraId);
    if (other !== -1 && other !== index) out[other] = previous;
  }
  out[index] = cameraId;
  return out;
}

/** Swaps two tiles (a drag from one tile onto another). */
export function swapCells(cells: readonly (string | null)[], a: number, b: number) {
  const out = [...cells];
  if (a < 0 || b < 0 || a >= out.length || b >= out.length) return out;
  [out[a], out[b]] = [out[b] ?? null, out[a] ?? null];
  return out;
}
