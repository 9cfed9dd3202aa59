import { useState } from 'react';
import type { SearchHit } from '@kuzet/contracts';
import { peopleApi } from '../../api/people.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useDebouncedValue } from '../../hooks/use-debounced-value.ts';
import { PeopleImportLinks } from '../people-import/PeopleImportLinks.tsx';
import { useT } from '../../i18n/use-t.ts';
import { ApartmentCardView } from './ApartmentCardView.tsx';
import { PersonCardView } from './PersonCardView.tsx';
import { PlacesPanel } from './PlacesPanel.tsx';

type Open = { kind: 'person'; id: string } | { kind: 'apartment'; id: string } | null;

/** «Жители»: one search box over residents, phones, plates, apartments and premises; cards beside. */
export function ResidentsPage() {
  const t = useT();
  const { complexId } = useComplexChoice();
  const [text, setText] = useState('');
  const [submitted, setSubmitted] = useState<{ q: string; n: number } | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const typed = useDebouncedValue(text.trim(), 250);
  // Typing searches as you go (not audited); Enter submits (audited).
  const q = submitted?.q === text.trim() ? submitted.q : typed;
  const isSubmitted = submitted?.q === q;
  const key = complexId && q.length >= 2 ? `people-search:${complexId}:${q}:${isSubmitted ? submitted?.n : 'k'}` : null;
  const results = useApiQuery(key, (signal) => peopleApi.search(complexId!, q, isSubmitted, signal));

  const choose = (hit: SearchHit) => {
    if (hit.type === 'apartment' && hit.apartmentId) setOpen({ kind: 'apartment', id: hit.apartmentId });
    else if (hit.personId) setOpen({ kind: 'person', id: hit.personId });
  };

  return (
    <div className="stack" data-testid="residents-page">
      <h1 className="page-title">{t('nav.residents')}</h1>
      <PeopleImportLinks complexId={complexId} />
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim().length >= 2) setSubmitted({ q: text.trim(), n: (submitted?.n ?? 0) + 1 });
        }}
      >
        <label htmlFor="people-search">{t('people.searchLabel')}</label>
        <input id="people-search" type="search" value={text} autoComplete="off" placeholder={t('people.searchPlaceholder')} onChange={(e) => setText(e.target.value)} data-testid="people-search" />
      </form>
      <div className="split">
        <section aria-label={t('people.results')}>
          {results.error ? <ErrorMessage error={results.error} /> : null}
          {results.loading && !results.data ? <Loading /> : null}
          {key && results.data && results.data.items.length === 0 ? <EmptyState title={t('people.nothingFound')} testId="people-empty" /> : null}
          {key && results.data ? (
            <ul className="result-list" data-testid="people-results">
              {results.data.items.map((h) => (
                <li key={`${h.type}:${h.id}`}>
                  <button type="button" className="link-button" onClick={() => choose(h)}>
                    <span className="badge">{t(`people.hit.${h.type}`)}</span> <strong>{h.title}</strong>
                  </button>
                  {h.subtitle ? <div className="muted">{h.subtitle}</div> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <section aria-label={t('people.card')}>
          {open?.kind === 'person' ? <PersonCardView personId={open.id} onApartment={(id) => setOpen({ kind: 'apartment', id })} /> : null}
          {open?.kind === 'apartment' ? <ApartmentCardView apartmentId={open.id} onPerson={(id) => setOpen({ kind: 'person', id })} /> : null}
        </section>
      </div>
      {complexId ? <PlacesPanel complexId={complexId} /> : null}
    </div>
  );
}
