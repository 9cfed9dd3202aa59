import { almatyDayOf, isDay } from './almaty-day.ts';

/** At most this many cameras play together on one timeline. */
export const MAX_CAMERAS = 4;

/**
 * The playback page's address: `/playback?cameras=<id>,<id>&at=<ISO>` (and `day=` when
 * no moment is chosen yet). A link from a live tile ("10 s ago") uses the same form.
 */
export interface PlaybackRoute {
  cameras: string[];
  /** The moment to show (Unix ms), or null. */
  at: number | null;
  /** The Almaty day shown: from `day`, else the day of `at`, else null (today). */
  day: string | null;
}

export function readPlaybackRoute(params: URLSearchParams): PlaybackRoute {
  const cameras = [
    ...new Set(
      (params.get('cameras') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => /^[\w-]{1,64}$/.test(s)),
    ),
  ].slice(0, MAX_CAMERAS);
  const atText = params.get('at');
  const parsed = atText ? Date.parse(atText) : Number.NaN;
  const at = Number.isNaN(parsed) ? null : parsed;
  const dayText = params.get('day');
  const day = isDay(dayText) ? dayText : at !== null ? almatyDayOf(at) : null;
  return { cameras, at, day };
}

export function playbackSearch(route: { cameras: readonly string[]; at?: number | null; day?: string | null }): string {
  const params = new URLSearchParams();
  if (route.cameras.length > 0) params.set('cameras', route.cameras.slice(0, MAX_CAMERAS).join(','));
  if (route.at !== undefined && route.at !== null) params.set('at', new Date(route.at).toISOString());
  else if (route.day) params.set('day', route.day);
  // Commas and colons stay readable in the address (both are allowed in a query).
  return `?${params.toString().replaceAll('%2C', ',').replaceAll('%3A', ':')}`;
}

/** The link a live tile opens: the camera `secondsAgo` before `now`. */
export function playbackLink(cameraId: string, now: number, secondsAgo = 10): string {
  return `/playback${playbackSearch({ cameras: [cameraId], at: now - secondsAgo * 1000 })}`;
}
