import { useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Camera } from '@kuzet/contracts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { LiveStatus } from '../live/LiveStatus.tsx';
import { useLivePlayer } from '../live/use-live-player.ts';
import { useOnScreen } from '../live/use-visible.ts';
import { playbackLink } from '../playback/playback-route.ts';
import { AlmatyClock } from './AlmatyClock.tsx';
import { isWallDrag, readDrop, TILE_TYPE, type Dropped } from './wall-dnd.ts';

export interface TileProps {
  index: number;
  cameraId: string | null;
  /** null when the cell names a camera this complex does not have (removed). */
  camera: Camera | null;
  /** The tab is shown and the session unlocked. */
  active: boolean;
  focused: boolean;
  /** A camera is being placed: a click puts it here. */
  placing: boolean;
  onFocusTile: (index: number) => void;
  onActivate: (index: number) => void;
  onDrop: (index: number, dropped: Dropped) => void;
  tileRef: (index: number, element: HTMLDivElement | null) => void;
}

/** One tile of the wall: the camera's sub stream, its name, state and the Almaty time. */
export function Tile(props: TileProps) {
  const { index, cameraId, camera, active, focused, placing } = props;
  const t = useT();
  const box = useRef<HTMLDivElement | null>(null);
  const video = useRef<HTMLVideoElement | null>(null);
  const onScreen = useOnScreen(box);
  const [restart, setRestart] = useState(0);
  const [dragOver, setDragOver] = useState(false);
  const navigate = useNavigate();
  const canPlayBack = useCan()('recordings.play');
  const model = useLivePlayer(video, {
    cameraId: camera ? camera.id : null,
    stream: 'sub',
    probeKey: String(index),
    active: active && onScreen,
    restart,
  });
  const state = camera ? model.state : null;
  const stateName = state?.name ?? 'idle';
  const label = camera
    ? t('wall.tileLabel', { n: index + 1, name: camera.name, state: t(`live.state.${stateName}`) })
    : t('wall.tileEmptyLabel', { n: index + 1 });

  const onDragOver = (event: DragEvent) => {
    if (!isWallDrag([...event.dataTransfer.types])) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setDragOver(true);
  };
  const onDrop = (event: DragEvent) => {
    setDragOver(false);
    const dropped = readDrop(event.dataTransfer);
    if (!dropped) return;
    event.preventDefault();
    props.onDrop(index, dropped);
  };
  // "10 s ago": the same camera's recording, from ten seconds before now.
  const back = (event: MouseEvent) => {
    event.stopPropagation();
    if (camera) navigate(playbackLink(camera.id, Date.now()));
  };
  const retry = (event: MouseEvent) => {
    event.stopPropagation();
    setRestart((n) => n + 1);
  };

  return (
    <div
      ref={(element) => {
        box.current = element;
        props.tileRef(index, element);
      }}
      className={`wall-tile${placing ? ' placing' : ''}${dragOver ? ' drag-over' : ''}${camera ? '' : ' empty'}`}
      role="button"
      tabIndex={focused ? 0 : -1}
      aria-label={label}
      data-testid={`tile-${index}`}
      data-state={stateName}
      data-reason={state && (state.name === 'offline' || state.name === 'failed') ? (state.reason ?? undefined) : undefined}
      data-camera-id={cameraId ?? undefined}
      draggable={cameraId !== null}
      onDragStart={(event) => event.dataTransfer.setData(TILE_TYPE, String(index))}
      onDragOver={onDragOver}
      onDragLeave={() => setDragOver(false)}
      onDrop={onDrop}
      onFocus={() => props.onFocusTile(index)}
      onClick={() => props.onActivate(index)}
    >
      <video ref={video} className="wall-video" muted playsInline autoPlay data-testid={`tile-video-${index}`} />
      <div className="tile-bar">
        <span className="tile-name">{camera ? camera.name : t(cameraId ? 'wall.cameraMissing' : 'wall.emptyTile')}</span>
        <AlmatyClock />
      </div>
      {camera && <LiveStatus model={model} testId={`tile-status-${index}`} />}
      {camera && state?.name === 'failed' && (
        <button type="button" className="tile-retry" tabIndex={-1} onClick={retry} data-testid={`tile-retry-${index}`}>
          {t('common.retry')}
        </button>
      )}
      {camera && canPlayBack && (
        <button
          type="button"
          className="tile-ago"
          tabIndex={-1}
          onClick={back}
          title={t('playback.tenSecondsAgoHint')}
          data-testid={`tile-ago-${index}`}
        >
          {t('playback.tenSecondsAgo')}
        </button>
      )}
      {!camera && <p className="tile-hint">{t(placing ? 'wall.placeHere' : 'wall.emptyHint')}</p>}
    </div>
  );
}
