import { Link } from 'react-router-dom';
import type { Alert } from '@kuzet/contracts';
import { useCan } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { liveCameraPath } from '../monitoring/wall-route.ts';
import { AlertActions } from './AlertActions.tsx';
import { cameraNames, causeText, kindText, recordingLink, type Names } from './alert-text.ts';

interface Props {
  alert: Alert;
  complexId: string;
  names: Names;
  onChanged: (alert: Alert) => void;
}

/** One alert in full: the snapshot, where and when, what to open, what to do, and who did what. */
export function AlertDetail({ alert, complexId, names, onChanged }: Props) {
  const { t, lang } = useI18n();
  const can = useCan();
  const event = alert.event;
  const cameras = cameraNames(event, names);
  const zone = event.zoneId ? names.zone(event.zoneId) : null;
  const cause = event.kind !== 'tamper' ? causeText(event, t) : null;
  const recording = can('recordings.play') ? recordingLink(event) : null;
  const live = can('monitoring.view') && event.cameraId ? liveCameraPath(event.cameraId, complexId) : null;

  return (
    <section className="card alert-detail" data-testid="alert-detail" data-alert-id={alert.id} aria-label={t('alerts.detail')}>
      <div className="card-head">
        <h2>{kindText(event, t)}</h2>
        <span className={`alert-status alert-status-${alert.status}`} data-testid="alert-detail-status">
          {t(`alertStatus.${alert.status}`)}
        </span>
      </div>
      {event.snapshotUrl ? (
        <img className="alert-snapshot" src={event.snapshotUrl} alt={t('alerts.snapshotOf', { camera: cameras.join(', ') })} data-testid="alert-snapshot" />
      ) : (
        <p className="muted">{t('alerts.noSnapshot')}</p>
      )}
      <div className="form-actions">
        {live && (
          <Link to={live} className="button" data-testid="alert-open-live">
            {t('alerts.openLive')}
          </Link>
        )}
        {recording && (
          <Link to={recording} className="button" data-testid="alert-open-recording">
            {t('alerts.openRecording')}
          </Link>
        )}
      </div>
      <dl className="facts">
        <dt>{event.kind === 'group_offline' ? t('alerts.cameras', { count: cameras.length }) : t('alerts.camera')}</dt>
        <dd>
          {event.kind === 'group_offline' ? (
            <ul className="alert-group-list" data-testid="alert-group-cameras">
              {cameras.map((name, i) => (
                <li key={`${name}-${i}`}>{name}</li>
              ))}
            </ul>
          ) : (
            cameras.join(', ') || '—'
          )}
        </dd>
        {event.zoneId && (
          <>
            <dt>{t('alerts.zone')}</dt>
            <dd>{zone ?? '—'}</dd>
          </>
        )}
        {cause && (
          <>
            <dt>{t('alerts.cause')}</dt>
            <dd>{cause}</dd>
          </>
        )}
        <dt>{t('alerts.started')}</dt>
        <dd>{formatDateTime(event.startedAt, lang)}</dd>
        <dt>{t('alerts.ended')}</dt>
        <dd>{event.endedAt ? formatDateTime(event.endedAt, lang) : t('alerts.ongoing')}</dd>
        {event.label && (
          <>
            <dt>{t('alerts.label')}</dt>
            <dd>{event.label}</dd>
          </>
        )}
        <dt>{t('alerts.priority')}</dt>
        <dd>{t(`alertPriority.${alert.priority}`)}</dd>
        {alert.assignedTo && (
          <>
            <dt>{t('alerts.assignedTo')}</dt>
            <dd data-testid="alert-assigned-to">{alert.assignedTo.displayName}</dd>
          </>
        )}
      </dl>
      {can('alerts.act') && <AlertActions key={alert.id} alert={alert} complexId={complexId} onChanged={onChanged} />}
      {alert.actions.length > 0 && (
        <>
          <h3>{t('alerts.history')}</h3>
          <ol className="alert-history" data-testid="alert-history">
            {alert.actions.map((a, i) => (
              <li key={`${a.at}-${i}`}>
                <time dateTime={a.at}>{formatDateTime(a.at, lang)}</time> — {a.by.displayName}: {t(`alerts.did.${a.action}`)}
                {a.reason ? ` (${t(`dismissReason.${a.reason}`)})` : ''}
                {a.assignee ? ` → ${a.assignee.displayName}` : ''}
                {a.note ? ` — «${a.note}»` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
