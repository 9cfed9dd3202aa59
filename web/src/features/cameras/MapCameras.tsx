import type { KeyboardEvent } from 'react';
import { streamStates, type Camera } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { mainState, stateTone, streamOf } from './camera-view.ts';
import { CameraMark } from './CameraMark.tsx';

interface Props {
  cameras: readonly Camera[];
  size: number;
  onOpen: (camera: Camera) => void;
}

/** The complex's placed cameras on the map, coloured by the main stream's state; a click opens the camera. */
export function MapCameras({ cameras, size, onOpen }: Props) {
  const t = useT();
  return (
    <g className="plan-cameras">
      {cameras.map((camera) => {
        if (!camera.position) return null;
        const state = mainState(camera);
        const reason = streamOf(camera, 'main')?.reason;
        const stateText =
          reason && reason !== 'disabled'
            ? `${t(`streamState.${state}`)} · ${t(`statusReason.${reason}`)}`
            : t(`streamState.${state}`);
        const label = t('cameras.mapLabel', { name: camera.name, state: stateText });
        const onKeyDown = (event: KeyboardEvent<SVGGElement>) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            event.stopPropagation();
            onOpen(camera);
          }
        };
        return (
          <g
            key={camera.id}
            className="plan-camera"
            role="link"
            tabIndex={0}
            aria-label={label}
            data-testid={`map-camera-${camera.id}`}
            data-state={state}
            onClick={(event) => {
              event.stopPropagation();
              onOpen(camera);
            }}
            onKeyDown={onKeyDown}
          >
            <title>{label}</title>
            <CameraMark
              position={camera.position}
              direction={camera.direction}
              fieldOfView={camera.fieldOfView}
              tone={stateTone[state]}
              size={size}
            />
          </g>
        );
      })}
    </g>
  );
}

/** Legend entries for the camera colours. */
export function CameraLegend() {
  const t = useT();
  return (
    <>
      {streamStates.map((state) => (
        <li key={state}>
          <span className={`swatch swatch-camera cam-tone-${stateTone[state]}`} aria-hidden="true" />
          {t('cameras.legend', { state: t(`streamState.${state}`) })}
        </li>
      ))}
    </>
  );
}
