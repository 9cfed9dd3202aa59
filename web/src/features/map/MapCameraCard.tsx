import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import type { Camera } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { cameraDetailPath } from '../cameras/cameras-route.ts';
import { streamOf } from '../cameras/camera-view.ts';
import { StatusBadge } from '../cameras/StatusBadge.tsx';
import { liveCameraPath } from '../monitoring/wall-route.ts';

interface Props {
  camera: Camera;
  /** The complex in the address (district staff), or null. */
  complexId: string | null;
  canWatch: boolean;
  onClose: () => void;
}

/** A camera picked on the plan: watch it live (full screen on the wall page) or open its details. */
export function MapCameraCard({ camera, complexId, canWatch, onClose }: Props) {
  const t = useT();
  const first = useRef<HTMLAnchorElement | null>(null);
  useEffect(() => {
    first.current?.focus();
  }, [camera.id]);
  return (
    <section className="card map-camera-card" data-testid="map-camera-card">
      <div className="card-head">
        <h2>{t('map.cameraTitle', { name: camera.name })}</h2>
        <button type="button" className="ghost" onClick={onClose} data-testid="map-camera-close">
          {t('common.close')}
        </button>
      </div>
      <StatusBadge status={streamOf(camera, 'main')} large />
      <div className="form-actions">
        {canWatch && (
          <Link
            ref={first}
            className="button primary"
            to={liveCameraPath(camera.id, complexId)}
            data-testid="map-camera-live"
          >
            {t('map.openLive')}
          </Link>
        )}
        <Link
          ref={canWatch ? undefined : first}
          className="button"
          to={cameraDetailPath(camera.id, complexId)}
          data-testid="map-camera-details"
        >
          {t('cameras.details')}
        </Link>
      </div>
    </section>
  );
}
