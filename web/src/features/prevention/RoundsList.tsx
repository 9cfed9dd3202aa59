import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { siteApi } from '../../api/site.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay } from '../../lib/time.ts';
import { percent, preventionApi } from './prevention-api.ts';

/** Door-to-door rounds of the complex with their coverage; plan a new one by building and entrance. */
export function RoundsList({ complexId, query }: { complexId: string; query: string }) {
  const { t, lang } = useI18n();
  const id = useId();
  const rounds = useApiQuery(`rounds:${complexId}`, (signal) => preventionApi.rounds(complexId, signal));
  const plan = useApiQuery(`site-plan:${complexId}`, (signal) => siteApi.sitePlan(complexId, signal));
  const [name, setName] = useState('');
  const [plannedOn, setPlannedOn] = useState('');
  const [buildingIds, setBuildings] = useState<string[]>([]);
  const [entranceIds, setEntrances] = useState<string[]>([]);
  const toggle = (list: string[], set: (v: string[]) => void, v: string) =>
    set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const create = useAction(() => preventionApi.createRound(complexId, { name, plannedOn, buildingIds, entranceIds }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await create.run()) {
      setName('');
      setBuildings([]);
      setEntrances([]);
      rounds.reload();
    }
  };
  return (
    <div className="rounds" data-testid="rounds">
      <section className="card">
        <ErrorMessage error={rounds.error} />
        {rounds.loading && !rounds.data && <Loading />}
        {rounds.data?.items.length === 0 && <EmptyState title={t('visits.noRounds')} testId="rounds-empty" />}
        {rounds.data && rounds.data.items.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>{t('visits.name')}</th>
                <th>{t('visits.plannedOn')}</th>
                <th>{t('visits.coverage')}</th>
                <th>{t('visits.noAnswer')}</th>
                <th>{t('visits.refused')}</th>
              </tr>
            </thead>
            <tbody>
              {rounds.data.items.map((r) => (
                <tr key={r.id} data-testid="round-row">
                  <td>
                    <Link to={`/prevention/rounds/${r.id}${query}`}>{r.name}</Link>
                  </td>
                  <td>{formatDay(r.plannedOn, lang)}</td>
                  <td>
                    {percent(r.total.coverage)} ({r.total.visited}/{r.total.apartments})
                  </td>
                  <td>{r.total.noAnswer}</td>
                  <td>{r.total.refused}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>{t('visits.newRound')}</h2>
        <form className="stack" onSubmit={submit} data-testid="new-round-form">
          <div className="row">
            <Field id={`${id}-n`} label={t('visits.name')}>
              <input
                id={`${id}-n`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={200}
                data-testid="round-name"
              />
            </Field>
            <Field id={`${id}-d`} label={t('visits.plannedOn')}>
              <input
                id={`${id}-d`}
                type="date"
                value={plannedOn}
                onChange={(e) => setPlannedOn(e.target.value)}
                required
                data-testid="round-date"
              />
            </Field>
          </div>
          <fieldset>
            <legend>{t('visits.choose')}</legend>
            {plan.data?.buildings.map((b) => (
              <div key={b.id} className="round-building">
                <label>
                  <input
                    type="checkbox"
                    checked={buildingIds.includes(b.id)}
                    onChange={() => toggle(buildingIds, setBuildings, b.id)}
                  />{' '}
                  <strong>{b.name}</strong> ({t('visits.wholeBuilding')})
                </label>
                {b.entrances.map((e) => (
                  <label key={e.id} className="round-entrance">
                    <input
                      type="checkbox"
                      disabled={buildingIds.includes(b.id)}
                      checked={buildingIds.includes(b.id) || entranceIds.includes(e.id)}
                      onChange={() => toggle(entranceIds, setEntrances, e.id)}
                      data-testid={`round-entrance-${b.name}-${e.number}`}
                    />{' '}
                    {t('visits.entrance', { n: e.number })}
                  </label>
                ))}
              </div>
            ))}
          </fieldset>
          <ErrorMessage error={create.error ?? plan.error} />
          <button type="submit" className="primary" disabled={create.busy} data-testid="round-submit">
            {t('visits.create')}
          </button>
        </form>
      </section>
    </div>
  );
}
