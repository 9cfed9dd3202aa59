/**
 * How a follower video keeps to the master clock (pure, tested): nothing while close,
 * a slightly faster or slower rate for a small drift, a seek for a large one.
 * Times are media seconds; thresholds scale with the speed (at 16× a tenth of a second
 * of media passes in six milliseconds).
 */

export type Correction = { action: 'none'; rate: number } | { action: 'rate'; rate: number } | { action: 'seek'; to: number };

/** Drift (s of media) tolerated at 1×. */
export const DRIFT_OK = 0.1;
/** Drift above which the follower jumps instead of speeding up, at 1×. */
export const DRIFT_SEEK = 0.6;

export function tolerance(rate: number, base: number): number {
  return base * Math.max(1, rate / 2);
}

export function correct(followerTime: number, clockTime: number, rate: number, currentRate: number): Correction {
  const drift = followerTime - clockTime;
  const abs = Math.abs(drift);
  if (abs > tolerance(rate, DRIFT_SEEK)) return { action: 'seek', to: clockTime };
  // Hysteresis: a nudged follower keeps its nudge until it is well inside the tolerance.
  const nudged = currentRate !== rate;
  const limit = nudged ? tolerance(rate, DRIFT_OK) / 3 : tolerance(rate, DRIFT_OK);
  if (abs <= limit) return nudged ? { action: 'rate', rate } : { action: 'none', rate };
  // Behind → faster, ahead → slower, by up to 20 %.
  const factor = 1 - Math.max(-0.2, Math.min(0.2, (drift / Math.max(1, rate)) * 0.8));
  const next = Math.round(rate * factor * 100) / 100;
  return next === currentRate ? { action: 'none', rate: next } : { action: 'rate', rate: next };
}

/** Where a frame step lands: just inside the next (or previous) frame, from the frame shown. */
export function stepTarget(shownTime: number, frameDuration: number, direction: 1 | -1): number {
  const d = frameDuration > 0 ? frameDuration : 0.04;
  return direction > 0 ? shownTime + d * 1.1 : Math.max(0, shownTime - d * 0.9);
}

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;
export type Speed = (typeof SPEEDS)[number];

export function nextSpeed(current: number, direction: 1 | -1): Speed {
  const i = SPEEDS.findIndex((s) => s >= current - 1e-9);
  const at = i < 0 ? SPEEDS.length - 1 : i;
  return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, at + direction))]!;
}
