import { PremiseKind, type Caretaker, type ManagementCompany, type Premise } from '@kuzet/contracts';
import { useId, useState, type FormEvent } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { placesApi } from './places-api.ts';

type Values = Record<string, string>;
interface FieldDef {
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'tel' | 'email';
  options?: { value: string; label: string }[];
  required?: boolean;
}

/** One small form for a premise, a company or a caretaker: text fields, save and cancel. */
function EditForm({
  fields,
  initial,
  onSave,
  onCancel,
  testId,
}: {
  fields: FieldDef[];
  initial: Values;
  onSave: (v: Values) => Promise<unknown>;
  onCancel: () => void;
  testId: string;
}) {
  const t = useT();
  const id = useId();
  const [values, setValues] = useState<Values>(initial);
  const save = useAction(() => onSave(values));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save.run();
  };
  return (
    <form className="stack" onSubmit={submit} data-testid={testId}>
      {fields.map((f) => {
        const fid = `${id}-${f.name}`;
        const common = {
          id: fid,
          value: values[f.name] ?? '',
          required: f.required,
          onChange: (e: { target: { value: string } }) => setValues({ ...values, [f.name]: e.target.value }),
          'data-testid': `${testId}-${f.name}`,
        };
        return (
          <Field key={f.name} id={fid} label={f.label}>
            {f.options ? (
              <select {...common}>
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : f.kind === 'textarea' ? (
              <textarea {...common} rows={2} />
            ) : (
              <input {...common} type={f.kind ?? 'text'} />
            )}
          </Field>
        );
      })}
      <ErrorMessage error={save.error} />
      <div className="row">
        <button type="submit" disabled={save.busy} data-testid={`${testId}-save`}>
          {t('common.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

const text = (v: Values, k: string) => (v[k] ?? '').trim();
const orNull = (s: string) => (s === '' ? null : s);

/**
 * «Помещения и управление»: ground-floor premises (contacts, hours, alarm details), the
 * management company (ОСИ/КСК/УК) and its caretakers. Everyone who reads residents sees
 * them; inspectors, district chiefs and admins edit them (the server checks it too).
 */
export function PlacesPanel({ complexId }: { complexId: string }) {
  const t = useT();
  const can = useCan();
  const edit = can('people.edit');
  const premises = useApiQuery(`premises:${complexId}`, (signal) => placesApi.premises(complexId, signal));
  const management = useApiQuery(`management:${complexId}`, (signal) => placesApi.management(complexId, signal));
  const [open, setOpen] = useState<string | null>(null);
  const removeCaretaker = useAction((id: string) => placesApi.deleteCaretaker(complexId, id));

  const kindOptions = PremiseKind.options.map((k) => ({ value: k, label: t(`places.premiseKind.${k}`) }));
  const companyKinds = (['osi', 'ksk', 'uk'] as const).map((k) => ({ value: k, label: t(`places.companyKind.${k}`) }));
  const companyOptions = [
    { value: '', label: '—' },
    ...(management.data?.companies ?? []).map((c) => ({ value: c.id, label: c.name })),
  ];
  const premiseFields: FieldDef[] = [
    { name: 'name', label: t('places.name'), required: true },
    { name: 'kind', label: t('places.kind'), options: kindOptions },
    { name: 'contactName', label: t('places.contactName') },
    { name: 'phone', label: t('places.phone'), kind: 'tel' },
    { name: 'hours', label: t('places.hours') },
    { name: 'alarmDetails', label: t('places.alarmDetails'), kind: 'textarea' },
    { name: 'notes', label: t('places.notes'), kind: 'textarea' },
  ];
  const companyFields: FieldDef[] = [
    { name: 'kind', label: t('places.kind'), options: companyKinds },
    { name: 'name', label: t('places.name'), required: true },
    { name: 'phone', label: t('places.phone'), kind: 'tel' },
    { name: 'email', label: t('places.email'), kind: 'email' },
    { name: 'address', label: t('places.address') },
  ];
  const caretakerFields: FieldDef[] = [
    { name: 'name', label: t('places.personName'), required: true },
    { name: 'position', label: t('places.position') },
    { name: 'phone', label: t('places.phone'), kind: 'tel' },
    { name: 'managementCompanyId', label: t('places.company'), options: companyOptions },
  ];
  const done = () => {
    setOpen(null);
    premises.reload();
    management.reload();
  };
  const premiseBody = (v: Values) => ({
    name: text(v, 'name'),
    kind: v.kind as Premise['kind'],
    contactName: text(v, 'contactName'),
    phone: orNull(text(v, 'phone')),
    hours: text(v, 'hours'),
    alarmDetails: text(v, 'alarmDetails'),
    notes: text(v, 'notes'),
  });
  const companyBody = (v: Values) => ({
    kind: v.kind as ManagementCompany['kind'],
    name: text(v, 'name'),
    phone: orNull(text(v, 'phone')),
    email: text(v, 'email'),
    address: text(v, 'address'),
  });
  const caretakerBody = (v: Values) => ({
    name: text(v, 'name'),
    position: text(v, 'position'),
    phone: orNull(text(v, 'phone')),
    managementCompanyId: orNull(v.managementCompanyId ?? ''),
  });
  const asValues = (o: object): Values =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));

  return (
    <section className="stack" aria-labelledby="places-title" data-testid="places-panel">
      <h2 id="places-title">{t('places.title')}</h2>

      <h3>{t('places.premises')}</h3>
      <ErrorMessage error={premises.error} />
      {premises.loading && !premises.data ? <Loading /> : null}
      {premises.data && premises.data.items.length === 0 ? <EmptyState title={t('places.noPremises')} /> : null}
      <ul className="result-list" data-testid="premises-list">
        {premises.data?.items.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong> <span className="badge">{t(`places.premiseKind.${p.kind}`)}</span>
            <div className="muted">{[p.contactName, p.phone, p.hours].filter(Boolean).join(' · ')}</div>
            {p.alarmDetails ? <div className="muted">{`${t('places.alarmDetails')}: ${p.alarmDetails}`}</div> : null}
            {edit && open !== `premise:${p.id}` ? (
              <button
                type="button"
                className="link-button"
                onClick={() => setOpen(`premise:${p.id}`)}
                data-testid="premise-edit"
              >
                {t('places.edit')}
              </button>
            ) : null}
            {open === `premise:${p.id}` ? (
              <EditForm
                testId="premise-form"
                fields={premiseFields}
                initial={asValues(p)}
                onCancel={() => setOpen(null)}
                onSave={async (v) => {
                  await placesApi.updatePremise(complexId, p.id, premiseBody(v));
                  done();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>

      <h3>{t('places.management')}</h3>
      <ErrorMessage error={management.error} />
      {management.loading && !management.data ? <Loading /> : null}
      {management.data && management.data.companies.length === 0 ? <EmptyState title={t('places.noCompany')} /> : null}
      <ul className="result-list" data-testid="companies-list">
        {management.data?.companies.map((c) => (
          <li key={c.id}>
            <span className="badge">{t(`places.companyKind.${c.kind}`)}</span> <strong>{c.name}</strong>
            <div className="muted">{[c.phone, c.email, c.address].filter(Boolean).join(' · ')}</div>
            {edit && open !== `company:${c.id}` ? (
              <button
                type="button"
                className="link-button"
                onClick={() => setOpen(`company:${c.id}`)}
                data-testid="company-edit"
              >
                {t('places.edit')}
              </button>
            ) : null}
            {open === `company:${c.id}` ? (
              <EditForm
                testId="company-form"
                fields={companyFields}
                initial={asValues(c)}
                onCancel={() => setOpen(null)}
                onSave={async (v) => {
                  await placesApi.updateCompany(complexId, c.id, companyBody(v));
                  done();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {edit && open !== 'company:new' ? (
        <button type="button" className="secondary" onClick={() => setOpen('company:new')} data-testid="company-add">
          {t('places.addCompany')}
        </button>
      ) : null}
      {open === 'company:new' ? (
        <EditForm
          testId="company-form"
          fields={companyFields}
          initial={{ kind: 'osi' }}
          onCancel={() => setOpen(null)}
          onSave={async (v) => {
            await placesApi.createCompany(complexId, companyBody(v));
            done();
          }}
        />
      ) : null}

      <h3>{t('places.caretakers')}</h3>
      {management.data && management.data.caretakers.length === 0 ? (
        <EmptyState title={t('places.noCaretakers')} />
      ) : null}
      <ErrorMessage error={removeCaretaker.error} />
      <ul className="result-list" data-testid="caretakers-list">
        {management.data?.caretakers.map((c: Caretaker) => (
          <li key={c.id}>
            <strong>{c.name}</strong> {c.position ? <span className="muted">{c.position}</span> : null}
            <div className="muted">{c.phone ?? ''}</div>
            {edit && open !== `caretaker:${c.id}` ? (
              <span className="row">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setOpen(`caretaker:${c.id}`)}
                  data-testid="caretaker-edit"
                >
                  {t('places.edit')}
                </button>
                <button
                  type="button"
                  className="link-button"
                  disabled={removeCaretaker.busy}
                  onClick={async () => {
                    if (
                      window.confirm(t('places.removeCaretakerConfirm', { name: c.name })) &&
                      (await removeCaretaker.run(c.id))
                    )
                      done();
                  }}
                  data-testid="caretaker-remove"
                >
                  {t('places.remove')}
                </button>
              </span>
            ) : null}
            {open === `caretaker:${c.id}` ? (
              <EditForm
                testId="caretaker-form"
                fields={caretakerFields}
                initial={asValues(c)}
                onCancel={() => setOpen(null)}
                onSave={async (v) => {
                  await placesApi.updateCaretaker(complexId, c.id, caretakerBody(v));
                  done();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {edit && open !== 'caretaker:new' ? (
        <button
          type="button"
          className="secondary"
          onClick={() => setOpen('caretaker:new')}
          data-testid="caretaker-add"
        >
          {t('places.addCaretaker')}
        </button>
      ) : null}
      {open === 'caretaker:new' ? (
        <EditForm
          testId="caretaker-form"
          fields={caretakerFields}
          initial={{}}
          onCancel={() => setOpen(null)}
          onSave={async (v) => {
            await placesApi.createCaretaker(complexId, caretakerBody(v));
            done();
          }}
        />
      ) : null}
    </section>
  );
}
