import { LIVE_WALL_PATH } from '@kuzet/contracts';

type Place = Pick<Location, 'protocol' | 'host'>;

/** The same-origin address of the wall's one WebSocket (the session cookie goes along). */
export function liveWallUrl(location: Place): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${LIVE_WALL_PATH}`;
}

/**
 * Where a tile starts: at the GOP cache, or — `?start=keyframe` in the page's address —
 * at the next live keyframe (the live benchmark's baseline).
 */
export function liveStartOf(location: Partial<Pick<Location, 'search'>>): 'cache' | 'keyframe' {
  return new URLSearchParams(location.search ?? '').get('start') === 'keyframe' ? 'keyframe' : 'cache';
}
