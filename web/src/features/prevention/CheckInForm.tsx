import { CheckInOutcome, type PreventionRecord } from '@kuzet/contracts';
import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useT } from '../../i18n/use-t.ts';
import { preventionApi } from './prevention-api.ts';

/** Records one check-in of a registry record (date defaults to Almaty's today). */
export function CheckInForm({
  recordId,
  today,
  onDone,
  onCancel,
}: {
  recordId: string;
  today: string;
  onDone: (r: PreventionRecord) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const id = useId();
  const [checkedOn, setCheckedOn] = useState(today);
  const [outcome, setOutcome] = useState<CheckInOutcome>('met');
  const [note, setNote] = useState('');
  const save = useAction(() => preventionApi.checkIn(recordId, { checkedOn, outcome, note }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await save.run();
    if (res) onDone(res.value);
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="check-in-form">
      <Field id={`${id}-d`} label={t('prevention.checkedOn')}>
        <input
          id={`${id}-d`}
          type="date"
          value={checkedOn}
          max={today}
          onChange={(e) => setCheckedOn(e.target.value)}
          required
        />
      </Field>
      <Field id={`${id}-o`} label={t('prevention.outcome')}>
        <select id={`${id}-o`} value={outcome} onChange={(e) => setOutcome(e.target.value as CheckInOutcome)}>
          {CheckInOutcome.options.map((o) => (
            <option key={o} value={o}>
              {t(`prevention.outcome.${o}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-n`} label={t('prevention.note')}>
        <input id={`${id}-n`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </Field>
      <ErrorMessage error={save.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.busy} data-testid="check-in-save">
          {t('prevention.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('prevention.cancel')}
        </button>
      </div>
    </form>
  );
}
