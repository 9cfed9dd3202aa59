/**
 * Incremental reader for what a client sends on an RTSP connection: requests, and
 * `$`-framed interleaved packets (RTCP receiver reports over TCP). A misbehaving client
 * gets an `error` item (and is disconnected by the caller) instead of crashing anything:
 * sizes are bounded and nothing here throws on bad input.
 */

export interface RtspRequest {
  method: string;
  uri: string;
  version: string;
  /** lower-case header names */
  headers: Map<string, string>;
  body: Buffer;
}

export type Incoming =
  | { kind: 'request'; request: RtspRequest }
  | { kind: 'interleaved'; channel: number; data: Buffer }
  | { kind: 'error'; reason: string };

export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_BODY_BYTES = 64 * 1024;
const REQUEST_LINE = /^([A-Z_]{1,32}) (\S{1,4096}) (RTSP\/\d\.\d)$/;

export class RtspRequestReader {
  private buf: Buffer = Buffer.alloc(0);
  private failed = false;

  push(chunk: Buffer): Incoming[] {
    if (this.failed) return [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Incoming[] = [];
    for (;;) {
      const item = this.next();
      if (!item) break;
      out.push(item);
      if (item.kind === 'error') {
        this.failed = true;
        this.buf = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  private next(): Incoming | undefined {
    const b = this.buf;
    if (b.length === 0) return undefined;
    if (b[0] === 0x24) {
      if (b.length < 4) return undefined;
      const len = b.readUInt16BE(2);
      if (b.length < 4 + len) return undefined;
      const data = b.subarray(4, 4 + len);
      this.buf = b.subarray(4 + len);
      return { kind: 'interleaved', channel: b[1] ?? 0, data };
    }
    // tolerate stray CR/LF between messages, as some clients send them as keep-alives
    if (b[0] === 0x0d || b[0] === 0x0a) {
      let i = 0;
      while (i < b.length && (b[i] === 0x0d || b[i] === 0x0a)) i++;
      this.buf = b.subarray(i);
      return this.next();
    }
    const end = b.indexOf('\r\n\r\n');
    if (end < 0) {
      return b.length > MAX_HEADER_BYTES ? { kind: 'error', reason: 'header too large' } : undefined;
    }
    if (end > MAX_HEADER_BYTES) return { kind: 'error', reason: 'header too large' };
    const lines = b.subarray(0, end).toString('latin1').split('\r\n');
    const m = REQUEST_LINE.exec(lines[0] ?? '');
    if (!m) return { kind: 'error', reason: 'malformed request line' };
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) return { kind: 'error', reason: 'malformed header' };
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const lenText = headers.get('content-length') ?? '0';
    const len = /^\d{1,9}$/.test(lenText) ? Number(lenText) : NaN;
    if (!Number.isFinite(len) || len > MAX_BODY_BYTES) return { kind: 'error', reason: 'bad content-length' };
    if (b.length < end + 4 + len) return undefined;
    const body = Buffer.from(b.subarray(end + 4, end + 4 + len));
    this.buf = b.subarray(end + 4 + len);
    return {
      kind: 'request',
      request: { method: m[1] as string, uri: m[2] as string, version: m[3] as string, headers, body },
    };
  }
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  505: 'RTSP Version Not Supported',
};

export function formatResponse(
  status: number,
  headers: Array<[string, string | number]>,
  body?: string | Buffer,
): Buffer {
  const bodyBuf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  let head = `RTSP/1.0 ${status} ${REASONS[status] ?? 'Error'}\r\n`;
  for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
  if (bodyBuf) head += `Content-Length: ${bodyBuf.length}\r\n`;
  head += '\r\n';
  return bodyBuf ? Buffer.concat([Buffer.from(head, 'latin1'), bodyBuf]) : Buffer.from(head, 'latin1');
}

/** `/cam/<id>/<main|sub>[/trackID=N]` from an absolute or relative request URI. */
export function parseTarget(uri: string): { cameraId: string; stream: string; origin: string | undefined } | undefined {
  let path = uri;
  let origin: string | undefined;
  const abs = /^rtsps?:\/\/(?:[^@/]*@)?([^/?#]+)(\/[^?#]*)?/i.exec(uri);
  if (abs) {
    origin = `rtsp://${abs[1]}`;
    path = abs[2] ?? '/';
  } else {
    path = path.split(/[?#]/)[0] ?? '';
  }
  const m = /^\/cam\/([A-Za-z0-9._~-]{1,64})\/([a-z]{1,8})(?:\/(?:trackID=\d+)?)?\/?$/.exec(path);
  if (!m || /^\.+$/.test(m[1] as string)) return undefined; // "." and ".." are path segments, not ids
  return { cameraId: m[1] as string, stream: m[2] as string, origin };
}
