import type {
  Alert,
  AlertList,
  CameraZones,
  DetectionEvent,
  DetectionEventKind,
  DismissReason,
  EscalateAlertResponse,
  EventMarks,
  EventPage,
  PutZonesRequest,
} from '@kuzet/contracts';
import { api, buildUrl } from './client.ts';

/** Motion and health alerts, detection zones and events (issue 10): one function per route. */

export interface AlertListParams {
  status?: 'open' | 'all';
  limit?: number;
  /** Alerts with seq < before (paging back). */
  before?: number;
}

export interface EventSearchParams {
  cameraId?: string | undefined;
  zoneId?: string | undefined;
  kind?: DetectionEventKind | undefined;
  /** ISO instants. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** Someone an alert may be assigned to. */
export interface Assignee {
  id: string;
  displayName: string;
  role?: string;
}

const enc = encodeURIComponent;
const complexBase = (complexId: string) => `/api/v1/complexes/${enc(complexId)}`;
const alertBase = (alertId: string) => `/api/v1/alerts/${enc(alertId)}`;
const cameraBase = (cameraId: string) => `/api/v1/cameras/${enc(cameraId)}`;

export const alertsApi = {
  list: (complexId: string, params: AlertListParams, signal?: AbortSignal) =>
    api.get<AlertList>(`${complexBase(complexId)}/alerts`, { query: { ...params }, signal }),
  get: (alertId: string, signal?: AbortSignal) => api.get<Alert>(alertBase(alertId), { signal }),
  acknowledge: (alertId: string, note?: string) =>
    api.post<Alert>(`${alertBase(alertId)}/acknowledge`, note ? { note } : {}),
  assign: (alertId: string, userId: string, note?: string) =>
    api.post<Alert>(`${alertBase(alertId)}/assign`, note ? { userId, note } : { userId }),
  dismiss: (alertId: string, reason: DismissReason, note?: string) =>
    api.post<Alert>(`${alertBase(alertId)}/dismiss`, note ? { reason, note } : { reason }),
  escalate: (alertId: string, type: string, description?: string) =>
    api.post<EscalateAlertResponse>(`${alertBase(alertId)}/escalate`, description ? { type, description } : { type }),
  /** Staff who may act on the complex's alerts (the assign picker). */
  assignees: (complexId: string, signal?: AbortSignal) =>
    api.get<{ items: Assignee[] }>(`${complexBase(complexId)}/alerts/assignees`, { signal }),
  /** The live feed (WebSocket, same-origin cookie): absolute ws(s):// address. */
  liveUrl: (complexId: string, after: number | null, location: Pick<Location, 'protocol' | 'host'> = window.location) => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${buildUrl('/api/v1/alerts/live', { complexId, after })}`;
  },
};

export const zonesApi = {
  get: (cameraId: string, signal?: AbortSignal) => api.get<CameraZones>(`${cameraBase(cameraId)}/zones`, { signal }),
  put: (cameraId: string, request: PutZonesRequest) => api.put<CameraZones>(`${cameraBase(cameraId)}/zones`, request),
};

export const eventsApi = {
  search: (complexId: string, params: EventSearchParams, signal?: AbortSignal) =>
    api.get<EventPage>(`${complexBase(complexId)}/events`, { query: { ...params }, signal }),
  marks: (cameraId: string, range: { from: string; to: string }, signal?: AbortSignal) =>
    api.get<EventMarks>(`${cameraBase(cameraId)}/events`, { query: { ...range }, signal }),
  get: (eventId: string, signal?: AbortSignal) => api.get<DetectionEvent>(`/api/v1/events/${enc(eventId)}`, { signal }),
};
