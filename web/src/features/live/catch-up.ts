/**
 * Keeping a live tile at the live edge. The server starts every viewer at the cached
 * keyframe (up to a GOP behind): the player shows that keyframe at once, then — the
 * burst decoded — jumps to just behind the buffered end and plays from there, so the
 * cache buys a fast first picture without costing latency. A busy machine or a
 * background tab lets the player fall behind too; small lags are eaten by a slightly
 * faster playback rate. The margins are about one frame: the baseline player that
 * waits for a live keyframe sits at the edge, and so should we.
 */

export interface Range {
  start: number;
  end: number;
}

export interface PlaybackView {
  /** Buffered ranges, in order. */
  buffered: readonly Range[];
  currentTime: number;
  playbackRate: number;
  /** Whether a frame has been shown since the player started. */
  firstFrameShown: boolean;
  /** performance.now() of the last seek this logic asked for, or null. */
  lastSeekAt: number | null;
  /**
   * Whether the player has been within SEEK_LAG of the edge since it started. Until then
   * a jump may follow a jump at once: the GOP burst can arrive in several appends, and
   * a cool-down after an early jump would leave the tile seconds behind.
   */
  reachedEdge?: boolean;
  /** Media times (s) of the keyframes in the buffer, in order (what a jump must decode from). */
  keyframes?: readonly number[];
  now: number;
}

export type CatchUp = { action: 'none' } | { action: 'seek'; to: number } | { action: 'rate'; rate: number };

/** Lag above which the player jumps to the edge instead of speeding up. */
export const SEEK_LAG = 0.4;
/** Where a jump lands: this far behind the buffered end (about one frame at 25 fps). */
export const EDGE_MARGIN = 0.04;
/** Lag above which the player speeds up a little. */
const RATE_ON_LAG = 0.09;
/** Lag below which it plays at normal speed again. */
const RATE_OFF_LAG = 0.05;
/**
 * A jump decodes from the keyframe before its target. Before the tile first reached the
 * edge, a jump that would decode more than this much video (s) from the keyframe it
 * already plays from waits for the next live keyframe instead: on a busy machine,
 * seventeen tiles decoding a whole GOP each cost more than waiting.
 */
export const MAX_CATCH_UP_DECODE = 1.0;
/** A seek decodes from the keyframe; not more often than this (ms). */
const SEEK_COOLDOWN_MS = 1500;

/** The range that holds `time`, else the last range (new data after a gap or a new timeline). */
export function rangeFor(buffered: readonly Range[], time: number): Range | null {
  for (const r of buffered) if (time >= r.start - 0.001 && time <= r.end + 0.001) return r;
  return buffered[buffered.length - 1] ?? null;
}

/** What to do now: nothing, jump, or change the playback rate. */
export function catchUpDecision(view: PlaybackView): CatchUp {
  const last = view.buffered[view.buffered.length - 1];
  if (!last) return { action: 'none' };
  const inRange = rangeFor(view.buffered, view.currentTime);
  const outside = !inRange || view.currentTime < inRange.start - 0.001 || view.currentTime > inRange.end + 0.001;
  // Before the first frame: start at once from the cached keyframe, wherever the element stands.
  if (!view.firstFrameShown) {
    if (outside || inRange !== last) return { action: 'seek', to: last.start };
    return view.playbackRate !== 1 ? { action: 'rate', rate: 1 } : { action: 'none' };
  }
  const cooling = view.reachedEdge !== false && view.lastSeekAt !== null && view.now - view.lastSeekAt < SEEK_COOLDOWN_MS;
  // Stuck in an old range (a gap, or a new timeline after the server restarted the stream).
  if (outside || inRange !== last) {
    return cooling ? { action: 'none' } : { action: 'seek', to: Math.max(last.start, last.end - EDGE_MARGIN) };
  }
  const lag = last.end - view.currentTime;
  if (lag > SEEK_LAG && !cooling) {
    const to = Math.max(last.start, last.end - EDGE_MARGIN);
    if (view.reachedEdge || !tooCostly(view, to)) return { action: 'seek', to };
  }
  const rate = targetRate(lag, view.playbackRate);
  return rate !== view.playbackRate ? { action: 'rate', rate } : { action: 'none' };
}

/** Whether jumping to `to` would decode too much from the keyframe the tile already plays from. */
function tooCostly(view: PlaybackView, to: number): boolean {
  const keyframes = view.keyframes;
  if (!keyframes?.length) return false;
  let from: number | undefined;
  for (const k of keyframes) if (k <= to + 0.001) from = k;
  if (from === undefined || from > view.currentTime + 0.001) return false; // a newer keyframe: a short decode
  return to - from > MAX_CATCH_UP_DECODE;
}

/** 1.0 at the edge; 1.1–1.5 for a small lag, with hysteresis so the rate does not flap. */
export function targetRate(lag: number, current: number): number {
  if (lag < RATE_OFF_LAG) return 1;
  if (lag < RATE_ON_LAG && current === 1) return 1;
  const rate = 1 + Math.min(0.5, Math.max(0.1, (lag - EDGE_MARGIN) * 2));
  return Math.round(rate * 20) / 20;
}

/** Keep this much played video behind the playhead (a short buffer); older data is removed. */
export const KEEP_BEHIND = 4;
/** Remove only when at least this much is to go (one remove per few seconds, not per frame). */
const TRIM_STEP = 2;

/** The range to remove to keep memory flat, or null. */
export function trimRange(buffered: readonly Range[], currentTime: number): Range | null {
  const first = buffered[0];
  if (!first) return null;
  const end = currentTime - KEEP_BEHIND;
  if (end - first.start < TRIM_STEP) return null;
  return { start: first.start, end };
}
