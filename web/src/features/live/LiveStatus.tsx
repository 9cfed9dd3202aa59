import { useT } from '../../i18n/use-t.ts';
import { toneGlyph } from '../cameras/camera-view.ts';
import type { PlayerModel } from './player-state.ts';
import { playerTone } from './live-view.ts';

interface Props {
  model: PlayerModel;
  testId?: string;
}

/**
 * The player's state in words, big enough to read across the room at night: a small
 * "live" mark while playing, the state and its reason in the middle of the picture otherwise.
 */
export function LiveStatus({ model, testId }: Props) {
  const t = useT();
  const { state } = model;
  const tone = playerTone[state.name];
  let detail: string | null = null;
  if (state.name === 'offline' && state.reason && state.reason !== 'disabled') detail = t(`statusReason.${state.reason}`);
  if (state.name === 'failed') detail = t(`live.failed.${state.reason}`);
  if (state.name === 'connecting' && model.attempt > 0) detail = t('live.reconnecting', { attempt: model.attempt });
  const title = state.name === 'offline' && state.reason === 'disabled' ? t('streamState.disabled') : t(`live.state.${state.name}`);
  return (
    <div
      className={`live-status live-status-${state.name} cam-tone-${tone}`}
      role={state.name === 'playing' ? undefined : 'status'}
      data-testid={testId}
    >
      <span className="live-status-title">
        <span className="cam-glyph" aria-hidden="true">
          {toneGlyph[tone]}
        </span>{' '}
        {title}
      </span>
      {detail && <span className="live-status-detail">{detail}</span>}
    </div>
  );
}
