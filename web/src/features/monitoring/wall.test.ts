import { describe, expect, it } from 'vitest';
import type { CameraType } from '@kuzet/contracts';
import { clickCamera, clickTile } from './placing.ts';
import { draftKey, readDraft, writeDraft, type KeyValueStore } from './wall-draft.ts';
import { isWallDrag, readDrop, CAMERA_TYPE, TILE_TYPE } from './wall-dnd.ts';
import {
  assignCell,
  gridForKey,
  moveFocus,
  parseGrid,
  resizeCells,
  sideOf,
  smallestGrid,
  swapCells,
  wallGrids,
} from './wall-grid.ts';
import { byName, defaultWall, fillWall, wallGroups, type WallCamera } from './wall-groups.ts';
import { neighbours } from './wall-nav.ts';
import { isPopout, liveCameraPath, popoutPath, readWallRoute, wallSearch } from './wall-route.ts';
import { initialWall, isModified, layoutsForComplex, withGrid } from './wall-state.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function cam(n: number, name: string, more: Partial<WallCamera> = {}): WallCamera {
  return {
    id: uuid(n),
    name,
    type: 'yard' as CameraType,
    buildingId: null,
    entranceId: null,
    zoneId: null,
    ...more,
  };
}

class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

describe('wall grid math', () => {
  it('knows the grid sides and reads grids from the address', () => {
    expect(wallGrids.map(sideOf)).toEqual([1, 2, 3, 4, 5]);
    expect(parseGrid('9')).toBe(9);
    expect(parseGrid('8')).toBeNull();
    expect(parseGrid('x')).toBeNull();
    expect(parseGrid(null)).toBeNull();
  });

  it('picks the smallest grid that holds the tiles', () => {
    expect(smallestGrid(0)).toBe(1);
    expect(smallestGrid(1)).toBe(1);
    expect(smallestGrid(2)).toBe(4);
    expect(smallestGrid(5)).toBe(9);
    expect(smallestGrid(17)).toBe(25);
    expect(smallestGrid(40)).toBe(25);
    expect(smallestGrid(1, 4)).toBe(4);
    expect(smallestGrid(30, 4, 16)).toBe(16);
  });

  it('moves the focus with the arrow keys within the square', () => {
    // 3×3: 0 1 2 / 3 4 5 / 6 7 8
    expect(moveFocus(4, 'ArrowUp', 9)).toBe(1);
    expect(moveFocus(4, 'ArrowDown', 9)).toBe(7);
    expect(moveFocus(4, 'ArrowLeft', 9)).toBe(3);
    expect(moveFocus(4, 'ArrowRight', 9)).toBe(5);
    expect(moveFocus(1, 'ArrowUp', 9)).toBe(1);
    expect(moveFocus(7, 'ArrowDown', 9)).toBe(7);
    expect(moveFocus(0, 'ArrowLeft', 9)).toBe(0);
    expect(moveFocus(8, 'ArrowRight', 9)).toBe(8);
    // Left/Right run on to the next row.
    expect(moveFocus(2, 'ArrowRight', 9)).toBe(3);
    expect(moveFocus(3, 'ArrowLeft', 9)).toBe(2);
    expect(moveFocus(7, 'Home', 9)).toBe(0);
    expect(moveFocus(0, 'End', 25)).toBe(24);
    expect(moveFocus(12, 'ArrowDown', 25)).toBe(17);
    // A focus left over from a larger grid lands inside the smaller one.
    expect(moveFocus(20, 'ArrowLeft', 4)).toBe(2);
    expect(moveFocus(0, 'ArrowDown', 1)).toBe(0);
  });

  it('switches the grid by digit keys', () => {
    expect(['1', '4', '9', '2', 'a'].map(gridForKey)).toEqual([1, 4, 9, null, null]);
  });

  it('resizes the cells, filling new tiles only from the given cameras', () => {
    const a = uuid(1);
    const b = uuid(2);
    const c = uuid(3);
    expect(resizeCells([a, b, null, c], 1)).toEqual([a]);
    expect(resizeCells([a], 4)).toEqual([a, null, null, null]);
    expect(resizeCells([a], 4, [a, b, c])).toEqual([a, b, c, null]);
    // An empty tile kept from before stays empty.
    expect(resizeCells([a, null], 4, [b, c])).toEqual([a, null, b, c]);
  });

  it('assigns, swaps and clears tiles', () => {
    const [a, b] = [uuid(1), uuid(2)];
    expect(assignCell([a, null, null, null], 2, b)).toEqual([a, null, b, null]);
    // A camera already on the wall moves; the tiles swap.
    expect(assignCell([a, b, null, null], 3, a)).toEqual([null, b, null, a]);
    expect(assignCell([a, b, null, null], 1, a)).toEqual([b, a, null, null]);
    expect(assignCell([a, b], 0, null)).toEqual([null, b]);
    expect(assignCell([a, b], 5, a)).toEqual([a, b]);
    expect(swapCells([a, b, null, null], 0, 3)).toEqual([null, b, null, a]);
    expect(swapCells([a, b], 0, 9)).toEqual([a, b]);
  });
});

