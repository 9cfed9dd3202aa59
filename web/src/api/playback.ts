import type {
  Bookmark,
  ClipJob,
  CreateBookmark,
  CreateClip,
  CreateHold,
  RecordingHealth,
  RecordingHold,
  RecordingSegment,
  Timeline,
} from '@kuzet/contracts';
import { ApiError, api, buildUrl, isLocked } from './client.ts';

/** Recorded footage (issue 8): the routes of /work's recording API contract, one function each. */

export interface SegmentPage {
  items: RecordingSegment[];
  total: number;
  limit: number;
  offset: number;
}

export interface RangeQuery {
  /** ISO instants. */
  from: string;
  to: string;
}

export interface MediaQuery {
  /** The wall instant (ISO) to start from; the server starts at the keyframe fragment at or before it. */
  from: string;
  /** Media time 0 (ISO): media seconds = (wall − origin) / 1000. The same for every camera played together. */
  origin: string;
  /** Optional end (ISO): the response stops there (else at the end of the contiguous footage, or after 5 minutes). */
  to?: string;
}

/** What a media response says about itself (X-Kuzet-* headers), as Unix ms. */
export interface MediaWindow {
  /** Wall time of the first fragment sent. */
  start: number | null;
  /** Wall time of the end of the last fragment sent. */
  end: number | null;
  /** Start of the next recorded footage after this response; null: none (yet). */
  next: number | null;
}

export interface MediaResponse extends MediaWindow {
  body: ReadableStream<Uint8Array>;
}

const cameraBase = (cameraId: string) => `/api/v1/cameras/${encodeURIComponent(cameraId)}`;
const recordings = (cameraId: string) => `${cameraBase(cameraId)}/recordings`;

function instant(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function readMediaWindow(headers: Pick<Headers, 'get'>): MediaWindow {
  return {
    start: instant(headers.get('x-kuzet-start')),
    end: instant(headers.get('x-kuzet-end')),
    next: instant(headers.get('x-kuzet-next')),
  };
}

/** The error of a non-JSON route (media): the server's JSON error when there is one. */
async function mediaError(response: Response): Promise<ApiError> {
  let code = response.status === 404 ? 'NOT_FOUND' : response.status >= 500 ? 'INTERNAL' : 'UNKNOWN';
  let message = response.statusText;
  try {
    const payload = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof payload.error?.code === 'string') code = payload.error.code;
    if (typeof payload.error?.message === 'string') message = payload.error.message;
  } catch {
    // not JSON
  }
  return new ApiError(code, message, response.status);
}

export const playbackApi = {
  timeline: (cameraId: string, range: RangeQuery, signal?: AbortSignal) =>
    api.get<Timeline>(`${recordings(cameraId)}/timeline`, { query: { ...range }, signal }),
  segments: (cameraId: string, range: RangeQuery & { limit?: number; offset?: number }, signal?: AbortSignal) =>
    api.get<SegmentPage>(recordings(cameraId), { query: { ...range }, signal }),

  mediaUrl: (cameraId: string, query: MediaQuery) => buildUrl(`${recordings(cameraId)}/media`, { ...query }),
  /**
   * Starts a media response (a continuous fMP4 for MSE). Resolves once the headers are in;
   * the body streams. Rejects with ApiError (404: nothing recorded at or after `from` in the window).
   */
  media: async (cameraId: string, query: MediaQuery, signal?: AbortSignal): Promise<MediaResponse> => {
    if (isLocked()) throw new ApiError('SESSION_LOCKED', 'The session is locked', 423);
    let response: Response;
    try {
      response = await fetch(playbackApi.mediaUrl(cameraId, query), { credentials: 'same-origin', signal });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError('NETWORK', cause instanceof Error ? cause.message : 'Network error', 0);
    }
    if (!response.ok || !response.body) throw await mediaError(response);
    return { ...readMediaWindow(response.headers), body: response.body };
  },

  /** The JPEG of the frame at `at` (a plain link: the browser downloads it with the session cookie). */
  snapshotUrl: (cameraId: string, at: string) => buildUrl(`${recordings(cameraId)}/snapshot`, { at }),

  createClip: (cameraId: string, request: CreateClip) => api.post<ClipJob>(`${recordings(cameraId)}/clips`, request),
  clip: (cameraId: string, clipId: string, signal?: AbortSignal) =>
    api.get<ClipJob>(`${recordings(cameraId)}/clips/${encodeURIComponent(clipId)}`, { signal }),
  clipFileUrl: (cameraId: string, clipId: string) =>
    `${recordings(cameraId)}/clips/${encodeURIComponent(clipId)}/file`,

  bookmarks: (cameraId: string, range: RangeQuery, signal?: AbortSignal) =>
    api.get<Bookmark[]>(`${cameraBase(cameraId)}/bookmarks`, { query: { ...range }, signal }),
  createBookmark: (cameraId: string, request: CreateBookmark) =>
    api.post<Bookmark>(`${cameraBase(cameraId)}/bookmarks`, request),
  deleteBookmark: (cameraId: string, bookmarkId: string) =>
    api.delete<unknown>(`${cameraBase(cameraId)}/bookmarks/${encodeURIComponent(bookmarkId)}`),

  holds: (cameraId: string, signal?: AbortSignal) => api.get<RecordingHold[]>(`${recordings(cameraId)}/holds`, { signal }),
  createHold: (cameraId: string, request: CreateHold) => api.post<RecordingHold>(`${recordings(cameraId)}/holds`, request),
  releaseHold: (cameraId: string, holdId: string) =>
    api.post<RecordingHold>(`${recordings(cameraId)}/holds/${encodeURIComponent(holdId)}/release`, {}),

  health: (complexId: string, signal?: AbortSignal) =>
    api.get<RecordingHealth>(`/api/v1/complexes/${encodeURIComponent(complexId)}/recordings/health`, { signal }),
};
