import type { Point } from '@kuzet/contracts';

/** The field of view drawn when a camera has a direction but no angle set. */
export const DEFAULT_FOV = 60;

const rad = (deg: number) => (deg * Math.PI) / 180;
const round = (n: number) => Math.round(n * 1000) / 1000 || 0;

/** A point `r` away from `origin` at `deg` degrees clockwise from "up" (−y on the plan). */
export function pointAt(origin: Point, deg: number, r: number): Point {
  return [round(origin[0] + r * Math.sin(rad(deg))), round(origin[1] - r * Math.cos(rad(deg)))];
}

/** The svg path of a camera's view: a wedge of `fov` degrees around `direction`, `r` long. */
export function conePath(origin: Point, direction: number, fov: number, r: number): string {
  const [x, y] = origin;
  if (fov >= 359.5) {
    return `M ${round(x - r)} ${round(y)} a ${r} ${r} 0 1 0 ${2 * r} 0 a ${r} ${r} 0 1 0 ${-2 * r} 0 Z`;
  }
  const [x0, y0] = pointAt(origin, direction - fov / 2, r);
  const [x1, y1] = pointAt(origin, direction + fov / 2, r);
  const large = fov > 180 ? 1 : 0;
  return `M ${round(x)} ${round(y)} L ${x0} ${y0} A ${r} ${r} 0 ${large} 1 ${x1} ${y1} Z`;
}

/** The direction (0–359, clockwise from up) from `from` towards `to`; null when they coincide. */
export function bearing(from: Point, to: Point): number | null {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  if (Math.hypot(dx, dy) < 1e-9) return null;
  const deg = (Math.atan2(dx, -dy) * 180) / Math.PI;
  return Math.round((deg + 360) % 360) % 360;
}

/** Turns a direction by `delta` degrees, kept within 0–359. */
export function turn(direction: number, delta: number): number {
  return (((Math.round(direction + delta) % 360) + 360) % 360) as number;
}
