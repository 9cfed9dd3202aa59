import { useMemo } from 'react';
import type { Camera } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { freshest } from '../cameras/camera-live.ts';
import { useCameraEvents, type LiveState } from '../cameras/use-camera-events.ts';
import { byName } from './wall-groups.ts';

const PAGE = 200;
const MAX_PAGES = 10;

async function allCameras(complexId: string, signal: AbortSignal): Promise<Camera[]> {
  const out: Camera[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await camerasApi.list(complexId, { limit: PAGE, offset: page * PAGE }, signal);
    out.push(...result.items);
    if (out.length >= result.total || result.items.length < PAGE) break;
  }
  return out;
}

export interface WallCameras {
  /** The complex's cameras by name, statuses kept current by the live stream; null while loading. */
  cameras: Camera[] | null;
  byId: ReadonlyMap<string, Camera>;
  error: unknown;
  live: LiveState;
}

/** Every camera of the complex (the registry), with their live status from server-sent events. */
export function useWallCameras(complexId: string | null): WallCameras {
  const live = useCameraEvents(complexId);
  const list = useApiQuery(complexId ? `wall-cameras:${complexId}:${live.membership}` : null, (signal) =>
    allCameras(complexId ?? '', signal),
  );
  const current = list.data && list.data.every((c) => c.complexId === complexId) ? list.data : null;
  const cameras = useMemo(
    () => (current ? byName(current.map((camera) => freshest(camera, live.cameras))) : null),
    [current, live.cameras],
  );
  const byId = useMemo(() => new Map((cameras ?? []).map((c) => [c.id, c])), [cameras]);
  return { cameras, byId, error: list.error, live };
}
