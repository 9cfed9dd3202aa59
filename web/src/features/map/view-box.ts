import type { Point } from '@kuzet/contracts';

/** The visible part of the plan, in plan units; the svg draws it with xMidYMid meet. */
export interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Size {
  width: number;
  height: number;
}

/** The whole plan with a small margin around it. */
export function fitView(plan: Size, margin = 0.04): ViewBox {
  const mx = plan.width * margin;
  const my = plan.height * margin;
  return { x: -mx, y: -my, w: plan.width + 2 * mx, h: plan.height + 2 * my };
}

/** Zoom limits: from 40× in to 3× out of the fitted view. */
export function zoomLimits(plan: Size): { minW: number; maxW: number } {
  const fitted = fitView(plan).w;
  return { minW: fitted / 40, maxW: fitted * 3 };
}

/**
 * Zoom by `factor` (> 1 zooms in) keeping the plan point `at` where it is on
 * the screen (the cursor for the wheel, the centre for buttons and keys).
 */
export function zoomAt(view: ViewBox, factor: number, at: Point, plan: Size): ViewBox {
  const { minW, maxW } = zoomLimits(plan);
  const w = Math.min(maxW, Math.max(minW, view.w / factor));
  const k = w / view.w;
  const h = view.h * k;
  const [px, py] = at;
  return { x: px - (px - view.x) * k, y: py - (py - view.y) * k, w, h };
}

export function centre(view: ViewBox): Point {
  return [view.x + view.w / 2, view.y + view.h / 2];
}

export function panBy(view: ViewBox, dx: number, dy: number): ViewBox {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** How the view maps onto an element of `client` pixels: scale (px per unit) and the letterbox offsets. */
export function viewTransform(view: ViewBox, client: Size): { scale: number; offsetX: number; offsetY: number } {
  const scale = Math.min(client.width / view.w, client.height / view.h);
  return {
    scale,
    offsetX: (client.width - view.w * scale) / 2,
    offsetY: (client.height - view.h * scale) / 2,
  };
}

/** A point in element pixels (from its top-left corner) → plan units. */
export function clientToPlan(view: ViewBox, client: Size, px: number, py: number): Point {
  const { scale, offsetX, offsetY } = viewTransform(view, client);
  if (!(scale > 0)) return centre(view);
  return [view.x + (px - offsetX) / scale, view.y + (py - offsetY) / scale];
}

/** Plan units per screen pixel (to turn a mouse drag into a pan). */
export function unitsPerPixel(view: ViewBox, client: Size): number {
  const { scale } = viewTransform(view, client);
  return scale > 0 ? 1 / scale : 0;
}
