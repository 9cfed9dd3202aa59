import { useId, useMemo, useState } from 'react';
import type { Camera } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { stateTone, streamOf, toneGlyph } from '../cameras/camera-view.ts';
import { CAMERA_TYPE } from './wall-dnd.ts';

interface Props {
  cameras: readonly Camera[];
  /** Where each camera is on the wall (tile index). */
  placed: ReadonlyMap<string, number>;
  picked: string | null;
  onPick: (cameraId: string | null) => void;
}

/** The complex's cameras to put on the wall: click one, then a tile (or drag it onto a tile). */
export function CameraPicker({ cameras, placed, picked, onPick }: Props) {
  const t = useT();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    return q ? cameras.filter((c) => c.name.toLocaleLowerCase().includes(q)) : cameras;
  }, [cameras, query]);

  return (
    <section className="wall-section" aria-labelledby="wall-cameras-title">
      <h2 id="wall-cameras-title">{t('wall.cameras')}</h2>
      <p className="muted small">{t('wall.placeHint')}</p>
      <label className="visually-hidden" htmlFor={searchId}>
        {t('wall.cameraSearch')}
      </label>
      <input
        id={searchId}
        type="search"
        value={query}
        placeholder={t('wall.cameraSearch')}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="wall-camera-search"
      />
      {cameras.length === 0 && <p className="muted">{t('wall.noCameras')}</p>}
      <ul className="wall-cameras">
        {shown.map((camera) => {
          const status = streamOf(camera, 'sub') ?? streamOf(camera, 'main');
          const state = status?.state ?? (camera.enabled ? 'connecting' : 'disabled');
          const tone = stateTone[state];
          const tile = placed.get(camera.id);
          return (
            <li key={camera.id}>
              <button
                type="button"
                draggable
                aria-pressed={picked === camera.id}
                onDragStart={(event) => {
                  event.dataTransfer.setData(CAMERA_TYPE, camera.id);
                  event.dataTransfer.effectAllowed = 'copyMove';
                }}
                onClick={() => onPick(picked === camera.id ? null : camera.id)}
                data-testid={`wall-camera-${camera.id}`}
              >
                <span className={`cam-glyph cam-tone-${tone}`} title={t(`streamState.${state}`)}>
                  {toneGlyph[tone]}
                </span>
                <span className="wall-camera-name">{camera.name}</span>
                {tile !== undefined && <span className="wall-count">{t('wall.onTile', { n: tile + 1 })}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
