/**
 * Ground truth of a scene: which object is where on every loop frame, in pixels of the
 * main stream (the sub stream is the same picture scaled). Computed from the geometry
 * that also drives the ffmpeg expressions, so "was there motion in region R at time t"
 * can be answered without looking at a single pixel.
 */
import { findScene } from './catalog.ts';
import { FPS, actorGeometry, partRect, type Canvas } from './geometry.ts';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TruthObject {
  id: string;
  kind: 'person' | 'car';
  /** first/last loop frame on which any of it is inside the picture */
  firstFrame: number;
  lastFrame: number;
  /** [loopFrame, x, y, w, h] for every frame it is visible, clipped to the picture */
  boxes: Array<[number, number, number, number, number]>;
}

export interface SceneTruth {
  scene: string;
  title: string;
  variant: 'day' | 'night';
  fps: number;
  loopFrames: number;
  width: number;
  height: number;
  objects: TruthObject[];
}

/** A camera's truth adds its clock: loop frame f of iteration k is shown at epochMs + (k·loopFrames + f)·1000/fps. */
export interface CameraTruth extends SceneTruth {
  cameraId: string;
  stampId: number;
  epochMs: number;
  sub: { width: number; height: number };
}

function clip(b: Box, width: number, height: number): Box | undefined {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  const x1 = Math.min(width, b.x + b.w);
  const y1 = Math.min(height, b.y + b.h);
  return x1 > x && y1 > y ? { x, y, w: x1 - x, h: y1 - y } : undefined;
}

export function sceneTruth(sceneId: string, canvas: Canvas): SceneTruth {
  const scene = findScene(sceneId);
  if (!scene) throw new Error(`unknown scene ${sceneId}`);
  const objects: TruthObject[] = [];
  for (const actor of scene.place.actors) {
    const g = actorGeometry(actor, canvas);
    const boxes: TruthObject['boxes'] = [];
    for (let n = g.n0; n <= g.n1; n++) {
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (const p of g.parts) {
        const r = partRect(p, g, n);
        x0 = Math.min(x0, r.x);
        y0 = Math.min(y0, r.y);
        x1 = Math.max(x1, r.x + r.w);
        y1 = Math.max(y1, r.y + r.h);
      }
      const b = clip({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, canvas.width, canvas.height);
      if (b) boxes.push([n, b.x, b.y, b.w, b.h]);
    }
    const first = boxes[0];
    const last = boxes[boxes.length - 1];
    if (first && last)
      objects.push({ id: actor.id, kind: actor.kind, firstFrame: first[0], lastFrame: last[0], boxes });
  }
  return {
    scene: sceneId,
    title: scene.place.title,
    variant: scene.variant,
    fps: FPS,
    loopFrames: canvas.loopFrames,
    width: canvas.width,
    height: canvas.height,
    objects,
  };
}

export function boxAt(obj: TruthObject, loopFrame: number): Box | undefined {
  if (loopFrame < obj.firstFrame || loopFrame > obj.lastFrame) return undefined;
  // boxes are consecutive frames except where the object is off-screen: search from the estimate
  let i = Math.min(obj.boxes.length - 1, loopFrame - obj.firstFrame);
  while (i >= 0) {
    const b = obj.boxes[i];
    if (!b) return undefined;
    if (b[0] === loopFrame) return { x: b[1], y: b[2], w: b[3], h: b[4] };
    if (b[0] < loopFrame) return undefined;
    i--;
  }
  return undefined;
}

export function objectsAt(
  truth: SceneTruth,
  loopFrame: number,
): Array<{ id: string; kind: TruthObject['kind']; box: Box }> {
  const f = ((loopFrame % truth.loopFrames) + truth.loopFrames) % truth.loopFrames;
  const out: Array<{ id: string; kind: TruthObject['kind']; box: Box }> = [];
  for (const o of truth.objects) {
    const box = boxAt(o, f);
    if (box) out.push({ id: o.id, kind: o.kind, box });
  }
  return out;
}

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Ids of objects inside `region` (pixels of the main stream) on any frame of [fromFrame, toFrame]; frames may be camera frames (they wrap). */
export function motionInRegion(truth: SceneTruth, region: Box, fromFrame: number, toFrame: number): string[] {
  const hit = new Set<string>();
  const last = Math.min(toFrame, fromFrame + truth.loopFrames - 1);
  for (let f = fromFrame; f <= last; f++) {
    for (const o of objectsAt(truth, f)) if (intersects(o.box, region)) hit.add(o.id);
  }
  return [...hit].sort();
}

/** Camera frame (counting from the epoch, not wrapped) shown at wall time `ms`. */
export function cameraFrameAt(truth: CameraTruth, ms: number): number {
  return Math.floor(((ms - truth.epochMs) * truth.fps) / 1000);
}
