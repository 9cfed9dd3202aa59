import { useCallback, useMemo } from 'react';
import type { Camera, DetectionZone } from '@kuzet/contracts';
import { zonesApi } from '../../api/alerts.ts';
import { camerasApi } from '../../api/cameras.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import type { Names } from './alert-text.ts';

/**
 * Camera and zone names for alerts and events (which carry ids): the complex's cameras
 * and the zones of the cameras asked for.
 */
export function useNames(complexId: string, cameraIds: readonly string[]): Names & { cameras: readonly Camera[] } {
  const cameras = useApiQuery(`alert-cameras:${complexId}`, (signal) =>
    camerasApi.list(complexId, { limit: 200, offset: 0 }, signal),
  );
  const wanted = [...new Set(cameraIds)].sort();
  const zones = useApiQuery(wanted.length > 0 ? `alert-zones:${wanted.join(',')}` : null, async (signal) => {
    const settled = await Promise.allSettled(wanted.map((id) => zonesApi.get(id, signal)));
    const all: DetectionZone[] = [];
    for (const r of settled) if (r.status === 'fulfilled') all.push(...r.value.zones);
    return all;
  });
  const cameraById = useMemo(() => new Map((cameras.data?.items ?? []).map((c) => [c.id, c])), [cameras.data]);
  const zoneById = useMemo(() => new Map((zones.data ?? []).map((z) => [z.id, z])), [zones.data]);
  const camera = useCallback((id: string) => cameraById.get(id)?.name ?? id.slice(0, 8), [cameraById]);
  const zone = useCallback((id: string) => zoneById.get(id)?.name ?? null, [zoneById]);
  return { camera, zone, cameras: cameras.data?.items ?? [] };
}
