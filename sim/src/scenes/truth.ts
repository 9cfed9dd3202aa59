/**
 * Ground truth of a scene: which object is where on every loop frame, in pixels of the
 * main stream (the sub stream is the same picture scaled). Computed from the geometry
 * that also drives the ffmpeg expressions, so "was there motion in region R at time t"
 * can be answered without looking at a single pixel.
 */
import { findScene, type SceneRef } from './catalog.ts';
import { sweepGeometry } from './filtergraph.ts';
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

/** A zone the scene is scripted around; polygon normalised (0..1 of the picture, x right, y down). */
export interface TruthZone {
  id: string;
  polygon: Array<[number, number]>;
}

/**
 * What a detector should (zone_entry, tamper) or should not (none) report, in loop time (ms
 * from loop frame 0; endMs is the end of the last frame). zone_entry: a figure's box overlaps
 * the zone polygon from startMs to endMs (box: the figure's box at startMs, normalised).
 * none: a distractor (cause: outside_zone — a figure that never touches a zone —, headlights,
 * ir_on / ir_off, noise_rain, static), where any event would be false.
 */
export interface TruthEvent {
  kind: 'zone_entry' | 'tamper' | 'none';
  cause?: string;
  zoneId?: string;
  objectId?: string;
  startMs: number;
  endMs: number;
  box?: Box;
}

export interface SceneTruth {
  scene: string;
  title: string;
  variant: 'day' | 'night' | 'dusk';
  fps: number;
  loopFrames: number;
  width: number;
  height: number;
  objects: TruthObject[];
  zones: TruthZone[];
  events: TruthEvent[];
}

/** A tamper fault applied to a camera (sim.setFault cover/defocus/turn), in wall-clock ms: the first and the end of the tampered frames. */
export interface TamperTruth {
  cause: 'covered' | 'defocused' | 'turned';
  startMs: number;
  endMs: number | null;
}

/** A camera's truth adds its clock: loop frame f of iteration k is shown at epochMs + (k·loopFrames + f)·1000/fps. */
export interface CameraTruth extends SceneTruth {
  cameraId: string;
  stampId: number;
  epochMs: number;
  sub: { width: number; height: number };
  /** sub stream keyframe interval, seconds */
  subGopSeconds: 1 | 2;
  /** tamper faults so far (wall clock, not loop time) */
  tamper: TamperTruth[];
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
  const zones: TruthZone[] = (scene.place.zones ?? []).map((z) => ({
    id: z.id,
    polygon: z.polygon.map(([x, y]) => [x, y]),
  }));
  return {
    scene: sceneId,
    title: scene.place.title,
    variant: scene.variant,
    fps: FPS,
    loopFrames: canvas.loopFrames,
    width: canvas.width,
    height: canvas.height,
    objects,
    zones,
    events: sceneEvents(scene, canvas, objects, zones),
  };
}

const msOf = (frame: number): number => Math.round((frame * 1000) / FPS);

function sceneEvents(scene: SceneRef, c: Canvas, objects: TruthObject[], zones: TruthZone[]): TruthEvent[] {
  const events: TruthEvent[] = [];
  const norm = (b: Box): Box => ({ x: b.x / c.width, y: b.y / c.height, w: b.w / c.width, h: b.h / c.height });
  for (const o of objects) {
    let touched = false;
    for (const z of zones) {
      let run: { start: number; last: number; box: Box } | undefined;
      const flush = (): void => {
        if (!run) return;
        events.push({
          kind: 'zone_entry',
          zoneId: z.id,
          objectId: o.id,
          startMs: msOf(run.start),
          endMs: msOf(run.last + 1),
          box: run.box,
        });
        run = undefined;
      };
      for (const [n, x, y, w, h] of o.boxes) {
        const b = norm({ x, y, w, h });
        if (boxTouchesPolygon(b, z.polygon)) {
          touched = true;
          if (run && n === run.last + 1) run.last = n;
          else {
            flush();
            run = { start: n, last: n, box: b };
          }
        } else flush();
      }
      flush();
    }
    if (zones.length && !touched) {
      const mid = o.boxes[Math.floor(o.boxes.length / 2)];
      events.push({
        kind: 'none',
        cause: 'outside_zone',
        objectId: o.id,
        startMs: msOf(o.firstFrame),
        endMs: msOf(o.lastFrame + 1),
        ...(mid ? { box: norm({ x: mid[1], y: mid[2], w: mid[3], h: mid[4] }) } : {}),
      });
    }
  }
  const fx = scene.effects;
  for (const s of fx.headlights ?? []) {
    const g = sweepGeometry(s, c);
    events.push({ kind: 'none', cause: 'headlights', startMs: msOf(g.n0), endMs: msOf(g.n1 + 1) });
  }
  if (fx.infrared) {
    const a = Math.round(fx.infrared.from * c.loopFrames);
    const b = Math.round(fx.infrared.to * c.loopFrames);
    events.push({ kind: 'none', cause: 'ir_on', startMs: msOf(a), endMs: msOf(b) });
    events.push({ kind: 'none', cause: 'ir_off', startMs: msOf(b), endMs: msOf(c.loopFrames) });
  }
  if (!objects.length && !fx.headlights?.length && !fx.infrared)
    events.push({ kind: 'none', cause: fx.rain ? 'noise_rain' : 'static', startMs: 0, endMs: msOf(c.loopFrames) });
  return events.sort((a, b) => a.startMs - b.startMs);
}

/** Whether a box and a convex polygon overlap with positive area (separating axis test). */
export function boxTouchesPolygon(b: Box, polygon: Array<[number, number]>): boolean {
  const corners: Array<[number, number]> = [
    [b.x, b.y],
    [b.x + b.w, b.y],
    [b.x + b.w, b.y + b.h],
    [b.x, b.y + b.h],
  ];
  const axes: Array<[number, number]> = [
    [1, 0],
    [0, 1],
  ];
  for (let i = 0; i < polygon.length; i++) {
    const p = polygon[i] as [number, number];
    const q = polygon[(i + 1) % polygon.length] as [number, number];
    axes.push([q[1] - p[1], p[0] - q[0]]);
  }
  const project = (pts: Array<[number, number]>, [ax, ay]: [number, number]): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [x, y] of pts) {
      const v = x * ax + y * ay;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return [lo, hi];
  };
  for (const axis of axes) {
    const [a0, a1] = project(corners, axis);
    const [b0, b1] = project(polygon, axis);
    if (a1 <= b0 || b1 <= a0) return false;
  }
  return true;
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
