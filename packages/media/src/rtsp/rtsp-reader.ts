/**
 * Incremental reader for an RTSP/TCP connection, which carries RTSP messages and
 * interleaved binary frames (`$`, channel, 16-bit length, data; RFC 2326 §10.12) on
 * the same byte stream.
 *
 * Cost model (performance.md): frames are handed out as (buffer, offset, length) of
 * the socket chunk itself, so a whole read is never copied. Only a frame that
 * straddles two reads is copied, once, into a buffer of its exact length; a partial
 * 4-byte frame header is kept in a fixed 4-byte array. RTSP text (rare: handshake and
 * keep-alive answers) is concatenated when split, bounded by `maxHeaderBytes`.
 *
 * Garbage (bytes that start neither a frame nor an RTSP message) is skipped up to the
 * next plausible frame or message start and reported through `onGarbage`; the owner
 * decides whether that is fatal. Never throws on any input.
 */
import { readU16 } from '../rtp/rtp-packet.ts';

export class RtspHeaders {
  private readonly map = new Map<string, string[]>();
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const list = this.map.get(key);
    if (list) list.push(value);
    else this.map.set(key, [value]);
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.[0];
  }
  getAll(name: string): string[] {
    return this.map.get(name.toLowerCase()) ?? [];
  }
}

export interface RtspMessage {
  kind: 'response' | 'request';
  /** Responses: status code and reason phrase (0 and '' for requests). */
  status: number;
  statusText: string;
  /** Requests from the server: method and URI ('' for responses). */
  method: string;
  uri: string;
  headers: RtspHeaders;
  body: Uint8Array;
}

const MAX_HEADERS = 128;
const EMPTY = new Uint8Array(0);

/** Parses a start line and headers (no body). Null when it is not an RTSP message. */
export function parseRtspHead(text: string): RtspMessage | null {
  const lines = text.split(/\r?\n/);
  const first = lines[0] ?? '';
  const msg: RtspMessage = {
    kind: 'response',
    status: 0,
    statusText: '',
    method: '',
    uri: '',
    headers: new RtspHeaders(),
    body: EMPTY,
  };
  let m = /^RTSP\/1\.\d (\d{3})(?: (.*))?$/.exec(first);
  if (m) {
    msg.status = Number(m[1]);
    msg.statusText = m[2] ?? '';
  } else {
    m = /^([A-Z_]{1,32}) (\S+) RTSP\/1\.\d$/.exec(first);
    if (!m) return null;
    msg.kind = 'request';
    msg.method = m[1] as string;
    msg.uri = m[2] as string;
  }
  let count = 0;
  let last: [string, string] | null = null;
  const flush = () => last && msg.headers.append(last[0], last[1].trim());
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      last[1] += ' ' + line.trim(); // obsolete line folding
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // tolerate junk lines rather than dropping the answer
    flush();
    if (++count > MAX_HEADERS) return null;
    last = [line.slice(0, colon).trim(), line.slice(colon + 1)];
  }
  flush();
  return msg;
}

export interface RtspReaderHandlers {
  onFrame(channel: number, buf: Uint8Array, offset: number, length: number): void;
  onMessage(msg: RtspMessage): void;
  onGarbage(skippedBytes: number): void;
}

export interface RtspReaderLimits {
  /** Longest start line + headers (default 16 KiB). */
  maxHeaderBytes?: number;
  /** Largest message body, e.g. SDP (default 256 KiB). */
  maxBodyBytes?: number;
}

const DOLLAR = 0x24;
const enum Mode {
  Scan,
  FrameHeader,
  Fill,
  Text,
}

export class RtspStreamReader {
  private mode = Mode.Scan;
  private readonly hdr = new Uint8Array(4);
  private hdrLen = 0;
  private fill: Uint8Array | null = null;
  private filled = 0;
  /** Channel of the frame being filled, or -1 for the body of `fillMessage`. */
  private fillChannel = -1;
  private fillMessage: RtspMessage | null = null;
  private text: Buffer | null = null;
  private readonly maxHeader: number;
  private readonly maxBody: number;

  constructor(
    private readonly h: RtspReaderHandlers,
    limits: RtspReaderLimits = {},
  ) {
    this.maxHeader = limits.maxHeaderBytes ?? 16 * 1024;
    this.maxBody = limits.maxBodyBytes ?? 256 * 1024;
  }

  /** Bytes held across reads (partial frame, header or message). */
  get bufferedBytes(): number {
    return this.hdrLen + (this.fill?.length ?? 0) + (this.text?.length ?? 0);
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    let i = 0;
    if (this.mode === Mode.FrameHeader) {
      while (this.hdrLen < 4 && i < buf.length) this.hdr[this.hdrLen++] = buf[i++] as number;
      if (this.hdrLen < 4) return;
      this.hdrLen = 0;
      this.mode = Mode.Scan;
      i = this.beginFill(this.hdr[1] as number, readU16(this.hdr, 2), buf, i);
    } else if (this.mode === Mode.Fill) {
      i = this.continueFill(buf, 0);
    } else if (this.mode === Mode.Text) {
      buf = Buffer.concat([this.text as Buffer, buf]);
      this.text = null;
      this.mode = Mode.Scan;
    }
    if (this.mode === Mode.Scan) this.scan(buf, i);
  }

