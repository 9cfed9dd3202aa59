import type { Camera, SitePlan } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { placeOf } from './camera-view.ts';

interface Props {
  camera: Pick<Camera, 'buildingId' | 'entranceId' | 'zoneId'>;
  plan: SitePlan | undefined;
}

/** "Building 3 · entrance 2 · Yard", or a dash when the camera is not tied to a place. */
export function PlaceText({ camera, plan }: Props) {
  const t = useT();
  const place = placeOf(camera, plan);
  const parts = [
    place.building,
    place.entrance !== null ? t('cameras.entranceN', { number: place.entrance }) : null,
    place.zone,
  ].filter((p): p is string => p !== null);
  return parts.length ? <span>{parts.join(' · ')}</span> : <span className="muted">—</span>;
}
