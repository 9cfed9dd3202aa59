import fs from 'node:fs/promises';

/** Size and free space of the file system that holds the recordings (bytes). */
export interface DiskSpace {
  totalBytes: number;
  freeBytes: number;
}

/** How the disk is measured: fs.statfs by default; tests inject a fake to simulate a full disk. */
export type StatfsFn = (dir: string) => Promise<DiskSpace>;

/** The free space an unprivileged process may use (bavail), as the recorder sees it. */
export const statfsDisk: StatfsFn = async (dir) => {
  const s = await fs.statfs(dir);
  return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
};

export type FreeFloor = { readonly percent: number } | { readonly bytes: number };

/** The free-space floor in bytes for a disk of this size. */
export function floorBytesOf(floor: FreeFloor, totalBytes: number): number {
  return Math.round('percent' in floor ? (totalBytes * floor.percent) / 100 : floor.bytes);
}

/**
 * How far above the floor retention frees once it has to: a small margin, so that it does
 * not delete one file a minute at the floor's edge. 1 % of the disk, at most 2 GB.
 */
export function floorMarginOf(totalBytes: number): number {
  return Math.min(Math.round(totalBytes * 0.01), 2e9);
}

/** The disk of `dir` (created if missing, so a fresh install can be measured). */
export async function measureDisk(dir: string, statfs: StatfsFn): Promise<DiskSpace> {
  await fs.mkdir(dir, { recursive: true });
  return statfs(dir);
}
