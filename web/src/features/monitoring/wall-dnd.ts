/** Drag and drop on the wall: a camera from the list onto a tile, or one tile onto another. */
export const CAMERA_TYPE = 'application/x-kuzet-camera';
export const TILE_TYPE = 'application/x-kuzet-tile';

export type Dropped = { kind: 'camera'; cameraId: string } | { kind: 'tile'; index: number };

export function isWallDrag(types: readonly string[]): boolean {
  return types.includes(CAMERA_TYPE) || types.includes(TILE_TYPE);
}

export function readDrop(data: Pick<DataTransfer, 'getData'>): Dropped | null {
  const cameraId = data.getData(CAMERA_TYPE);
  if (cameraId) return { kind: 'camera', cameraId };
  const tile = data.getData(TILE_TYPE);
  if (/^\d{1,2}$/.test(tile)) return { kind: 'tile', index: Number(tile) };
  return null;
}
