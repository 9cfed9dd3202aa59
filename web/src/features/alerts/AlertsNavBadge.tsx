import { useT } from '../../i18n/use-t.ts';
import { useAlerts } from './alerts-context.ts';

/** The count of unacknowledged alerts beside the menu entry; it pulses while there are any. */
export function AlertsNavBadge() {
  const t = useT();
  const alerts = useAlerts();
  const count = alerts?.unacknowledged ?? 0;
  if (count === 0) return null;
  return (
    <span
      className="nav-alert-badge"
      data-testid="alerts-badge"
      data-count={count}
      aria-label={t('alerts.badgeLabel', { count })}
      role="status"
    >
      {count > 99 ? '99+' : count}
    </span>
  );
}
