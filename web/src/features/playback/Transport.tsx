import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { almatyClock, parseClock } from './almaty-day.ts';
import type { PlaybackController, PlaybackState } from './playback-controller.ts';
import { SPEEDS } from './sync.ts';

interface Props {
  controller: PlaybackController;
  state: PlaybackState;
  day: string;
  onSeek: (ms: number) => void;
}

const speedLabel = (s: number) => (s === 0.25 ? '¼×' : s === 0.5 ? '½×' : `${s}×`);

/** Play/pause, frame steps, ±10 s, speeds, and "go to a time" for the shown day. */
export function Transport({ controller, state, day, onSeek }: Props) {
  const { t, lang } = useI18n();
  const inputId = useId();
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);

  const go = (event: FormEvent) => {
    event.preventDefault();
    const ms = parseClock(day, text);
    setBad(ms === null);
    if (ms !== null) onSeek(ms);
  };

  return (
    <div className="pb-transport" role="toolbar" aria-label={t('playback.controls')}>
      <button
        type="button"
        className="primary pb-play"
        onClick={() => controller.toggle()}
        aria-keyshortcuts="Space"
        data-testid="pb-play"
        data-playing={state.playing}
      >
        {state.playing ? t('playback.pause') : t('playback.play')}
      </button>
      <button type="button" onClick={() => controller.skip(-10)} aria-keyshortcuts="Shift+ArrowLeft" title={t('playback.back10')}>
        −10 {t('playback.secondsShort')}
      </button>
      <button type="button" onClick={() => controller.step(-1)} aria-keyshortcuts="ArrowLeft" title={t('playback.frameBack')} data-testid="pb-frame-back">
        ◀|
      </button>
      <button type="button" onClick={() => controller.step(1)} aria-keyshortcuts="ArrowRight" title={t('playback.frameForward')} data-testid="pb-frame-forward">
        |▶
      </button>
      <button type="button" onClick={() => controller.skip(10)} aria-keyshortcuts="Shift+ArrowRight" title={t('playback.forward10')}>
        +10 {t('playback.secondsShort')}
      </button>
      <div className="pb-speeds" role="group" aria-label={t('playback.speed')}>
        {SPEEDS.map((s) => (
          <button key={s} type="button" aria-pressed={state.rate === s} onClick={() => controller.setRate(s)} data-testid={`pb-speed-${s}`}>
            {speedLabel(s)}
          </button>
        ))}
      </div>
      <output className="pb-clock" data-testid="pb-clock" data-clock={Math.round(state.clock)}>
        {formatDateTime(state.clock, lang)}
      </output>
      <form className="pb-goto" onSubmit={go}>
        <label htmlFor={inputId}>{t('playback.goTo')}</label>
        <input
          id={inputId}
          value={text}
          placeholder={almatyClock(state.clock)}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={bad}
          inputMode="numeric"
          size={9}
          data-testid="pb-goto"
        />
        <button type="submit">{t('playback.goToButton')}</button>
      </form>
      {bad && (
        <p className="field-error" role="alert">
          {t('playback.goToBad')}
        </p>
      )}
      {state.ended && (
        <p className="muted" role="status" data-testid="pb-ended">
          {t('playback.ended')}
        </p>
      )}
    </div>
  );
}
