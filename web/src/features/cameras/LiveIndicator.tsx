import { useT } from '../../i18n/use-t.ts';
import type { LiveConnection } from './camera-live.ts';

/** Whether the statuses on screen are live, so nobody trusts a frozen page at night. */
export function LiveIndicator({ connection }: { connection: LiveConnection }) {
  const t = useT();
  return (
    <span
      className={`live-indicator live-${connection}`}
      role="status"
      data-testid="cameras-live"
      data-live={connection}
    >
      <span className="live-dot" aria-hidden="true" />
      {t(`cameras.live.${connection}`)}
    </span>
  );
}
