import type { Alert } from '@kuzet/contracts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { cameraNames, kindText, type Names } from './alert-text.ts';

interface Props {
  alerts: readonly Alert[];
  selectedId: string | null;
  names: Names;
  onSelect: (alert: Alert) => void;
}

/** The feed: one row per alert; unacknowledged rows flash until someone acknowledges them. */
export function AlertList({ alerts, selectedId, names, onSelect }: Props) {
  const { t, lang } = useI18n();
  return (
    <ul className="alert-list" role="listbox" aria-label={t('alerts.feed')} data-testid="alert-list">
      {alerts.map((alert) => {
        const event = alert.event;
        const cameras = cameraNames(event, names);
        const zone = event.zoneId ? names.zone(event.zoneId) : null;
        const selected = alert.id === selectedId;
        const where =
          event.kind === 'group_offline'
            ? t('alerts.groupCameras', { count: cameras.length, names: cameras.slice(0, 6).join(', ') + (cameras.length > 6 ? '…' : '') })
            : cameras.join(', ');
        return (
          <li
            key={alert.id}
            role="option"
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            className={`alert-row alert-row-${alert.status} alert-prio-${alert.priority}${selected ? ' selected' : ''}`}
            onClick={() => onSelect(alert)}
            data-testid="alert-row"
            data-alert-id={alert.id}
            data-status={alert.status}
            data-kind={event.kind}
            data-camera-ids={(event.cameraId ? [event.cameraId] : event.cameraIds).join(' ')}
            ref={(el) => {
              if (el && selected && document.activeElement?.closest('.alert-list')) el.focus({ preventScroll: false });
            }}
          >
            {event.snapshotUrl ? (
              <img className="alert-thumb" src={event.snapshotUrl} alt="" loading="lazy" />
            ) : (
              <span className={`alert-thumb alert-thumb-${event.kind}`} aria-hidden="true" />
            )}
            <span className="alert-row-main">
              <strong className="alert-row-kind">{kindText(event, t)}</strong>
              <span className="alert-row-where">
                {where}
                {zone ? ` · ${zone}` : ''}
              </span>
            </span>
            <span className="alert-row-side">
              <time dateTime={event.startedAt}>{formatDateTime(event.startedAt, lang)}</time>
              <span className={`alert-status alert-status-${alert.status}`}>{t(`alertStatus.${alert.status}`)}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
