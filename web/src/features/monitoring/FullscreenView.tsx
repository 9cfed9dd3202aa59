import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { playbackLink } from '../playback/playback-route.ts';
import { LiveStatus } from '../live/LiveStatus.tsx';
import { useLivePlayer } from '../live/use-live-player.ts';
import { AlmatyClock } from './AlmatyClock.tsx';
import { useWallKeys } from './use-wall-keys.ts';

interface Props {
  cameraId: string;
  name: string;
  active: boolean;
  onClose: () => void;
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
}

/** One camera over the whole window, on its main stream. Esc (or the button) goes back to the wall; ← → step through the wall's cameras. */
export function FullscreenView({ cameraId, name, active, onClose, onPrevious, onNext }: Props) {
  const t = useT();
  const video = useRef<HTMLVideoElement | null>(null);
  const close = useRef<HTMLButtonElement | null>(null);
  const [restart, setRestart] = useState(0);
  const model = useLivePlayer(video, { cameraId, stream: 'main', probeKey: 'full', active, restart });
  const canPlayBack = useCan()('recordings.play');
  const navigate = useNavigate();

  useEffect(() => {
    close.current?.focus();
  }, []);
  useWallKeys((event) => {
    if (!active) return;
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowLeft' && onPrevious) onPrevious();
    else if (event.key === 'ArrowRight' && onNext) onNext();
    else return;
    event.preventDefault();
  });

  return (
    <div
      className="fullscreen"
      role="dialog"
      aria-modal="true"
      aria-label={t('wall.fullscreenLabel', { name })}
      data-testid="fullscreen"
      data-state={model.state.name}
      data-camera-id={cameraId}
    >
      <div className="fullscreen-bar">
        <h2 className="fullscreen-name" data-testid="fullscreen-name">
          {name}
        </h2>
        <span className="muted">{t('stream.main')}</span>
        <AlmatyClock testId="fullscreen-clock" />
        <div className="fullscreen-actions">
          {canPlayBack && (
            <button
              type="button"
              onClick={() => navigate(playbackLink(cameraId, Date.now()))}
              title={t('playback.tenSecondsAgoHint')}
              data-testid="fullscreen-ago"
            >
              {t('playback.tenSecondsAgo')}
            </button>
          )}
          <button type="button" onClick={onPrevious ?? undefined} disabled={!onPrevious} data-testid="fullscreen-previous">
            {t('wall.previous')}
          </button>
          <button type="button" onClick={onNext ?? undefined} disabled={!onNext} data-testid="fullscreen-next">
            {t('wall.next')}
          </button>
          <button type="button" className="primary" ref={close} onClick={onClose} data-testid="fullscreen-close">
            {t('wall.close')}
          </button>
        </div>
      </div>
      <div className="fullscreen-stage">
        <video ref={video} className="wall-video" muted playsInline autoPlay data-testid="fullscreen-video" />
        <LiveStatus model={model} testId="fullscreen-status" />
        {model.state.name === 'failed' && (
          <button type="button" className="tile-retry" onClick={() => setRestart((n) => n + 1)}>
            {t('common.retry')}
          </button>
        )}
      </div>
    </div>
  );
}
