import { Periodicity, type SearchHit } from '@kuzet/contracts';
import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useSession } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { useCategories } from './categories.ts';
import { preventionApi } from './prevention-api.ts';

/**
 * Puts a resident on the registry: find them with the search box, choose the category,
 * basis, dates and check-in periodicity, and who answers for them (the signed-in person
 * unless another inspector of the complex is chosen).
 */
export function AddRecordForm({
  complexId,
  onDone,
  onCancel,
}: {
  complexId: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const session = useSession();
  const cats = useCategories();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [person, setPerson] = useState<SearchHit | null>(null);
  const [categoryCode, setCategory] = useState('');
  const [basis, setBasis] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [firstDueOn, setFirstDueOn] = useState('');
  const [periodicity, setPeriodicity] = useState<Periodicity>('monthly');
  const [inspectorId, setInspectorId] = useState(session.user.id);
  const inspectors = useApiQuery(`prevention-inspectors:${complexId}`, (signal) => preventionApi.inspectors(complexId, signal));
  const search = useAction(() => preventionApi.searchPeople(complexId, q));
  const save = useAction(() =>
    preventionApi.create(complexId, {
      personId: person?.personId ?? person?.id ?? '',
      categoryCode,
      basis,
      startsOn,
      endsOn: endsOn || null,
      firstDueOn: firstDueOn || null,
      inspectorId,
      periodicity,
    }),
  );
  const find = async () => {
    const res = await search.run();
    if (res) setHits(res.value.items.filter((h) => h.type === 'person'));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await save.run()) onDone();
  };
  return (
    <form className="stack" onSubmit={submit} data-testid="add-record-form">
      <Field id={`${id}-q`} label={t('prevention.findPerson')}>
        <div className="row">
          <input
            id={`${id}-q`}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void find())}
          />
          <button type="button" onClick={() => void find()} disabled={!q.trim() || search.busy}>
            {t('prevention.search')}
          </button>
        </div>
      </Field>
      <ErrorMessage error={search.error} />
      {person ? (
        <p>{t('prevention.chosen', { name: person.title })}</p>
      ) : (
        <ul className="plain-list">
          {hits.map((h) => (
            <li key={h.id}>
              <button type="button" className="link" onClick={() => setPerson(h)}>
                {h.title}
              </button>{' '}
              <span className="muted small">{h.subtitle}</span>
            </li>
          ))}
        </ul>
      )}
      <Field id={`${id}-c`} label={t('prevention.category')}>
        <select id={`${id}-c`} value={categoryCode} onChange={(e) => setCategory(e.target.value)} required>
          <option value="" />
          {cats.data?.items.map((c) => (
            <option key={c.code} value={c.code}>
              {c.names[lang]}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-b`} label={t('prevention.basis')}>
        <input id={`${id}-b`} value={basis} onChange={(e) => setBasis(e.target.value)} required maxLength={500} />
      </Field>
      <div className="row">
        <Field id={`${id}-s`} label={t('prevention.startsOn')}>
          <input id={`${id}-s`} type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} required />
        </Field>
        <Field id={`${id}-e`} label={t('prevention.endsOn')}>
          <input id={`${id}-e`} type="date" value={endsOn} onChange={(e) => setEndsOn(e.target.value)} />
        </Field>
        <Field id={`${id}-f`} label={t('prevention.firstDue')}>
          <input id={`${id}-f`} type="date" value={firstDueOn} onChange={(e) => setFirstDueOn(e.target.value)} />
        </Field>
        <Field id={`${id}-p`} label={t('prevention.periodicity')}>
          <select id={`${id}-p`} value={periodicity} onChange={(e) => setPeriodicity(e.target.value as Periodicity)}>
            {Periodicity.options.map((p) => (
              <option key={p} value={p}>
                {t(`prevention.periodicity.${p}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={`${id}-i`} label={t('prevention.responsible')}>
        <select id={`${id}-i`} value={inspectorId} onChange={(e) => setInspectorId(e.target.value)} data-testid="record-inspector">
          {(inspectors.data?.items ?? [{ id: session.user.id, displayName: session.user.displayName, role: 'inspector' as const }]).map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName} · {t(`role.${u.role}`)}
            </option>
          ))}
        </select>
      </Field>
      <ErrorMessage error={inspectors.error} />
      <ErrorMessage error={save.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!person || save.busy}>
          {t('prevention.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('prevention.cancel')}
        </button>
      </div>
    </form>
  );
}
