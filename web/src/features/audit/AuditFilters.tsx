import { useId } from 'react';
import { auditActions } from '@kuzet/contracts';
import { describedBy, Field } from '../../components/Field.tsx';
import { useT } from '../../i18n/use-t.ts';
import type { AuditFilterForm } from './audit-filters.ts';

interface Props {
  value: AuditFilterForm;
  errors: Record<string, string | undefined>;
  onChange: (value: AuditFilterForm) => void;
  onApply: () => void;
  onClear: () => void;
}

export function AuditFilters({ value, errors, onChange, onApply, onClear }: Props) {
  const t = useT();
  const id = useId();
  const set = (key: keyof AuditFilterForm, v: string) => onChange({ ...value, [key]: v });
  const text = (key: 'actorId' | 'subjectType' | 'subjectId', label: string) => (
    <Field id={`${id}-${key}`} label={label} error={errors[key]}>
      <input
        id={`${id}-${key}`}
        value={value[key]}
        onChange={(e) => set(key, e.target.value)}
        spellCheck={false}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={describedBy(`${id}-${key}`, errors[key])}
        data-testid={`audit-filter-${key}`}
      />
    </Field>
  );
  const time = (key: 'from' | 'to', label: string) => (
    <Field id={`${id}-${key}`} label={label} error={errors[key]}>
      <input
        id={`${id}-${key}`}
        type="datetime-local"
        value={value[key]}
        onChange={(e) => set(key, e.target.value)}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={describedBy(`${id}-${key}`, errors[key])}
        data-testid={`audit-filter-${key}`}
      />
    </Field>
  );

  return (
    <form
      className="card filters-card"
      onSubmit={(e) => {
        e.preventDefault();
        onApply();
      }}
      noValidate
      data-testid="audit-filters"
    >
      <div className="form-grid">
        {text('actorId', t('audit.actorId'))}
        <Field id={`${id}-action`} label={t('audit.actionLabel')}>
          <select
            id={`${id}-action`}
            value={value.action}
            onChange={(e) => set('action', e.target.value)}
            data-testid="audit-filter-action"
          >
            <option value="">{t('common.all')}</option>
            {auditActions.map((action) => (
              <option key={action} value={action}>
                {t(`audit.action.${action}`)}
              </option>
            ))}
          </select>
        </Field>
        {text('subjectType', t('audit.subjectType'))}
        {text('subjectId', t('audit.subjectId'))}
        {time('from', t('audit.from'))}
        {time('to', t('audit.to'))}
      </div>
      <p className="muted small">{t('audit.timeZoneNote')}</p>
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="audit-apply">
          {t('common.apply')}
        </button>
        <button type="button" className="ghost" onClick={onClear} data-testid="audit-clear">
          {t('common.clear')}
        </button>
      </div>
    </form>
  );
}
