import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useT } from '../../i18n/use-t.ts';
import { kindText } from './alert-text.ts';
import { useAlerts } from './alerts-context.ts';

/** How long the notice stays on another page after an alert rang. */
const SHOW_MS = 30_000;

/**
 * On any page but the console: a flashing notice of the newest alert with a link to the
 * console, so a new alert is seen even while the wall fills the screen.
 */
export function AlertNotice() {
  const t = useT();
  const alerts = useAlerts();
  const location = useLocation();
  const [hiddenAt, setHiddenAt] = useState<number | null>(null);
  const [, setTick] = useState(0);
  const at = alerts?.lastFreshAt ?? null;
  useEffect(() => {
    if (at === null) return;
    const timer = setTimeout(() => setTick((n) => n + 1), Math.max(0, at + SHOW_MS - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [at]);
  const alert = alerts?.lastFresh ?? null;
  if (!alerts || !alert || at === null || location.pathname.startsWith('/alerts')) return null;
  if (Date.now() - at > SHOW_MS || hiddenAt === at) return null;
  if (alerts.state.byId.get(alert.id)?.status !== 'new') return null;
  return (
    <div className="alert-notice" role="alert" data-testid="alert-notice">
      <strong>{t('alerts.notice', { kind: kindText(alert.event, t) })}</strong>
      <Link to="/alerts" className="button primary" data-testid="alert-notice-open">
        {t('alerts.noticeOpen')}
      </Link>
      <button type="button" className="ghost" onClick={() => setHiddenAt(at)} aria-label={t('common.close')}>
        ×
      </button>
    </div>
  );
}
