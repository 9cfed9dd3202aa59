import { useId } from 'react';
import { useT } from '../../i18n/use-t.ts';
import { ALL_DAYS, wrapsMidnight, type DraftProblem, type ZoneDraft } from './zone-draft.ts';

interface Props {
  zone: ZoneDraft;
  problems: readonly DraftProblem[];
  serverProblems: readonly string[];
  readOnly: boolean;
  onChange: (patch: Partial<ZoneDraft>) => void;
  onRemove: () => void;
}

/** The chosen zone's settings: name, include/exclude, sensitivity, min object size, schedule, cooldown, on/off. */
export function ZoneForm({ zone, problems, serverProblems, readOnly, onChange, onRemove }: Props) {
  const t = useT();
  const id = useId();
  const s = zone.schedule;
  const problemText = (p: DraftProblem) => {
    switch (p.kind) {
      case 'name':
        return t('zones.problem.name');
      case 'nameTwice':
        return t('zones.problem.nameTwice');
      case 'points':
        return t('zones.problem.points', { count: p.count });
      case 'shape':
        return p.message;
      case 'window':
        return t('zones.problem.window');
      case 'days':
        return t('zones.problem.days');
      case 'number':
        return t(`zones.problem.${p.field}`);
    }
  };
  return (
    <fieldset className="zone-form" disabled={readOnly} data-testid="zone-form">
      <legend>{t('zones.zoneSettings')}</legend>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('zones.name')}</label>
        <input id={`${id}-name`} value={zone.name} maxLength={80} onChange={(e) => onChange({ name: e.target.value })} data-testid="zone-name" />
      </div>
      <div className="field" role="radiogroup" aria-label={t('zones.kind')}>
        <span className="field-label">{t('zones.kind')}</span>
        {(['include', 'exclude'] as const).map((k) => (
          <label key={k} className="check">
            <input type="radio" name={`${id}-kind`} checked={zone.kind === k} onChange={() => onChange({ kind: k })} data-testid={`zone-kind-${k}`} />{' '}
            {t(`zones.kind.${k}`)}
          </label>
        ))}
        <p className="muted small">{t(`zones.kindHelp.${zone.kind}`)}</p>
      </div>
      {zone.kind === 'include' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-sens`}>{t('zones.sensitivity', { value: zone.sensitivity })}</label>
            <input id={`${id}-sens`} type="range" min={1} max={10} step={1} value={zone.sensitivity} onChange={(e) => onChange({ sensitivity: Number(e.target.value) })} data-testid="zone-sensitivity" />
            <p className="muted small">{t('zones.sensitivityHelp')}</p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-size`}>{t('zones.minObjectSize')}</label>
            <input
              id={`${id}-size`}
              type="number"
              min={0.05}
              max={25}
              step={0.05}
              value={Math.round(zone.minObjectSize * 10_000) / 100}
              onChange={(e) => onChange({ minObjectSize: Number(e.target.value) / 100 })}
              data-testid="zone-min-size"
            />
            <p className="muted small">{t('zones.minObjectSizeHelp')}</p>
          </div>
          <div className="field">
            <span className="field-label">{t('zones.schedule')}</span>
            <label className="check">
              <input type="radio" name={`${id}-sched`} checked={s.kind === 'always'} onChange={() => onChange({ schedule: { kind: 'always' } })} data-testid="zone-schedule-always" />{' '}
              {t('zones.always')}
            </label>
            <label className="check">
              <input
                type="radio"
                name={`${id}-sched`}
                checked={s.kind === 'window'}
                onChange={() => onChange({ schedule: { kind: 'window', from: '23:00', to: '06:00', days: [...ALL_DAYS] } })}
                data-testid="zone-schedule-window"
              />{' '}
              {t('zones.window')}
            </label>
            {s.kind === 'window' && (
              <div className="zone-window">
                <span className="inline-field">
                  <label htmlFor={`${id}-from`}>{t('zones.from')}</label>
                  <input id={`${id}-from`} type="time" value={s.from} onChange={(e) => onChange({ schedule: { ...s, from: e.target.value } })} data-testid="zone-from" />
                </span>
                <span className="inline-field">
                  <label htmlFor={`${id}-to`}>{t('zones.to')}</label>
                  <input id={`${id}-to`} type="time" value={s.to} onChange={(e) => onChange({ schedule: { ...s, to: e.target.value } })} data-testid="zone-to" />
                </span>
                {wrapsMidnight(s) && <span className="muted small">{t('zones.overnight')}</span>}
                <div className="zone-days" role="group" aria-label={t('zones.days')}>
                  {ALL_DAYS.map((d) => (
                    <label key={d} className="check">
                      <input
                        type="checkbox"
                        checked={s.days.includes(d)}
                        onChange={(e) =>
                          onChange({
                            schedule: { ...s, days: e.target.checked ? [...s.days, d].sort((a, b) => a - b) : s.days.filter((x) => x !== d) },
                          })
                        }
                      />{' '}
                      {t(`zones.day.${d}`)}
                    </label>
                  ))}
                </div>
                <p className="muted small">{t('zones.almatyTime')}</p>
              </div>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-cool`}>{t('zones.cooldown')}</label>
            <input id={`${id}-cool`} type="number" min={0} max={3600} step={1} value={zone.cooldownSeconds} onChange={(e) => onChange({ cooldownSeconds: Number(e.target.value) })} data-testid="zone-cooldown" />
            <p className="muted small">{t('zones.cooldownHelp')}</p>
          </div>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={zone.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} data-testid="zone-enabled" /> {t('zones.enabled')}
      </label>
      {(problems.length > 0 || serverProblems.length > 0) && (
        <ul className="error-message zone-problems" role="alert" data-testid="zone-problems">
          {problems.map((p, i) => (
            <li key={`c${i}`}>{problemText(p)}</li>
          ))}
          {serverProblems.map((m, i) => (
            <li key={`s${i}`}>{m}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="button" className="danger" onClick={onRemove} data-testid="zone-remove">
          {t('zones.remove')}
        </button>
      </div>
    </fieldset>
  );
}
