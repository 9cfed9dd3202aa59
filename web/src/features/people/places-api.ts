import type {
  Caretaker,
  CaretakerUpdate,
  Management,
  ManagementCompany,
  ManagementCompanyUpdate,
  Premise,
  PremiseList,
  PremiseUpdate,
} from '@kuzet/contracts';
import { api } from '../../api/client.ts';

const c = (complexId: string) => `/api/v1/complexes/${encodeURIComponent(complexId)}`;

/** Premises, the management company (ОСИ/КСК) and caretakers of a complex. */
export const placesApi = {
  premises: (complexId: string, signal?: AbortSignal) => api.get<PremiseList>(`${c(complexId)}/premises`, { signal }),
  updatePremise: (complexId: string, id: string, body: PremiseUpdate) =>
    api.patch<Premise>(`${c(complexId)}/premises/${encodeURIComponent(id)}`, body),
  management: (complexId: string, signal?: AbortSignal) =>
    api.get<Management>(`${c(complexId)}/management`, { signal }),
  createCompany: (complexId: string, body: ManagementCompanyUpdate) =>
    api.post<ManagementCompany>(`${c(complexId)}/management/companies`, body),
  updateCompany: (complexId: string, id: string, body: ManagementCompanyUpdate) =>
    api.patch<ManagementCompany>(`${c(complexId)}/management/companies/${encodeURIComponent(id)}`, body),
  createCaretaker: (complexId: string, body: CaretakerUpdate) =>
    api.post<Caretaker>(`${c(complexId)}/management/caretakers`, body),
  updateCaretaker: (complexId: string, id: string, body: CaretakerUpdate) =>
    api.patch<Caretaker>(`${c(complexId)}/management/caretakers/${encodeURIComponent(id)}`, body),
  deleteCaretaker: (complexId: string, id: string) =>
    api.delete<unknown>(`${c(complexId)}/management/caretakers/${encodeURIComponent(id)}`),
};
