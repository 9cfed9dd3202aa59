import type { RecordingGapReason } from '@kuzet/contracts';
import { gapReasonOfStop } from '../recording/recorder.protocol.ts';
import type { EventRow, SpanRow } from './playback.repository.ts';

/** Files closer than this (about a frame) are one continuous range. */
export const MERGE_TOLERANCE_MS = 50;
/** A trailing gap this short while the newest file is still being written is the index lagging, not a gap. */
const OPEN_TAIL_MS = 5_000;

export interface Span {
  start: number;
  end: number;
}

export interface Gap extends Span {
  reason: RecordingGapReason;
}

/** Touching spans merged into ranges, clipped to [from, to). One pass over rows sorted by start (the database merged most already). */
export function mergeSpans(rows: readonly SpanRow[], from: number, to: number): Span[] {
  const out: Span[] = [];
  let cur: Span | null = null;
  for (const r of rows) {
    const s = Math.max(r.startAt.getTime(), from);
    const e = Math.min(r.endAt.getTime(), to);
    if (e <= s) continue;
    if (cur && s <= cur.end + MERGE_TOLERANCE_MS) {
      if (e > cur.end) cur.end = e;
    } else {
      cur = { start: s, end: e };
      out.push(cur);
    }
  }
  return out;
}

/** How long after a hole starts its cause may be recorded (offline is declared after some seconds without frames). */
const CAUSE_LAG_MS = 60_000;

/**
 * The holes between ranges within [from, min(to, now)), each with why: the last
 * 'stopped' event of the recorder between the start of the footage before the gap and
 * the gap's end; else the camera's main stream going offline in that time; else unknown.
 * The event must come no later than a minute into the hole (it has to explain its start).
 * (For a gap at the window's start, the last event before the window counts.)
 */
export function gapsOf(ranges: readonly Span[], events: readonly EventRow[], from: number, to: number, now: number, openTail: boolean): Gap[] {
  const end = Math.min(to, now);
  const gaps: Gap[] = [];
  let cursor = from;
  let prevStart = Number.NEGATIVE_INFINITY;
  const holes: { start: number; end: number; after: number }[] = [];
  for (const r of ranges) {
    if (r.start > cursor) holes.push({ start: cursor, end: Math.min(r.start, end), after: prevStart });
    cursor = Math.max(cursor, r.end);
    prevStart = r.start;
  }
  if (cursor < end && !(openTail && ranges.length && end - cursor < OPEN_TAIL_MS)) holes.push({ start: cursor, end, after: prevStart });
  // Events are sorted by time; walk them once alongside the holes (also sorted).
  let i = 0;
  let lastStop: EventRow | null = null;
  let lastOffline: EventRow | null = null;
  for (const h of holes) {
    if (h.end <= h.start) continue;
    while (i < events.length && events[i]!.at.getTime() < h.end) {
      const e = events[i]!;
      if (e.source === 'recording' && e.kind === 'stopped') lastStop = e;
      if (e.source === 'status' && e.kind === 'offline') lastOffline = e;
      i++;
    }
    // The event must explain the hole's start: a camera noticed offline half an hour into a
    // hole (say, when the server came up) says nothing of why nothing was recorded before.
    const explains = (e: EventRow | null): e is EventRow => !!e && e.at.getTime() >= h.after && e.at.getTime() <= h.start + CAUSE_LAG_MS;
    // A camera recorded on motion stops after the post-roll (motion_ended): its gaps are no_motion.
    const fromStop = explains(lastStop) ? gapReasonOfStop(lastStop.reason) : null;
    let reason: RecordingGapReason = 'unknown';
    if (fromStop) reason = fromStop;
    else if (explains(lastOffline)) reason = 'camera_offline';
    gaps.push({ start: h.start, end: h.end, reason });
  }
  return gaps;
}
