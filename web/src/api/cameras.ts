import type {
  Camera,
  CameraType,
  CreateCameraRequest,
  StreamKind,
  StreamState,
  UpdateCameraRequest,
} from '@kuzet/contracts';
import { api, buildUrl } from './client.ts';
import type {
  CameraGrantListT,
  CameraGrantT,
  CameraImportReportT,
  CameraPageT,
  PageParams,
  StatusHistoryT,
  UptimeReportT,
} from './types.ts';

export interface CameraListParams extends PageParams {
  q?: string | undefined;
  type?: CameraType | undefined;
  state?: StreamState | undefined;
}

export interface StatusHistoryParams {
  /** ISO instants. */
  from?: string;
  to?: string;
  stream?: StreamKind;
}

export interface GrantRequest {
  userId: string;
  reason: string;
  expiresAt: string;
}

const complexBase = (complexId: string) => `/api/v1/complexes/${encodeURIComponent(complexId)}/cameras`;
const cameraBase = (cameraId: string) => `/api/v1/cameras/${encodeURIComponent(cameraId)}`;

export const camerasApi = {
  list: (complexId: string, params: CameraListParams, signal?: AbortSignal) =>
    api.get<CameraPageT>(complexBase(complexId), { query: { ...params }, signal }),
  get: (cameraId: string, signal?: AbortSignal) => api.get<Camera>(cameraBase(cameraId), { signal }),
  create: (complexId: string, request: CreateCameraRequest) => api.post<Camera>(complexBase(complexId), request),
  update: (cameraId: string, request: UpdateCameraRequest) => api.patch<Camera>(cameraBase(cameraId), request),
  remove: (cameraId: string) => api.delete<unknown>(cameraBase(cameraId)),
  importCsv: (complexId: string, csv: string, dryRun: boolean) =>
    api.post<CameraImportReportT>(`${complexBase(complexId)}/import`, { csv, dryRun }),
  uptime: (complexId: string, days: number, signal?: AbortSignal) =>
    api.get<UptimeReportT>(`${complexBase(complexId)}/uptime`, { query: { days }, signal }),
  history: (cameraId: string, params: StatusHistoryParams, signal?: AbortSignal) =>
    api.get<StatusHistoryT>(`${cameraBase(cameraId)}/status-history`, { query: { ...params }, signal }),
  grants: (cameraId: string, signal?: AbortSignal) =>
    api.get<CameraGrantListT>(`${cameraBase(cameraId)}/grants`, { signal }),
  createGrant: (cameraId: string, request: GrantRequest) =>
    api.post<CameraGrantT>(`${cameraBase(cameraId)}/grants`, request),
  revokeGrant: (cameraId: string, grantId: string) =>
    api.delete<unknown>(`${cameraBase(cameraId)}/grants/${encodeURIComponent(grantId)}`),
  /** The server-sent events stream of the complex's cameras (EventSource, same-origin cookie). */
  eventsUrl: (complexId: string) => buildUrl(`${complexBase(complexId)}/events`),
};