describe('default wall and groups', () => {
  const cameras = [cam(3, 'Подъезд 10'), cam(1, 'Подъезд 2'), cam(2, 'Двор'), cam(4, 'Арка')];

  it('sorts by name as people number them', () => {
    expect(byName(cameras).map((c) => c.name)).toEqual(['Арка', 'Двор', 'Подъезд 2', 'Подъезд 10']);
  });

  it('shows the first cameras by name on 4 tiles, or the smallest grid up to 16', () => {
    expect(defaultWall(cameras)).toEqual({ grid: 4, cells: [uuid(4), uuid(2), uuid(1), uuid(3)] });
    expect(defaultWall([cam(1, 'A')])).toEqual({ grid: 4, cells: [uuid(1), null, null, null] });
    expect(defaultWall([])).toEqual({ grid: 4, cells: [null, null, null, null] });
    const many = Array.from({ length: 7 }, (_, i) => cam(i + 1, `K${i + 1}`));
    expect(defaultWall(many).grid).toBe(9);
    const lots = Array.from({ length: 40 }, (_, i) => cam(i + 1, `K${i + 1}`));
    const wall = defaultWall(lots);
    expect(wall.grid).toBe(16);
    expect(wall.cells.slice(0, 2)).toEqual([uuid(1), uuid(2)]);
    expect(defaultWall(lots, 25).cells.filter(Boolean)).toHaveLength(25);
    expect(defaultWall(cameras, 1)).toEqual({ grid: 1, cells: [uuid(4)] });
  });

  it('fills the wall with a group on the smallest grid that holds it', () => {
    expect(fillWall([uuid(1), uuid(2)])).toEqual({ grid: 4, cells: [uuid(1), uuid(2), null, null] });
    expect(fillWall([uuid(1)])).toEqual({ grid: 1, cells: [uuid(1)] });
    expect(fillWall(Array.from({ length: 30 }, (_, i) => uuid(i))).cells).toHaveLength(25);
  });

  it('groups by building, zone, entrances and type, leaving out empty groups', () => {
    const b1 = uuid(101);
    const b2 = uuid(102);
    const z1 = uuid(201);
    const list = [
      cam(1, 'Подъезд 1', { type: 'entrance', buildingId: b1, entranceId: uuid(301) }),
      cam(2, 'Двор', { type: 'yard', zoneId: z1 }),
      cam(3, 'Парковка', { type: 'parking', zoneId: z1 }),
      cam(4, 'Подъезд 2', { type: 'entrance', buildingId: b1 }),
    ];
    const plan = {
      buildings: [
        { id: b1, name: 'Блок А' },
        { id: b2, name: 'Блок Б' },
      ],
      zones: [{ id: z1, name: 'Двор 1' }],
    } as unknown as Parameters<typeof wallGroups>[1];
    const groups = wallGroups(list, plan);
    expect(groups.map((g) => g.key)).toEqual([
      'all',
      'entrances',
      `building-${b1}`,
      `zone-${z1}`,
      'type-yard',
      'type-parking',
    ]);
    expect(groups.find((g) => g.key === 'entrances')?.cameraIds).toEqual([uuid(1), uuid(4)]);
    expect(groups.find((g) => g.key === `zone-${z1}`)).toMatchObject({ name: 'Двор 1', cameraIds: [uuid(2), uuid(3)] });
    expect(groups[0]?.cameraIds).toEqual([uuid(2), uuid(3), uuid(1), uuid(4)]);
    expect(wallGroups([], undefined)).toEqual([]);
  });
});

