import type { PreventionRecord } from '@kuzet/contracts';
import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay } from '../../lib/time.ts';
import { CheckInForm } from './CheckInForm.tsx';
import { useCategoryName } from './categories.ts';
import { preventionApi } from './prevention-api.ts';

/** A registry record: asks for the reason first (the server audits it), then shows the check-ins. */
export function RecordCard({
  recordId,
  today,
  onClose,
  onChanged,
}: {
  recordId: string;
  today: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const can = useCan();
  const categoryName = useCategoryName();
  const [reason, setReason] = useState('');
  const [record, setRecord] = useState<PreventionRecord | null>(null);
  const [checking, setChecking] = useState(false);
  const load = useAction(() => preventionApi.record(recordId, reason));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await load.run();
    if (res) setRecord(res.value);
  };
  return (
    <section className="card record-card" data-testid="record-card">
      <button type="button" className="link" onClick={onClose}>
        ×
      </button>
      {!record ? (
        <form onSubmit={submit}>
          <Field id={id} label={t('prevention.reason')} hint={t('prevention.reasonHint')}>
            <input
              id={id}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              minLength={3}
              maxLength={200}
              required
              data-testid="record-reason"
            />
          </Field>
          <ErrorMessage error={load.error} />
          <button type="submit" className="primary" disabled={load.busy}>
            {t('prevention.open')}
          </button>
        </form>
      ) : (
        <>
          <h2>{record.personName}</h2>
          <p>
            {categoryName(record.categoryCode)} · {record.basis}
          </p>
          <p className="muted">
            {formatDay(record.startsOn, lang)} — {record.endsOn ? formatDay(record.endsOn, lang) : '…'} ·{' '}
            {record.inspectorName} · {t(`prevention.periodicity.${record.periodicity}`)} · {t('prevention.nextDue')}:{' '}
            {formatDay(record.nextDueOn, lang)}
          </p>
          <h3>{t('prevention.checkIns')}</h3>
          {record.checkIns.length === 0 ? (
            <p className="muted">{t('prevention.noCheckIns')}</p>
          ) : (
            <ul className="plain-list">
              {record.checkIns.map((c) => (
                <li key={c.id}>
                  {formatDay(c.checkedOn, lang)} — {t(`prevention.outcome.${c.outcome}`)}
                  {c.note && `: ${c.note}`} <span className="muted small">{c.recordedBy}</span>
                </li>
              ))}
            </ul>
          )}
          {can('prevention.edit') &&
            (checking ? (
              <CheckInForm
                recordId={recordId}
                today={today}
                onDone={(r) => {
                  setRecord(r);
                  setChecking(false);
                  onChanged();
                }}
                onCancel={() => setChecking(false)}
              />
            ) : (
              <button type="button" onClick={() => setChecking(true)}>
                {t('prevention.recordCheckIn')}
              </button>
            ))}
        </>
      )}
    </section>
  );
}
