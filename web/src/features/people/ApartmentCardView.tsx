import { peopleApi } from '../../api/people.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useT } from '../../i18n/use-t.ts';

/** Who lives in an apartment and their cars (appeals, incidents and visits join as those issues land). */
export function ApartmentCardView({ apartmentId, onPerson }: { apartmentId: string; onPerson: (id: string) => void }) {
  const t = useT();
  const card = useApiQuery(`apartment:${apartmentId}`, (signal) => peopleApi.apartment(apartmentId, signal));
  if (card.error) return <ErrorMessage error={card.error} />;
  if (!card.data) return <Loading />;
  const a = card.data;
  return (
    <article className="card" data-testid="apartment-card">
      <h2>
        {a.buildingName}, {t('people.apt')} {a.number}
      </h2>
      <p className="muted">{t('people.entranceFloor', { entrance: a.entranceNumber, floor: a.floor })}</p>
      <h3>{t('people.residents')}</h3>
      <ul>
        {a.residents.map((r) => (
          <li key={r.id}>
            <button type="button" className="link-button" onClick={() => onPerson(r.id)}>
              {r.name}
            </button>{' '}
            <span className="muted">{t(`people.relation.${r.relation}`)}</span>
          </li>
        ))}
      </ul>
      <h3>{t('people.vehicles')}</h3>
      <p>{a.vehicles.map((v) => `${v.plateDisplay} ${v.make} ${v.model}`.trim()).join(', ') || '—'}</p>
    </article>
  );
}
