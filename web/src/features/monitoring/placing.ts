/** Putting a camera on a tile takes two clicks, in either order: a camera then a tile, or an empty tile then a camera. */
export type Placing = { kind: 'camera'; cameraId: string } | { kind: 'tile'; index: number } | null;

export type PlaceStep =
  | { action: 'assign'; index: number; cameraId: string }
  | { action: 'wait'; placing: Placing }
  | { action: 'open'; index: number };

/** What a click on tile `index` does (showing `cameraId`, or empty). */
export function clickTile(placing: Placing, index: number, cameraId: string | null): PlaceStep {
  if (placing?.kind === 'camera') return { action: 'assign', index, cameraId: placing.cameraId };
  if (cameraId !== null) return { action: 'open', index };
  return { action: 'wait', placing: placing?.kind === 'tile' && placing.index === index ? null : { kind: 'tile', index } };
}

/** What a click on a camera in the list does. */
export function clickCamera(placing: Placing, cameraId: string): PlaceStep {
  if (placing?.kind === 'tile') return { action: 'assign', index: placing.index, cameraId };
  if (placing?.kind === 'camera' && placing.cameraId === cameraId) return { action: 'wait', placing: null };
  return { action: 'wait', placing: { kind: 'camera', cameraId } };
}
