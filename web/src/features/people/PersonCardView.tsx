import { peopleApi } from '../../api/people.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useT } from '../../i18n/use-t.ts';

/** A resident's card: opening it is audited by the server. */
export function PersonCardView({ personId, onApartment }: { personId: string; onApartment: (id: string) => void }) {
  const t = useT();
  const card = useApiQuery(`person:${personId}`, (signal) => peopleApi.person(personId, null, signal));
  if (card.error) return <ErrorMessage error={card.error} />;
  if (!card.data) return <Loading />;
  const p = card.data;
  return (
    <article className="card" data-testid="person-card">
      <h2>{[p.lastName, p.firstName, p.patronymic].filter(Boolean).join(' ')}</h2>
      {p.archivedAt ? <p className="muted">{t('people.archived')}</p> : null}
      <dl>
        <dt>{t('people.iin')}</dt>
        <dd data-testid="person-iin">
          {p.iin ?? '—'} {p.iinImplausible ? <span className="badge">{t('people.iinImplausible')}</span> : null}
        </dd>
        {p.birthDate ? (
          <>
            <dt>{t('people.birthDate')}</dt>
            <dd>{p.birthDate}</dd>
          </>
        ) : null}
        <dt>{t('people.phones')}</dt>
        <dd>{p.phones.map((ph) => ph.display).join(', ') || '—'}</dd>
        <dt>{t('people.apartments')}</dt>
        <dd>
          {p.residencies.map((r) => (
            <button key={r.id} type="button" className="link-button" onClick={() => onApartment(r.apartmentId)}>
              {r.buildingName}, {t('people.apt')} {r.apartmentNumber} ({t(`people.relation.${r.relation}`)})
            </button>
          ))}
        </dd>
        <dt>{t('people.vehicles')}</dt>
        <dd>{p.vehicles.map((v) => `${v.plateDisplay} ${v.make} ${v.model}`.trim()).join(', ') || '—'}</dd>
        <dt>{t('people.source')}</dt>
        <dd>{p.source}</dd>
      </dl>
      {p.notes ? <p>{p.notes}</p> : null}
    </article>
  );
}
