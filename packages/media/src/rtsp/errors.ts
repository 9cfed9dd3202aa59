/**
 * Typed RTSP client errors and URL helpers. Every error has a `reason` the camera
 * health logic can act on; messages never contain credentials (use redactUrl).
 */

export type RtspErrorReason =
  /** 401 after retrying with credentials, no credentials given, 403, or an unusable challenge. */
  | 'auth_failed'
  /** TCP connection refused (or the host name does not resolve). */
  | 'refused'
  /** No answer: connect timeout, request timeout, unreachable host. */
  | 'timeout'
  /** Playing, socket open, but no media for the stall period. */
  | 'stalled'
  /** The server closed the connection or said RTCP BYE. */
  | 'ended'
  /** No H.264/H.265 video track in the SDP. */
  | 'unsupported_codec'
  /** Unparseable RTSP response, SDP or interleaved framing. */
  | 'garbage'
  /** 404. */
  | 'not_found'
  /** Any other RTSP status or protocol violation (bad URL, too many redirects, no Session). */
  | 'protocol';

export class RtspError extends Error {
  override readonly name = 'RtspError';
  constructor(
    readonly reason: RtspErrorReason,
    message: string,
    readonly details: { status?: number; code?: string; cause?: unknown } = {},
  ) {
    super(redactUrl(message), details.cause === undefined ? undefined : { cause: details.cause });
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get code(): string | undefined {
    return this.details.code;
  }
}

/**
 * Masks the userinfo of every URL in a string: `rtsp://admin:secret@host/x` →
 * `rtsp://***:***@host/x`. Works on malformed URLs too (an unescaped `@` in the
 * password is masked with the rest: the authority ends at the first `/`, `?` or `#`).
 */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)@/gi, (_m, scheme: string, user: string) =>
    user.includes(':') ? `${scheme}***:***@` : `${scheme}***@`,
  );
}

export interface RtspUrl {
  host: string;
  port: number;
  /** The URL to put in requests: no userinfo, port as the user wrote it. */
  requestUrl: string;
  username: string | null;
  password: string | null;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray '%' in a password: take it literally
  }
}

/** Parses an rtsp:// URL. Throws RtspError('protocol') for anything else. */
export function parseRtspUrl(url: string): RtspUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RtspError('protocol', `invalid RTSP URL ${redactUrl(url)}`);
  }
  if (u.protocol !== 'rtsp:' || u.hostname === '')
    throw new RtspError('protocol', `not an rtsp:// URL: ${redactUrl(url)}`);
  const port = u.port === '' ? 554 : Number(u.port);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return {
    host,
    port,
    requestUrl: `rtsp://${u.host}${u.pathname}${u.search}`,
    username: u.username === '' ? null : decode(u.username),
    password: u.username === '' ? null : decode(u.password),
  };
}

/** Removes userinfo from an absolute URL (SDP control URLs, Content-Base) if present. */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, '$1');
}
