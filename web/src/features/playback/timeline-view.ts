/**
 * The timeline's visible window within a day: zoom from the whole day to one minute,
 * pan by drag or scroll, the ticks to draw. Times are Unix ms.
 */

export const MIN_SPAN = 60_000;

export interface DayWindow {
  start: number;
  end: number;
}

export interface View {
  start: number;
  span: number;
}

export function fullDay(day: DayWindow): View {
  return { start: day.start, span: day.end - day.start };
}

/** Keeps the view inside the day and between a minute and the whole day. */
export function clampView(view: View, day: DayWindow): View {
  const max = day.end - day.start;
  const span = Math.min(max, Math.max(MIN_SPAN, view.span));
  const start = Math.min(day.end - span, Math.max(day.start, view.start));
  return { start, span };
}

/** Zooms by `factor` (< 1 in, > 1 out) keeping `anchor` (ms) at the same place on screen. */
export function zoomAround(view: View, factor: number, anchor: number, day: DayWindow): View {
  const span = view.span * factor;
  const ratio = view.span > 0 ? (anchor - view.start) / view.span : 0.5;
  return clampView({ start: anchor - ratio * span, span }, day);
}

export function panBy(view: View, ms: number, day: DayWindow): View {
  return clampView({ start: view.start + ms, span: view.span }, day);
}

/** Moves the view (same zoom) so that `ms` is visible, centred if it was off screen. */
export function follow(view: View, ms: number, day: DayWindow): View {
  if (ms >= view.start && ms <= view.start + view.span) return view;
  return clampView({ start: ms - view.span / 2, span: view.span }, day);
}

const STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800].map((s) => s * 1000);

/** The tick step for a span: about `target` ticks across. */
export function tickStep(span: number, target = 12): number {
  return STEPS.find((s) => span / s <= target) ?? STEPS[STEPS.length - 1]!;
}

/** Tick instants within the view, aligned to the day's start (so ticks fall on round Almaty times). */
export function ticks(view: View, day: DayWindow, target = 12): { step: number; at: number[] } {
  const step = tickStep(view.span, target);
  const first = day.start + Math.ceil((view.start - day.start) / step) * step;
  const at: number[] = [];
  for (let t = first; t <= view.start + view.span; t += step) at.push(t);
  return { step, at };
}

/** 0..1 position of `ms` in the view (may fall outside). */
export function fraction(view: View, ms: number): number {
  return (ms - view.start) / view.span;
}

/** The instant at 0..1 across the view, rounded to the second. */
export function instantAt(view: View, f: number, day: DayWindow): number {
  const ms = view.start + f * view.span;
  return Math.min(day.end - 1000, Math.max(day.start, Math.round(ms / 1000) * 1000));
}
