import type { Building, SitePlan } from '@kuzet/contracts';
import { api } from './client.ts';
import type { ApartmentPageT, ComplexListT, PageParams } from './types.ts';

export interface ApartmentParams extends PageParams {
  entrance?: number;
  floor?: number;
}

export const siteApi = {
  complexes: (signal?: AbortSignal) => api.get<ComplexListT>('/api/v1/complexes', { signal }),
  sitePlan: (complexId: string, signal?: AbortSignal) =>
    api.get<SitePlan>(`/api/v1/complexes/${encodeURIComponent(complexId)}/site-plan`, { signal }),
  building: (buildingId: string, signal?: AbortSignal) =>
    api.get<Building>(`/api/v1/buildings/${encodeURIComponent(buildingId)}`, { signal }),
  apartments: (buildingId: string, params: ApartmentParams, signal?: AbortSignal) =>
    api.get<ApartmentPageT>(`/api/v1/buildings/${encodeURIComponent(buildingId)}/apartments`, {
      query: { ...params },
      signal,
    }),
};
