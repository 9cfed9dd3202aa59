import { useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n/use-t.ts';
import { formatClock } from '../../lib/time.ts';

/** One shared second ticker for every clock on the wall (25 tiles, one timer). */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let now = Date.now();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current Almaty time, ticking every second. */
export function AlmatyClock({ testId }: { testId?: string }) {
  const { lang, t } = useI18n();
  const value = useSyncExternalStore(subscribe, () => now);
  return (
    <time className="wall-clock" dateTime={new Date(value).toISOString()} title={t('wall.timeZone')} data-testid={testId}>
      {formatClock(value, lang)}
    </time>
  );
}