  private scan(buf: Buffer, i: number): void {
    const end = buf.length;
    while (i < end && this.mode === Mode.Scan) {
      const b = buf[i] as number;
      if (b === DOLLAR) {
        if (i + 4 > end) {
          this.hdr.set(buf.subarray(i, end));
          this.hdrLen = end - i;
          this.mode = Mode.FrameHeader;
          return;
        }
        const len = readU16(buf, i + 2);
        if (i + 4 + len <= end) {
          this.h.onFrame(buf[i + 1] as number, buf, i + 4, len); // the common case: no copy
          i += 4 + len;
        } else {
          i = this.beginFill(buf[i + 1] as number, len, buf, i + 4);
        }
      } else if (b === 0x0d || b === 0x0a) {
        i++; // stray CRLF between messages
      } else if (b >= 0x41 && b <= 0x5a && looksLikeMessage(buf, i) !== false) {
        i = this.message(buf, i);
      } else {
        const j = resync(buf, i + 1);
        this.h.onGarbage(j - i);
        i = j;
      }
    }
  }

  /** A frame whose data is not all in this chunk: copy into a buffer of its exact size. */
  private beginFill(channel: number, len: number, buf: Buffer, i: number): number {
    if (i + len <= buf.length) {
      this.h.onFrame(channel, buf, i, len);
      return i + len;
    }
    this.fill = new Uint8Array(len);
    this.filled = 0;
    this.fillChannel = channel;
    this.mode = Mode.Fill;
    return this.continueFill(buf, i);
  }

  private continueFill(buf: Buffer, i: number): number {
    const fill = this.fill as Uint8Array;
    const n = Math.min(fill.length - this.filled, buf.length - i);
    fill.set(buf.subarray(i, i + n), this.filled);
    this.filled += n;
    if (this.filled === fill.length) {
      this.fill = null;
      this.mode = Mode.Scan;
      if (this.fillChannel >= 0) this.h.onFrame(this.fillChannel, fill, 0, fill.length);
      else if (this.fillMessage) {
        const msg = this.fillMessage;
        this.fillMessage = null;
        msg.body = fill;
        this.h.onMessage(msg);
      }
    }
    return i + n;
  }

  /** An RTSP message starting at i; returns where scanning continues. */
  private message(buf: Buffer, i: number): number {
    const end = buf.length;
    const headEnd = findHeadEnd(buf, i, Math.min(end, i + this.maxHeader));
    if (headEnd < 0) {
      if (end - i >= this.maxHeader) {
        this.h.onGarbage(end - i);
        return end;
      }
      this.text = buf.subarray(i); // partial: wait for more (concatenated on the next push)
      this.mode = Mode.Text;
      return end;
    }
    const msg = parseRtspHead(buf.toString('latin1', i, headEnd));
    const lenText = msg?.headers.get('content-length');
    const len = lenText === undefined ? 0 : /^\s*\d+\s*$/.test(lenText) ? Number(lenText) : -1;
    if (!msg || len < 0 || len > this.maxBody) {
      this.h.onGarbage(headEnd - i);
      return headEnd;
    }
    if (headEnd + len <= end) {
      msg.body = buf.subarray(headEnd, headEnd + len);
      this.h.onMessage(msg);
      return headEnd + len;
    }
    this.fillMessage = msg;
    const at = this.beginFill(-1, len, buf, headEnd);
    this.fillChannel = -1;
    return at;
  }
}

/** Checks the start of a message: "RTSP/1." or an upper-case method and a space. */
function looksLikeMessage(buf: Uint8Array, i: number): boolean | undefined {
  const rtsp = [0x52, 0x54, 0x53, 0x50, 0x2f, 0x31, 0x2e]; // RTSP/1.
  let k = 0;
  for (; k < rtsp.length && i + k < buf.length; k++) if (buf[i + k] !== rtsp[k]) break;
  if (k === rtsp.length) return true;
  if (i + k === buf.length && k > 0) return undefined; // a partial "RTSP/1." prefix
  for (k = 0; k < 33 && i + k < buf.length; k++) {
    const c = buf[i + k] as number;
    if (c === 0x20) return k > 0;
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5f)) return false;
  }
  return i + k === buf.length ? undefined : false;
}

/** Index just past the blank line ending the headers, or -1 (searched in [i, limit)). */
function findHeadEnd(buf: Buffer, i: number, limit: number): number {
  for (let j = buf.indexOf(0x0a, i); j >= 0 && j < limit; j = buf.indexOf(0x0a, j + 1)) {
    if (buf[j + 1] === 0x0a) return j + 2;
    if (buf[j + 1] === 0x0d && buf[j + 2] === 0x0a) return j + 3;
  }
  return -1;
}

/** Next position that plausibly starts a frame ('$', small channel, RTP/RTCP version 2) or a response. */
function resync(buf: Buffer, from: number): number {
  const end = buf.length;
  for (let j = from; j < end; j++) {
    const c = buf[j] as number;
    if (c === DOLLAR) {
      if (j + 1 >= end) return j;
      if ((buf[j + 1] as number) < 32 && (j + 4 >= end || ((buf[j + 4] as number) & 0xc0) === 0x80)) return j;
    } else if (c === 0x52 && looksLikeMessage(buf, j) !== false && buf[j + 1] === 0x54) {
      return j;
    }
  }
  return end;
}
