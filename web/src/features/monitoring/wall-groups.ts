import type { Camera, CameraType, SitePlan } from '@kuzet/contracts';
import { smallestGrid, type Grid } from './wall-grid.ts';

export type WallCamera = Pick<Camera, 'id' | 'name' | 'type' | 'buildingId' | 'entranceId' | 'zoneId'>;

export type GroupKind = 'all' | 'entrances' | 'building' | 'zone' | 'type';
export const groupKinds: readonly GroupKind[] = ['all', 'entrances', 'building', 'zone', 'type'];

/** A set of cameras that fills the wall in one click. */
export interface WallGroup {
  /** Stable key for the test id: all, entrances, building-<id>, zone-<id>, type-<type>. */
  key: string;
  kind: GroupKind;
  /** Building or zone name; the camera type for kind 'type'. */
  name: string | null;
  type: CameraType | null;
  cameraIds: string[];
}

const collator = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });

/** Cameras by name, the way people number them ("Подъезд 2" before "Подъезд 10"). */
export function byName<T extends Pick<Camera, 'name' | 'id'>>(cameras: readonly T[]): T[] {
  return [...cameras].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Types that get a group of their own (entrances have one already; "other" says nothing). */
const TYPE_GROUPS: readonly CameraType[] = ['yard', 'playground', 'parking', 'perimeter', 'lift'];

/** All, entrances, then one group per building and per zone of the plan, then per camera type; empty groups left out. */
export function wallGroups(cameras: readonly WallCamera[], plan: Pick<SitePlan, 'buildings' | 'zones'> | undefined) {
  const sorted = byName(cameras);
  const ids = (list: readonly WallCamera[]) => list.map((c) => c.id);
  const groups: WallGroup[] = [{ key: 'all', kind: 'all', name: null, type: null, cameraIds: ids(sorted) }];
  const entrances = sorted.filter((c) => c.type === 'entrance' || c.entranceId !== null);
  groups.push({ key: 'entrances', kind: 'entrances', name: null, type: null, cameraIds: ids(entrances) });
  for (const building of byName(plan?.buildings ?? [])) {
    const list = sorted.filter((c) => c.buildingId === building.id);
    groups.push({ key: `building-${building.id}`, kind: 'building', name: building.name, type: null, cameraIds: ids(list) });
  }
  for (const zone of byName(plan?.zones ?? [])) {
    const list = sorted.filter((c) => c.zoneId === zone.id);
    groups.push({ key: `zone-${zone.id}`, kind: 'zone', name: zone.name, type: null, cameraIds: ids(list) });
  }
  for (const type of TYPE_GROUPS) {
    const list = sorted.filter((c) => c.type === type);
    groups.push({ key: `type-${type}`, kind: 'type', name: null, type, cameraIds: ids(list) });
  }
  return groups.filter((g) => g.cameraIds.length > 0);
}

export interface WallFill {
  grid: Grid;
  cells: (string | null)[];
}

/** A wall filled with `ids` in order: the smallest grid that holds them (from `min`), the rest empty. */
export function fillWall(ids: readonly string[], min: Grid = 1, max: Grid = 25): WallFill {
  const grid = smallestGrid(ids.length, min, max);
  const cells: (string | null)[] = ids.slice(0, grid);
  while (cells.length < grid) cells.push(null);
  return { grid, cells };
}

/**
 * The wall when nothing is saved: the complex's first cameras by name, on 4 tiles, or
 * the smallest grid that holds them all, up to 16. `grid` forces a size (from the address).
 */
export function defaultWall(cameras: readonly WallCamera[], grid?: Grid | null): WallFill {
  const ids = byName(cameras).map((c) => c.id);
  if (grid) return fillWall(ids.slice(0, grid), grid, grid);
  return fillWall(ids, 4, 16);
}
