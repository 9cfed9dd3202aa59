import { useEffect, useMemo } from 'react';
import type { Timeline } from '@kuzet/contracts';
import { playbackApi } from '../../api/playback.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { parseTimeline, type ParsedTimeline } from './timeline-model.ts';

export interface CameraTimeline {
  timeline: Timeline | null;
  parsed: ParsedTimeline | null;
  error: unknown;
}

/** While the shown day is today, the timelines are read again this often (footage grows). */
const REFRESH_MS = 15_000;

/** The timelines of the shown cameras over the day; refreshed while the day is today. */
export function useTimelines(cameraIds: readonly string[], day: { start: number; end: number }, bump: number) {
  const key = cameraIds.length > 0 ? `timelines:${cameraIds.join(',')}:${day.start}:${bump}` : null;
  const query = useApiQuery(key, async (signal) => {
    const range = { from: new Date(day.start).toISOString(), to: new Date(day.end).toISOString() };
    const results = await Promise.allSettled(cameraIds.map((id) => playbackApi.timeline(id, range, signal)));
    const map = new Map(
      cameraIds.map((id, i): [string, CameraTimeline] => {
        const r = results[i];
        if (r?.status === 'fulfilled') return [id, { timeline: r.value, parsed: parseTimeline(r.value), error: null }];
        return [id, { timeline: null, parsed: null, error: r?.reason ?? null }];
      }),
    );
    return { start: day.start, map };
  });
  const { reload } = query;
  const today = Date.now() >= day.start && Date.now() < day.end;
  useEffect(() => {
    if (!today || !key) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [today, key, reload]);
    // The last data stays while the next loads: never show another day's.
  const byCamera = useMemo(
    () => (query.data && query.data.start === day.start ? query.data.map : new Map<string, CameraTimeline>()),
    [query.data, day.start],
  );
  return { byCamera, loading: query.loading, reload };
}
