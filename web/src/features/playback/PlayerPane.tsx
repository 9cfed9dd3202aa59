import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { Camera } from '@kuzet/contracts';
import { playbackApi } from '../../api/playback.ts';
import { ApiError } from '../../api/client.ts';
import { errorText } from '../../i18n/error-text.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime, formatTime } from '../../lib/time.ts';
import type { PaneStatus, PlaybackController } from './playback-controller.ts';
import type { CameraTimeline } from './use-timelines.ts';

interface Props {
  index: number;
  cameraId: string;
  camera: Camera | null;
  controller: PlaybackController;
  status: PaneStatus;
  playing: boolean;
  timeline: CameraTimeline | undefined;
  canExport: boolean;
  onRemove: () => void;
}

/** One camera's recorded picture, with the Almaty date and time of the frame drawn over it. */
export function PlayerPane({ index, cameraId, camera, controller, status, playing, timeline, canExport, onRemove }: Props) {
  const { t, lang } = useI18n();
  const video = useRef<HTMLVideoElement | null>(null);
  const stamp = useRef<HTMLSpanElement | null>(null);
  const box = useRef<HTMLDivElement | null>(null);
  const playingRef = useRef(playing);
  const langRef = useRef(lang);
  useLayoutEffect(() => {
    playingRef.current = playing;
    langRef.current = lang;
  });

  const onFrame = useCallback(
    (wallMs: number) => {
      const text = formatDateTime(wallMs, langRef.current);
      // Paused: the milliseconds too (frame steps are 40 ms apart).
      const ms = playingRef.current ? '' : `.${String(Math.floor(((wallMs % 1000) + 1000) % 1000)).padStart(3, '0')}`;
      if (stamp.current) stamp.current.textContent = text + ms;
      box.current?.setAttribute('data-shown', String(Math.round(wallMs)));
    },
    [],
  );

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    controller.attach(cameraId, element, onFrame);
    return () => controller.detach(cameraId);
  }, [controller, cameraId, onFrame]);

  const snapshot = () => {
    const at = new Date(controller.shownAt(cameraId)).toISOString();
    const a = document.createElement('a');
    a.href = playbackApi.snapshotUrl(cameraId, at);
    a.download = '';
    document.body.append(a);
    a.click();
    a.remove();
  };

  const name = camera?.name ?? t('common.loading');
  const emptyDay = timeline?.parsed && timeline.parsed.ranges.length === 0;
  const notRecording = camera?.recordingPolicy === 'off';

  return (
    <div
      ref={box}
      className={`pb-pane pb-pane-${status.name}`}
      data-testid={`pane-${index}`}
      data-camera-id={cameraId}
      data-state={status.name}
    >
      <video ref={video} className="pb-video" muted playsInline data-testid={`pane-video-${index}`} />
      <div className="pb-pane-bar">
        <span className="pb-pane-name">{name}</span>
        <span className="pb-pane-stamp" ref={stamp} data-testid={`pane-time-${index}`} title={t('wall.timeZone')} />
      </div>
      <PaneOverlay status={status} emptyDay={Boolean(emptyDay)} notRecording={notRecording} onRetry={() => controller.retry(cameraId)} lang={lang} t={t} />
      <div className="pb-pane-tools">
        {canExport && (
          <button type="button" onClick={snapshot} data-testid={`pane-snapshot-${index}`}>
            {t('playback.snapshot')}
          </button>
        )}
        <button type="button" onClick={onRemove} aria-label={t('playback.removeCamera', { name })} data-testid={`pane-remove-${index}`}>
          ×
        </button>
      </div>
      {timeline?.error != null && (
        <p className="pb-pane-note" role="alert">
          {t('playback.timelineError')} {errorText(timeline.error, t)}
        </p>
      )}
    </div>
  );
}

interface OverlayProps {
  status: PaneStatus;
  emptyDay: boolean;
  notRecording: boolean;
  onRetry: () => void;
  lang: ReturnType<typeof useI18n>['lang'];
  t: ReturnType<typeof useI18n>['t'];
}

function PaneOverlay({ status, emptyDay, notRecording, onRetry, lang, t }: OverlayProps) {
  if (status.name === 'playing' || status.name === 'paused') return null;
  if (status.name === 'loading') {
    return (
      <div className="pb-overlay" role="status">
        {t('playback.loading')}
      </div>
    );
  }
  if (status.name === 'error') {
    const error = status.error;
    const text =
      error instanceof ApiError && error.code === 'UNSUPPORTED_CODEC'
        ? t('playback.error.codec')
        : error instanceof ApiError
          ? errorText(error, t)
          : t('playback.error.media');
    return (
      <div className="pb-overlay pb-overlay-bad" role="alert">
        <span>{text}</span>
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  const lines: string[] = [];
  if (notRecording) lines.push(t('playback.notRecording'));
  if (status.name === 'gap') {
    lines.unshift(status.reason ? t(`playback.gap.${status.reason}`) : t('playback.noFootageNow'));
    if (status.next !== null) lines.push(t('playback.resumesAt', { time: formatTime(status.next, lang) }));
  } else {
    lines.unshift(emptyDay ? t('playback.noFootageDay') : t('playback.noFootageAfter'));
  }
  return (
    <div className="pb-overlay" role="status" data-testid="pane-no-footage">
      <strong>{t('playback.noFootage')}</strong>
      {lines.map((line) => (
        <span key={line}>{line}</span>
      ))}
    </div>
  );
}
