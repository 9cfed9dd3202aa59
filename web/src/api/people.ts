import type { ApartmentCard, Person, SearchResult } from '@kuzet/contracts';
import { api } from './client.ts';

export const peopleApi = {
  /** `submitted`: the person pressed Enter or opened a result — the server audits it; keystrokes are not. */
  search: (complexId: string, q: string, submitted: boolean, signal?: AbortSignal) =>
    api.get<SearchResult>(`/api/v1/complexes/${encodeURIComponent(complexId)}/people/search`, { query: { q, submitted, limit: 20 }, signal }),
  person: (personId: string, reason: string | null, signal?: AbortSignal) =>
    api.get<Person>(`/api/v1/people/${encodeURIComponent(personId)}`, { query: reason ? { reason } : {}, signal }),
  apartment: (apartmentId: string, signal?: AbortSignal) => api.get<ApartmentCard>(`/api/v1/apartments/${encodeURIComponent(apartmentId)}/card`, { signal }),
};
