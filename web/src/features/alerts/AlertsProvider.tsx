import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Alert } from '@kuzet/contracts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useCan, useSession } from '../../hooks/use-session.ts';
import { unacknowledged } from './alert-feed.ts';
import { shouldRing } from './alarm-sound.ts';
import { AlertsContext, type AlertsValue } from './alerts-context.ts';
import { useAlarmSound } from './use-alarm-sound.ts';
import { useAlertFeed } from './use-alert-feed.ts';

/**
 * Keeps the alert feed open for the whole signed-in shell, so the badge in the menu and
 * the alarm work on every page, not only on the console.
 */
export function AlertsProvider({ children, off = false }: { children: ReactNode; off?: boolean }) {
  const session = useSession();
  const can = useCan();
  // `off`: the popped-out wall (a second window of the same person) leaves the feed to the main one.
  const allowed = can('alerts.view') && !off;
  const { complexId } = useComplexChoice();
  const active = allowed && complexId !== null && !session.locked;
  const sound = useAlarmSound(session.user.id);
  const [lastFreshAt, setLastFreshAt] = useState<number | null>(null);
  const [lastFresh, setLastFresh] = useState<Alert | null>(null);
  const lastRing = useRef<number | null>(null);
  const { ring } = sound;

  const onFresh = useCallback(
    (alerts: Alert[]) => {
      if (alerts.length === 0) return;
      const now = Date.now();
      setLastFreshAt(now);
      setLastFresh(alerts[alerts.length - 1] ?? null);
      if (shouldRing(lastRing.current, now) && ring()) lastRing.current = now;
    },
    [ring],
  );
  const feed = useAlertFeed({ complexId, userId: session.user.id, active, onFresh });

  const { consent, running, enable, test } = sound;
  const value = useMemo<AlertsValue | null>(
    () =>
      allowed && complexId
        ? {
            complexId,
            state: feed.state,
            connection: feed.connection,
            listError: feed.listError,
            loading: feed.loading,
            unacknowledged: unacknowledged(feed.state),
            lastFreshAt,
            lastFresh,
            sound: { consent, running, enable, test },
            merge: feed.merge,
            reloadList: feed.reloadList,
          }
        : null,
    [allowed, complexId, feed.state, feed.connection, feed.listError, feed.loading, feed.merge, feed.reloadList, lastFreshAt, lastFresh, consent, running, enable, test],
  );
  return <AlertsContext.Provider value={value}>{children}</AlertsContext.Provider>;
}
