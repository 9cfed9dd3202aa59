import type { StreamKind } from '@kuzet/contracts';

/**
 * The same-origin WebSocket address of a camera's live stream (the session cookie goes
 * along). `?start=keyframe` in the page's address makes the player wait for the next
 * live keyframe instead of starting at the GOP cache — the live benchmark's baseline.
 */
export function liveSocketUrl(location: Pick<Location, 'protocol' | 'host'> & Partial<Pick<Location, 'search'>>, cameraId: string, stream: StreamKind) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const start = new URLSearchParams(location.search ?? '').get('start') === 'keyframe' ? '&start=keyframe' : '';
  return `${scheme}://${location.host}/api/v1/cameras/${encodeURIComponent(cameraId)}/live?stream=${stream}${start}`;
}
