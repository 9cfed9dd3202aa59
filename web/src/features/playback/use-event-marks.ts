import { useEffect, useMemo } from 'react';
import type { EventMark } from '@kuzet/contracts';
import { eventsApi } from '../../api/alerts.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';

/** While the shown day is today, marks are read again this often (new events). */
const REFRESH_MS = 15_000;

/**
 * Detection events of the shown cameras over the day (GET /cameras/:id/events?from&to),
 * for marks on the timeline. Off (empty) when the person may not see events.
 */
export function useEventMarks(cameraIds: readonly string[], day: { start: number; end: number }, enabled: boolean) {
  const key = enabled && cameraIds.length > 0 ? `marks:${cameraIds.join(',')}:${day.start}` : null;
  const query = useApiQuery(key, async (signal) => {
    const range = { from: new Date(day.start).toISOString(), to: new Date(day.end).toISOString() };
    const results = await Promise.allSettled(cameraIds.map((id) => eventsApi.marks(id, range, signal)));
    const map = new Map<string, EventMark[]>();
    cameraIds.forEach((id, i) => {
      const r = results[i];
      if (r?.status === 'fulfilled') map.set(id, r.value.items);
    });
    return { start: day.start, map };
  });
  const { reload } = query;
  const today = Date.now() >= day.start && Date.now() < day.end;
  useEffect(() => {
    if (!today || !key) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [today, key, reload]);
  return useMemo(
    () => (query.data && query.data.start === day.start ? query.data.map : new Map<string, EventMark[]>()),
    [query.data, day.start],
  );
}
