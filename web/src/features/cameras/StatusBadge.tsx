import type { StreamStatus } from '@kuzet/contracts';
import { useI18n } from '../../i18n/use-t.ts';
import { lossText, stateTone, toneGlyph } from './camera-view.ts';

interface Props {
  status: (Pick<StreamStatus, 'state' | 'reason'> & { lossPercent?: number | null }) | undefined;
  testId?: string | undefined;
  /** Larger, for the detail panel. */
  large?: boolean;
}

/** A stream's state in words (and why, when it is not online), with a shape and a colour. */
export function StatusBadge({ status, testId, large }: Props) {
  const { t, lang } = useI18n();
  if (!status) {
    return (
      <span className="muted" data-testid={testId}>
        —
      </span>
    );
  }
  const tone = stateTone[status.state];
  const showReason = status.reason && status.reason !== 'disabled';
  const loss = status.state === 'degraded' ? lossText(status.lossPercent, lang) : null;
  return (
    <span
      className={`cam-status cam-tone-${tone}${large ? ' cam-status-large' : ''}`}
      data-state={status.state}
      data-reason={status.reason ?? undefined}
      data-testid={testId}
    >
      <span className="cam-glyph" aria-hidden="true">
        {toneGlyph[tone]}
      </span>
      <span className="cam-state">{t(`streamState.${status.state}`)}</span>
      {showReason && status.reason && <span className="cam-reason">{t(`statusReason.${status.reason}`)}</span>}
      {loss && <span className="cam-reason">{t('cameras.lossBadge', { value: loss })}</span>}
    </span>
  );
}