describe('the wall on arrival and as it changes', () => {
  const cameras = [cam(1, 'A'), cam(2, 'B'), cam(3, 'C'), cam(4, 'D'), cam(5, 'E')];
  const layout = { id: uuid(900), grid: 4 as const, cells: [uuid(5), null, uuid(1), null] };
  const base = { complexId: uuid(77), cameras, layouts: [layout], draft: null, grid: null, layoutId: null };

  it('starts from the default, the named layout, or the draft', () => {
    expect(initialWall(base)).toMatchObject({
      layoutId: null,
      grid: 9,
      cells: [uuid(1), uuid(2), uuid(3), uuid(4), uuid(5), null, null, null, null],
    });
    expect(initialWall({ ...base, layoutId: layout.id })).toMatchObject({ layoutId: layout.id, grid: 4, cells: layout.cells });
    const draft = { layoutId: layout.id, grid: 4 as const, cells: [uuid(2), null, null, null] };
    expect(initialWall({ ...base, layoutId: layout.id, draft }).cells).toEqual(draft.cells);
    expect(initialWall({ ...base, draft }).cells).toEqual(draft.cells);
    // A draft of a layout that is gone is not used.
    expect(initialWall({ ...base, layouts: [], draft }).layoutId).toBeNull();
    // An unknown layout: the default.
    expect(initialWall({ ...base, layoutId: uuid(999) })).toMatchObject({ layoutId: null, grid: 9 });
  });

  it('takes the grid from the address', () => {
    expect(initialWall({ ...base, grid: 4 })).toMatchObject({ grid: 4, cells: [uuid(1), uuid(2), uuid(3), uuid(4)] });
    expect(initialWall({ ...base, grid: 1, layoutId: layout.id })).toMatchObject({ grid: 1, cells: [uuid(5)] });
    expect(initialWall({ ...base, grid: 9, layoutId: layout.id }).cells).toEqual([...layout.cells, ...Array(5).fill(null)]);
  });

  it('grows a default wall with the next cameras, a layout with empty tiles', () => {
    const wall = initialWall({ ...base, grid: 1 });
    expect(withGrid(wall, 4, cameras).cells).toEqual([uuid(1), uuid(2), uuid(3), uuid(4)]);
    const fromLayout = initialWall({ ...base, layoutId: layout.id });
    expect(withGrid(fromLayout, 9, cameras).cells.slice(4)).toEqual(Array(5).fill(null));
  });

  it('knows when the wall differs from its saved layout', () => {
    const wall = initialWall({ ...base, layoutId: layout.id });
    expect(isModified(wall, [layout])).toBe(false);
    expect(isModified({ ...wall, cells: [null, null, null, null] }, [layout])).toBe(true);
    expect(isModified({ ...wall, grid: 9, cells: resizeCells(wall.cells, 9) }, [layout])).toBe(true);
    expect(isModified({ ...wall, layoutId: null }, [layout])).toBe(false);
  });

  it('offers only the layouts of this complex', () => {
    const other = { id: uuid(901), cells: [uuid(50)] };
    const empty = { id: uuid(902), cells: [null] };
    const ids = new Set(cameras.map((c) => c.id));
    expect(layoutsForComplex([layout, other, empty], ids).map((l) => l.id)).toEqual([layout.id, empty.id]);
  });
});

