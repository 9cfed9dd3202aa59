import type {
  CheckInOutcome,
  PreventionCategory,
  PreventionList,
  PreventionRecord,
  PreventionRecordInput,
  ResponsibleList,
  RoundApartment,
  RoundCoverage,
  SearchResult,
  VisitOutcomeInput,
  VisitRound,
  VisitRoundInput,
  VisitRoundSummary,
} from '@kuzet/contracts';
import { api } from '../../api/client.ts';

const c = (complexId: string) => `/api/v1/complexes/${encodeURIComponent(complexId)}`;
const r = (roundId: string) => `/api/v1/visit-rounds/${encodeURIComponent(roundId)}`;

/** Calls of the preventive registry and door-to-door rounds (server: modules/prevention). */
export const preventionApi = {
  categories: (signal?: AbortSignal) =>
    api.get<{ items: PreventionCategory[] }>('/api/v1/prevention/categories', { signal }),
  inspectors: (complexId: string, signal?: AbortSignal) =>
    api.get<ResponsibleList>(`${c(complexId)}/prevention/inspectors`, { signal }),
  dayList: (complexId: string, signal?: AbortSignal) =>
    api.get<PreventionList>(`${c(complexId)}/prevention/day-list`, { signal }),
  records: (complexId: string, signal?: AbortSignal) =>
    api.get<PreventionList>(`${c(complexId)}/prevention/records`, { signal }),
  record: (recordId: string, reason: string) =>
    api.get<PreventionRecord>(`/api/v1/prevention/records/${encodeURIComponent(recordId)}`, { query: { reason } }),
  create: (complexId: string, input: Partial<PreventionRecordInput>) =>
    api.post<PreventionRecord>(`${c(complexId)}/prevention/records`, input),
  checkIn: (recordId: string, input: { checkedOn: string; outcome: CheckInOutcome; note: string }) =>
    api.post<PreventionRecord>(`/api/v1/prevention/records/${encodeURIComponent(recordId)}/check-ins`, input),
  searchPeople: (complexId: string, q: string) =>
    api.get<SearchResult>(`${c(complexId)}/people/search`, { query: { q, submitted: 'true', limit: 10 } }),

  rounds: (complexId: string, signal?: AbortSignal) =>
    api.get<{ items: VisitRoundSummary[] }>(`${c(complexId)}/visit-rounds`, { signal }),
  createRound: (complexId: string, input: VisitRoundInput) =>
    api.post<VisitRound>(`${c(complexId)}/visit-rounds`, input),
  round: (roundId: string, signal?: AbortSignal) => api.get<VisitRound>(r(roundId), { signal }),
  coverage: (roundId: string, signal?: AbortSignal) => api.get<RoundCoverage>(`${r(roundId)}/coverage`, { signal }),
  recordOutcome: (roundId: string, apartmentId: string, input: Partial<VisitOutcomeInput>) =>
    api.put<RoundApartment>(`${r(roundId)}/apartments/${encodeURIComponent(apartmentId)}`, input),
};

/** "42 %" — coverage shown as a whole percentage. */
export function percent(coverage: number): string {
  return `${Math.round(coverage * 100)} %`;
}
