import type { Point } from '@kuzet/contracts';

/** "x,y x,y …" for an svg polygon's points attribute. */
export function pointsAttr(polygon: readonly Point[]): string {
  return polygon.map(([x, y]) => `${x},${y}`).join(' ');
}

/** The area centroid of a simple polygon (the vertex mean when the area is zero). */
export function centroid(polygon: readonly Point[]): Point {
  let area2 = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < polygon.length; i++) {
    const [x0, y0] = polygon[i] as Point;
    const [x1, y1] = polygon[(i + 1) % polygon.length] as Point;
    const cross = x0 * y1 - x1 * y0;
    area2 += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(area2) < 1e-9) {
    const n = polygon.length || 1;
    return [polygon.reduce((s, p) => s + p[0], 0) / n, polygon.reduce((s, p) => s + p[1], 0) / n];
  }
  return [cx / (3 * area2), cy / (3 * area2)];
}
