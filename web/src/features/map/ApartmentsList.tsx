import { useId, useState } from 'react';
import type { Building } from '@kuzet/contracts';
import { siteApi } from '../../api/site.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { ApartmentCardView } from '../people/ApartmentCardView.tsx';
import { PersonCardView } from '../people/PersonCardView.tsx';

const LIMIT = 20;

interface Props {
  building: Building;
  initialEntrance?: number | undefined;
}

/**
 * The building's apartments, a page at a time, filtered by entrance and floor; for roles
 * that read residents an apartment opens its card (who lives there, vehicles, visits) —
 * the site plan's way to it: building → entrance → floor → apartment.
 */
export function ApartmentsList({ building, initialEntrance }: Props) {
  const t = useT();
  const id = useId();
  const can = useCan();
  const [open, setOpen] = useState<{ kind: 'apartment' | 'person'; id: string } | null>(null);
  const [entrance, setEntrance] = useState<number | undefined>(initialEntrance);
  const [floor, setFloor] = useState<number | undefined>(undefined);
  const [offset, setOffset] = useState(0);
  const query = useApiQuery(`apartments:${building.id}:${entrance ?? ''}:${floor ?? ''}:${offset}`, (signal) =>
    siteApi.apartments(building.id, { limit: LIMIT, offset, entrance, floor }, signal),
  );
  const floors = Array.from({ length: Math.max(0, building.floors) }, (_, i) => i + 1);
  const toNumber = (value: string) => (value === '' ? undefined : Number(value));

  return (
    <div className="apartments">
      <h3>{t('map.apartments')}</h3>
      <div className="filters">
        <div className="inline-field">
          <label htmlFor={`${id}-entrance`}>{t('map.entrance')}</label>
          <select
            id={`${id}-entrance`}
            value={entrance ?? ''}
            onChange={(e) => {
              setEntrance(toNumber(e.target.value));
              setOffset(0);
            }}
            data-testid="apartments-entrance"
          >
            <option value="">{t('common.all')}</option>
            {building.entrances.map((e) => (
              <option key={e.id} value={e.number}>
                {e.number}
              </option>
            ))}
          </select>
        </div>
        <div className="inline-field">
          <label htmlFor={`${id}-floor`}>{t('map.floor')}</label>
          <select
            id={`${id}-floor`}
            value={floor ?? ''}
            onChange={(e) => {
              setFloor(toNumber(e.target.value));
              setOffset(0);
            }}
            data-testid="apartments-floor"
          >
            <option value="">{t('common.all')}</option>
            {floors.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={query.error} />
      {query.loading && !query.data && <Loading />}
      {query.data && (
        <>
          {query.data.items.length === 0 ? (
            <p className="muted">{t('map.noApartments')}</p>
          ) : (
            <table className="table compact" data-testid="apartments-table">
              <thead>
                <tr>
                  <th scope="col">{t('map.apartmentNumber')}</th>
                  <th scope="col">{t('map.entrance')}</th>
                  <th scope="col">{t('map.floor')}</th>
                  <th scope="col">{t('map.rooms')}</th>
                </tr>
              </thead>
              <tbody>
                {query.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      {can('people.read') ? (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setOpen({ kind: 'apartment', id: a.id })}
                          data-testid="apartment-open"
                          aria-label={`${t('map.apartmentCard')} ${a.number}`}
                        >
                          {a.number}
                        </button>
                      ) : (
                        a.number
                      )}
                    </td>
                    <td>{a.entranceNumber}</td>
                    <td>{a.floor}</td>
                    <td>{a.rooms ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager total={query.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      )}
      {open?.kind === 'apartment' ? (
        <ApartmentCardView apartmentId={open.id} onPerson={(pid) => setOpen({ kind: 'person', id: pid })} />
      ) : null}
      {open?.kind === 'person' ? (
        <PersonCardView personId={open.id} onApartment={(aid) => setOpen({ kind: 'apartment', id: aid })} />
      ) : null}
    </div>
  );
}
