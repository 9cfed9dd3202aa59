import type { StreamStatus } from '@kuzet/contracts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { bitrateParts, fpsValue, lossText, resolutionText } from './camera-view.ts';
import { StatusBadge } from './StatusBadge.tsx';

interface Props {
  cameraId: string;
  status: StreamStatus;
  url: string | null;
}

/** One stream of a camera: its state in big letters, why in plain words, and what the picture is like. */
export function StreamCard({ cameraId, status, url }: Props) {
  const { t, lang } = useI18n();
  const fps = fpsValue(status);
  const bitrate = bitrateParts(status.bitrateKbps);
  const loss = lossText(status.lossPercent, lang);
  const dash = '—';
  return (
    <section className="stream-card" data-testid={`camera-detail-stream-${status.stream}`}>
      <h3>{t(`stream.${status.stream}`)}</h3>
      <StatusBadge status={status} large testId={`camera-detail-status-${cameraId}-${status.stream}`} />
      {status.reason && (
        <p className="reason-help" data-testid={`camera-detail-reason-${status.stream}`}>
          {t(`statusReasonHelp.${status.reason}`)}
        </p>
      )}
      <dl className="facts">
        <dt>{t('cameras.since')}</dt>
        <dd>
          <time dateTime={status.since}>{formatDateTime(status.since, lang)}</time>
        </dd>
        {url && (
          <>
            <dt>{t('cameras.address')}</dt>
            <dd>
              <code className="wrap">{url}</code>
            </dd>
          </>
        )}
        <dt>{t('cameras.transportInUse')}</dt>
        <dd data-testid={`camera-detail-transport-${status.stream}`}>{status.transport ? status.transport.toUpperCase() : dash}</dd>
        <dt>{t('cameras.codec')}</dt>
        <dd>{status.codec ?? dash}</dd>
        <dt>{t('cameras.col.resolution')}</dt>
        <dd>{resolutionText(status) ?? dash}</dd>
        <dt>{t('cameras.col.fps')}</dt>
        <dd>{fps ?? dash}</dd>
        <dt>{t('cameras.col.bitrate')}</dt>
        <dd>{bitrate ? t(`cameras.unit.${bitrate.unit}`, { value: bitrate.value.toLocaleString(lang) }) : dash}</dd>
        <dt>{t('cameras.col.loss')}</dt>
        <dd data-testid={`camera-detail-loss-${status.stream}`}>{loss ? t('cameras.unit.percent', { value: loss }) : dash}</dd>
        <dt>{t('cameras.col.lastFrame')}</dt>
        <dd>
          {status.lastFrameAt ? (
            <time dateTime={status.lastFrameAt}>{formatDateTime(status.lastFrameAt, lang)}</time>
          ) : (
            dash
          )}
        </dd>
      </dl>
    </section>
  );
}
