import { detectionEventKinds, type DetectionEventKind } from '@kuzet/contracts';
import { almatyLocalToIso, isoToAlmatyLocal } from '../../lib/time.ts';

/** The events search's filters, kept in the address (`?tab=events&camera=…&kind=…&from=…`). */
export interface EventFilters {
  cameraId: string;
  zoneId: string;
  kind: DetectionEventKind | '';
  /** Almaty wall time "YYYY-MM-DDTHH:MM" (the datetime-local field's value), or ''. */
  from: string;
  to: string;
  offset: number;
}

export const PAGE_SIZE = 50;
const LOCAL_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const UUIDISH = /^[0-9a-f-]{8,64}$/i;

const isKind = (v: string | null): v is DetectionEventKind => (detectionEventKinds as readonly string[]).includes(v ?? '');

export function readEventFilters(params: URLSearchParams): EventFilters {
  const id = (v: string | null) => (v && UUIDISH.test(v) ? v : '');
  const local = (v: string | null) => (v && LOCAL_RE.test(v) ? v : '');
  const offset = Number(params.get('offset') ?? 0);
  const kind = params.get('kind');
  return {
    cameraId: id(params.get('camera')),
    zoneId: id(params.get('zone')),
    kind: isKind(kind) ? kind : '',
    from: local(params.get('from')),
    to: local(params.get('to')),
    offset: Number.isInteger(offset) && offset >= 0 ? offset : 0,
  };
}

export function writeEventFilters(filters: EventFilters, base: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const keep of ['complex', 'tab']) {
    const v = base.get(keep);
    if (v) out.set(keep, v);
  }
  if (filters.cameraId) out.set('camera', filters.cameraId);
  if (filters.cameraId && filters.zoneId) out.set('zone', filters.zoneId);
  if (filters.kind) out.set('kind', filters.kind);
  if (filters.from) out.set('from', filters.from);
  if (filters.to) out.set('to', filters.to);
  if (filters.offset > 0) out.set('offset', String(filters.offset));
  return out;
}

/** The API query of the filters (Almaty wall times → instants). */
export function eventQuery(filters: EventFilters) {
  return {
    cameraId: filters.cameraId || undefined,
    zoneId: (filters.cameraId && filters.zoneId) || undefined,
    kind: filters.kind || undefined,
    from: filters.from ? (almatyLocalToIso(filters.from) ?? undefined) : undefined,
    to: filters.to ? (almatyLocalToIso(filters.to) ?? undefined) : undefined,
    limit: PAGE_SIZE,
    offset: filters.offset,
  };
}

/** "to" before "from": the person must fix it before searching. */
export function rangeProblem(filters: Pick<EventFilters, 'from' | 'to'>): boolean {
  return filters.from !== '' && filters.to !== '' && filters.to <= filters.from;
}

/** The last 24 h as Almaty wall times (the "day" preset). */
export function lastDay(now: number): { from: string; to: string } {
  const to = isoToAlmatyLocal(new Date(now).toISOString()).slice(0, 16);
  const from = isoToAlmatyLocal(new Date(now - 24 * 3600_000).toISOString()).slice(0, 16);
  return { from, to };
}

/** How long an event lasted, "1 min 05 s"-style parts; null while ongoing. */
export function durationSeconds(startedAt: string, endedAt: string | null): number | null {
  if (!endedAt) return null;
  return Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
}