describe('the wall in the address and in the browser', () => {
  it('reads and writes the wall route', () => {
    const route = readWallRoute(new URLSearchParams(`grid=9&layout=${uuid(1)}&camera=${uuid(2)}&popout=1`));
    expect(route).toEqual({ grid: 9, layoutId: uuid(1), cameraId: uuid(2), popout: true });
    expect(readWallRoute(new URLSearchParams('grid=7&layout=<script>'))).toEqual({
      grid: null,
      layoutId: null,
      cameraId: null,
      popout: false,
    });
    expect(wallSearch(route, uuid(3)).toString()).toBe(
      `complex=${uuid(3)}&grid=9&layout=${uuid(1)}&camera=${uuid(2)}&popout=1`,
    );
    expect(liveCameraPath(uuid(2), null)).toBe(`/monitoring?camera=${uuid(2)}`);
    expect(popoutPath(route, null)).toBe(`/monitoring?grid=9&layout=${uuid(1)}&popout=1`);
    expect(isPopout('/monitoring', '?popout=1&grid=4')).toBe(true);
    expect(isPopout('/map', '?popout=1')).toBe(false);
  });

  it('keeps a draft per person and complex, and ignores junk', () => {
    const store = new MemoryStore();
    const key = draftKey(uuid(1), uuid(2));
    writeDraft(store, key, { layoutId: null, grid: 4, cells: [uuid(3), null, null, null] });
    expect(readDraft(store, key)).toEqual({ layoutId: null, grid: 4, cells: [uuid(3), null, null, null] });
    store.setItem(key, '{"grid":7,"cells":[]}');
    expect(readDraft(store, key)).toBeNull();
    store.setItem(key, 'nope');
    expect(readDraft(store, key)).toBeNull();
    store.setItem(key, '{"grid":4,"cells":["x",5]}');
    expect(readDraft(store, key)).toEqual({ layoutId: null, grid: 4, cells: ['x', null, null, null] });
    expect(readDraft(null, key)).toBeNull();
  });
});

describe('placing cameras and moving between them', () => {
  it('takes a camera then a tile, or an empty tile then a camera', () => {
    const a = uuid(1);
    expect(clickTile({ kind: 'camera', cameraId: a }, 2, null)).toEqual({ action: 'assign', index: 2, cameraId: a });
    expect(clickTile(null, 2, a)).toEqual({ action: 'open', index: 2 });
    expect(clickTile(null, 2, null)).toEqual({ action: 'wait', placing: { kind: 'tile', index: 2 } });
    expect(clickTile({ kind: 'tile', index: 2 }, 2, null)).toEqual({ action: 'wait', placing: null });
    expect(clickCamera({ kind: 'tile', index: 3 }, a)).toEqual({ action: 'assign', index: 3, cameraId: a });
    expect(clickCamera(null, a)).toEqual({ action: 'wait', placing: { kind: 'camera', cameraId: a } });
    expect(clickCamera({ kind: 'camera', cameraId: a }, a)).toEqual({ action: 'wait', placing: null });
  });

  it('reads drops', () => {
    const data = (values: Record<string, string>) => ({ getData: (type: string) => values[type] ?? '' });
    expect(readDrop(data({ [CAMERA_TYPE]: uuid(1) }))).toEqual({ kind: 'camera', cameraId: uuid(1) });
    expect(readDrop(data({ [TILE_TYPE]: '3' }))).toEqual({ kind: 'tile', index: 3 });
    expect(readDrop(data({ 'text/plain': 'x' }))).toBeNull();
    expect(isWallDrag(['Files'])).toBe(false);
    expect(isWallDrag([TILE_TYPE])).toBe(true);
  });

  it('goes round the wall cameras in full screen', () => {
    const [a, b, c] = [uuid(1), uuid(2), uuid(3)];
    expect(neighbours([a, null, b, c], b)).toEqual({ previous: a, next: c });
    expect(neighbours([a, null, b, c], a)).toEqual({ previous: c, next: b });
    expect(neighbours([a, b], uuid(9))).toEqual({ previous: b, next: a });
    expect(neighbours([a, null], a)).toEqual({ previous: null, next: null });
    expect(neighbours([], a)).toEqual({ previous: null, next: null });
  });
});
