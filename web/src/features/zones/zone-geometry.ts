import type { Pt } from './zone-draft.ts';

/** Picture geometry of the zones editor: normalized 0..1 points on a picture of w × h pixels. */
export interface Frame {
  width: number;
  height: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** A pointer position (relative to the picture's top-left, px) as a normalized point. */
export function toNorm(x: number, y: number, frame: Frame): Pt {
  return [clamp01(x / frame.width), clamp01(y / frame.height)];
}

/** The vertex within `radius` px of the pointer, nearest first; -1 when none. */
export function vertexAt(polygon: readonly Pt[], x: number, y: number, frame: Frame, radius = 10): number {
  let best = -1;
  let bestD = radius * radius;
  polygon.forEach(([px, py], i) => {
    const dx = px * frame.width - x;
    const dy = py * frame.height - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

/** Whether a normalized point lies inside the polygon (even-odd rule). */
export function inside(polygon: readonly Pt[], p: Pt): boolean {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** The midpoint of each edge (i → i+1): handles that insert a point there. */
export function midpoints(polygon: readonly Pt[]): Pt[] {
  return polygon.map(([x, y], i) => {
    const [nx, ny] = polygon[(i + 1) % polygon.length]!;
    return [(x + nx) / 2, (y + ny) / 2];
  });
}

export function movePoint(polygon: readonly Pt[], index: number, to: Pt): Pt[] {
  return polygon.map((p, i) => (i === index ? [clamp01(to[0]), clamp01(to[1])] : p));
}

/** Inserts `p` after vertex `index` (on edge index → index+1). */
export function insertAfter(polygon: readonly Pt[], index: number, p: Pt): Pt[] {
  return [...polygon.slice(0, index + 1), p, ...polygon.slice(index + 1)];
}

/** Removes a vertex, keeping at least three. */
export function removePoint(polygon: readonly Pt[], index: number): Pt[] {
  if (polygon.length <= 3) return [...polygon];
  return polygon.filter((_, i) => i !== index);
}

/** Moves every point by (dx, dy), stopping at the picture's edges. */
export function translate(polygon: readonly Pt[], dx: number, dy: number): Pt[] {
  const minX = Math.min(...polygon.map((p) => p[0]));
  const maxX = Math.max(...polygon.map((p) => p[0]));
  const minY = Math.min(...polygon.map((p) => p[1]));
  const maxY = Math.max(...polygon.map((p) => p[1]));
  const ddx = Math.min(1 - maxX, Math.max(-minX, dx));
  const ddy = Math.min(1 - maxY, Math.max(-minY, dy));
  return polygon.map(([x, y]) => [x + ddx, y + ddy]);
}

/** The centroid (area-weighted; the vertex mean for a degenerate polygon). */
export function centroid(polygon: readonly Pt[]): Pt {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < polygon.length; i++) {
    const [x1, y1] = polygon[i]!;
    const [x2, y2] = polygon[(i + 1) % polygon.length]!;
    const c = x1 * y2 - x2 * y1;
    a += c;
    cx += (x1 + x2) * c;
    cy += (y1 + y2) * c;
  }
  if (Math.abs(a) < 1e-9) {
    const n = Math.max(1, polygon.length);
    return [polygon.reduce((s, p) => s + p[0], 0) / n, polygon.reduce((s, p) => s + p[1], 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/** The side (px) of a square covering `fraction` of the picture's area: how big "min object size" is. */
export function minObjectSide(fraction: number, frame: Frame): number {
  return Math.sqrt(Math.max(0, fraction) * frame.width * frame.height);
}
