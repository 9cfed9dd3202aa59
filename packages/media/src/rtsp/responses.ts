/** Reading RTSP answers: status → typed error, redirects and where credentials may follow them. */
import { parseRtspUrl, redactUrl, RtspError, type RtspUrl } from './errors.ts';
import type { RtspMessage } from './rtsp-reader.ts';

const REDIRECTS = new Set([301, 302, 303, 305, 307]);

/** Throws the RtspError a non-2xx status stands for. */
export function expectOk(res: RtspMessage, method: string): void {
  if (res.status >= 200 && res.status < 300) return;
  const what = `${method} failed: ${res.status} ${res.statusText}`.trim();
  if (res.status === 404) throw new RtspError('not_found', what, { status: 404 });
  if (res.status === 401 || res.status === 403) throw new RtspError('auth_failed', what, { status: res.status });
  throw new RtspError('protocol', what, { status: res.status });
}

export function redirectLocation(res: RtspMessage): string | null {
  return REDIRECTS.has(res.status) ? (res.headers.get('location') ?? null) : null;
}

/** Credentials follow a redirect only to the same host; another host must carry its own. */
export function followRedirect(from: RtspUrl, location: string): RtspUrl {
  let next: RtspUrl;
  try {
    next = parseRtspUrl(new URL(location, from.requestUrl).href);
  } catch {
    throw new RtspError('protocol', `bad redirect location ${redactUrl(location)}`);
  }
  if (next.username === null && next.host === from.host) {
    next.username = from.username;
    next.password = from.password;
  }
  return next;
}
