import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { useAlerts } from './alerts-context.ts';

/**
 * «Включить звук тревог»: browsers play no sound until the page is clicked, so the
 * person on duty clicks once per shift. Shown on every page until then.
 */
export function SoundBanner() {
  const t = useT();
  const alerts = useAlerts();
  const can = useCan();
  if (!alerts || !can('alerts.act') || alerts.sound.consent) return null;
  return (
    <div className="alert-sound-banner" role="region" aria-label={t('alerts.sound.label')} data-testid="alert-sound-banner">
      <span>{t('alerts.sound.why')}</span>
      <button type="button" className="primary" onClick={alerts.sound.enable} data-testid="alert-sound-enable">
        {t('alerts.sound.enable')}
      </button>
    </div>
  );
}
