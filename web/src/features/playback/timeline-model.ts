import type { RecordingGapReason, Timeline } from '@kuzet/contracts';

export interface Span {
  start: number;
  end: number;
}

export interface ParsedTimeline {
  ranges: Span[];
  gaps: (Span & { reason: RecordingGapReason })[];
}

/** The timeline's ranges and gaps as Unix ms, in order. */
export function parseTimeline(timeline: Pick<Timeline, 'ranges' | 'gaps'>): ParsedTimeline {
  const ms = (s: string) => Date.parse(s);
  return {
    ranges: timeline.ranges.map((r) => ({ start: ms(r.start), end: ms(r.end) })).sort((a, b) => a.start - b.start),
    gaps: timeline.gaps
      .map((g) => ({ start: ms(g.start), end: ms(g.end), reason: g.reason }))
      .sort((a, b) => a.start - b.start),
  };
}

/** Tolerance (ms) at range edges: fragments end a frame before the next starts. */
const EDGE = 250;

export type FootageAt = { kind: 'footage'; range: Span } | { kind: 'gap'; reason: RecordingGapReason | null; next: number | null };

/** Whether there is footage at `ms`; in a gap, why not and when it resumes. */
export function footageAt(parsed: ParsedTimeline, ms: number): FootageAt {
  for (const range of parsed.ranges) {
    if (ms >= range.start - EDGE && ms < range.end + EDGE) return { kind: 'footage', range };
  }
  const next = parsed.ranges.find((r) => r.start > ms)?.start ?? null;
  const gap = parsed.gaps.find((g) => ms >= g.start && ms < g.end);
  return { kind: 'gap', reason: gap?.reason ?? null, next };
}

/** The first footage at or after `ms` across several timelines, or null. */
export function nextFootage(timelines: readonly ParsedTimeline[], ms: number): number | null {
  let best: number | null = null;
  for (const t of timelines) {
    const at = footageAt(t, ms);
    const candidate = at.kind === 'footage' ? ms : at.next;
    if (candidate !== null && (best === null || candidate < best)) best = candidate;
  }
  return best;
}

/** Total recorded ms within [from, to). */
export function recordedWithin(parsed: ParsedTimeline, from: number, to: number): number {
  let sum = 0;
  for (const r of parsed.ranges) sum += Math.max(0, Math.min(to, r.end) - Math.max(from, r.start));
  return sum;
}
