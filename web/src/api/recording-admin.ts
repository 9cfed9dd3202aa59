import type { CreateHold, RecordingHealth, RecordingHold } from '@kuzet/contracts';
import { api } from './client.ts';

/** The recorder's health and legal holds (issue 8, retention helper). */
export const recordingAdminApi = {
  health: (complexId: string, signal?: AbortSignal) =>
    api.get<RecordingHealth>(`/api/v1/complexes/${encodeURIComponent(complexId)}/recordings/health`, { signal }),
  holds: (cameraId: string, signal?: AbortSignal) =>
    api.get<RecordingHold[]>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/recordings/holds`, { signal }),
  createHold: (cameraId: string, request: CreateHold) =>
    api.post<RecordingHold>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/recordings/holds`, request),
  releaseHold: (cameraId: string, holdId: string) =>
    api.post<RecordingHold>(
      `/api/v1/cameras/${encodeURIComponent(cameraId)}/recordings/holds/${encodeURIComponent(holdId)}/release`,
      {},
    ),
};
