import type { EventMark } from '@kuzet/contracts';

/** Where a click on an event mark takes the picture: 10 s before the event starts. */
export const MARK_PRE_ROLL_MS = 10_000;

export function markSeekTarget(mark: Pick<EventMark, 'startedAt'>, dayStart: number): number {
  return Math.max(dayStart, Date.parse(mark.startedAt) - MARK_PRE_ROLL_MS);
}

/** A mark's span on the timeline: an ongoing event reaches `now`; a short one gets at least `minMs`. */
export function markSpan(mark: Pick<EventMark, 'startedAt' | 'endedAt'>, now: number, minMs = 1000): { start: number; end: number } {
  const start = Date.parse(mark.startedAt);
  const end = mark.endedAt ? Date.parse(mark.endedAt) : Math.max(start, now);
  return { start, end: Math.max(end, start + minMs) };
}

/**
 * The marks drawn on a track: "back online" is left out — the offline mark already spans
 * until the camera returned, and a second mark at its end would cover it on a day's view.
 */
export function drawnMarks<M extends Pick<EventMark, 'kind'>>(marks: readonly M[] | undefined): M[] {
  return (marks ?? []).filter((m) => m.kind !== 'online');
}
