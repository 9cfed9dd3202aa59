import { errorCatalog, type ErrorCode } from '@kuzet/contracts';

/** Codes the client itself produces when there is no server answer to read. */
export type ClientErrorCode = 'NETWORK' | 'UNKNOWN';

/** An error answer of the API (or a failure to reach it), with the catalog code. */
export class ApiError extends Error {
  readonly code: ErrorCode | ClientErrorCode | string;
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | null;

  constructor(code: string, message: string, status: number, details?: unknown, requestId?: string | null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId ?? null;
  }
}

export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalog, code);
}

export type ApiEvent = { type: 'unauthorized' } | { type: 'locked' } | { type: 'unlocked' };
type Listener = (event: ApiEvent) => void;

const listeners = new Set<Listener>();
let csrfToken: string | null = null;
let locked = false;

/** The session owner (SessionProvider) keeps these in step with SessionInfo. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setLocked(value: boolean): void {
  if (locked === value) return;
  locked = value;
  if (!value) emit({ type: 'unlocked' });
}

export function isLocked(): boolean {
  return locked;
}

export function onApiEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(event: ApiEvent): void {
  for (const listener of listeners) listener(event);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Calls that work while the screen is locked (unlock, sign out, session). */
  whileLocked?: boolean;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One JSON call to the API. Resolves with the parsed body (undefined for 204),
 * rejects with ApiError. A locked session short-circuits here, so a locked
 * console sends nothing that the server would refuse with 423.
 */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  if (locked && !options.whileLocked) {
    throw new ApiError('SESSION_LOCKED', errorCatalog.SESSION_LOCKED.message, 423);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (STATE_CHANGING.has(method)) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body ?? {});
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('NETWORK', cause instanceof Error ? cause.message : 'Network error', 0);
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const error = await readError(response);
  if (error.code === 'AUTH_REQUIRED') emit({ type: 'unauthorized' });
  if (error.code === 'SESSION_LOCKED') {
    locked = true;
    emit({ type: 'locked' });
  }
  throw error;
}

async function readError(response: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // Not JSON (a proxy page, an empty body): fall through to a status-based error.
    payload = null;
  }
  if (payload && typeof payload === 'object' && 'error' in payload) {
    const { error, requestId } = payload as {
      error?: { code?: unknown; message?: unknown; details?: unknown };
      requestId?: unknown;
    };
    if (error && typeof error.code === 'string') {
      return new ApiError(
        error.code,
        typeof error.message === 'string' ? error.message : error.code,
        response.status,
        error.details,
        typeof requestId === 'string' ? requestId : null,
      );
    }
  }
  return new ApiError(response.status >= 500 ? 'INTERNAL' : 'UNKNOWN', response.statusText, response.status);
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => apiRequest<T>('DELETE', path, options),
};
