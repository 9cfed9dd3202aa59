/**
 * One RTSP control connection over TCP: CSeq bookkeeping, request timeouts, the 401
 * retry with credentials, answers to server-initiated requests, and the interleaved
 * frames passed through from the stream reader. It knows nothing of sessions or
 * tracks; the client (rtsp-client.ts) drives it.
 */
import net from 'node:net';
import type { RtspAuth } from './auth.ts';
import { RtspError } from './errors.ts';
import { RtspStreamReader, type RtspMessage } from './rtsp-reader.ts';

export interface RtspConnectionOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  userAgent: string;
  /** Null when the URL has no credentials: a 401 is then final. */
  auth: RtspAuth | null;
  onFrame(channel: number, buf: Uint8Array, offset: number, length: number): void;
  /** The connection died on its own (not after destroy()). */
  onFailure(err: RtspError): void;
  /** Garbage bytes tolerated once `strictGarbage` is off (default 64 KiB). */
  maxGarbageBytes?: number;
}

interface Pending {
  method: string;
  resolve: (msg: RtspMessage) => void;
  reject: (err: RtspError) => void;
  timer: NodeJS.Timeout;
}

/** Maps socket errors to reasons: the health logic cares about "refused" vs "no answer". */
function socketError(e: NodeJS.ErrnoException, connected: boolean, where: string): RtspError {
  const code = e.code ?? 'EUNKNOWN';
  if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN'].includes(code))
    return new RtspError('timeout', `${where}: ${code}`, { code });
  if (!connected) return new RtspError('refused', `${where}: ${code}`, { code });
  return new RtspError('ended', `${where}: connection lost (${code})`, { code });
}

export class RtspConnection {
  /** Session id, added to every request once set. */
  session: string | null = null;
  /** While true (handshake), any garbage is fatal; afterwards up to maxGarbageBytes. */
  strictGarbage = true;
  garbageBytes = 0;
  /** Date.now() of the latest socket read: one clock read per chunk, not per packet. */
  lastReadAt = 0;
  private socket: net.Socket | null = null;
  private connected = false;
  private dead = false;
  private cseq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly reader: RtspStreamReader;
  private connectReject: ((err: RtspError) => void) | null = null;
  private readonly where: string;

  constructor(private readonly opts: RtspConnectionOptions) {
    this.where = `rtsp ${opts.host}:${opts.port}`;
    this.reader = new RtspStreamReader({
      onFrame: opts.onFrame,
      onMessage: (m) => this.onMessage(m),
      onGarbage: (n) => {
        this.garbageBytes += n;
        if (this.strictGarbage || this.garbageBytes > (opts.maxGarbageBytes ?? 64 * 1024))
          this.die(new RtspError('garbage', `${this.where}: unparseable data from server (${n} bytes)`));
      },
    });
  }

  get remoteAddress(): string | undefined {
    return this.socket?.remoteAddress;
  }

  get bufferedBytes(): number {
    return this.reader.bufferedBytes;
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.connectReject = reject;
      const timer = setTimeout(
        () => this.die(new RtspError('timeout', `${this.where}: connect timed out`)),
        this.opts.connectTimeoutMs,
      ).unref();
      const s = net.connect({ host: this.opts.host, port: this.opts.port });
      this.socket = s;
      s.setNoDelay(true);
      s.once('connect', () => {
        clearTimeout(timer);
        this.connected = true;
        this.connectReject = null;
        resolve();
      });
      s.on('data', (chunk: Buffer) => {
        this.lastReadAt = Date.now();
        try {
          this.reader.push(chunk);
        } catch (e) {
          // Parsing never throws; this is a consumer callback failing. Do not crash the process.
          this.die(new RtspError('protocol', `${this.where}: error while handling stream data`, { cause: e }));
        }
      });
      s.on('error', (e) => {
        clearTimeout(timer);
        this.die(socketError(e, this.connected, this.where));
      });
      s.on('close', () => {
        clearTimeout(timer);
        this.die(new RtspError(this.connected ? 'ended' : 'refused', `${this.where}: connection closed by server`));
      });
    });
  }

  /** Sends a request; on 401 adopts the challenge and retries once. Resolves with any other status. */
  async request(
    method: string,
    uri: string,
    headers: Record<string, string> = {},
    timeoutMs?: number,
  ): Promise<RtspMessage> {
    let res = await this.send(method, uri, headers, timeoutMs);
    if (res.status === 401 && this.opts.auth) {
      if (!this.opts.auth.accept(res.headers.getAll('www-authenticate')))
        throw new RtspError('auth_failed', `${method}: no supported authentication scheme offered`, { status: 401 });
      res = await this.send(method, uri, headers, timeoutMs);
    }
    if (res.status === 401) {
      const why = this.opts.auth ? 'credentials rejected' : 'the camera requires credentials';
      throw new RtspError('auth_failed', `${method}: ${why}`, { status: 401 });
    }
    return res;
  }

  private send(method: string, uri: string, headers: Record<string, string>, timeoutMs?: number): Promise<RtspMessage> {
    return new Promise((resolve, reject) => {
      if (this.dead || !this.socket) return reject(new RtspError('ended', `${this.where}: connection closed`));
      const cseq = ++this.cseq;
      let head = `${method} ${uri} RTSP/1.0\r\nCSeq: ${cseq}\r\nUser-Agent: ${this.opts.userAgent}\r\n`;
      const auth = this.opts.auth?.header(method, uri);
      if (auth) head += `Authorization: ${auth}\r\n`;
      if (this.session !== null) head += `Session: ${this.session}\r\n`;
      for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
      const ms = timeoutMs ?? this.opts.requestTimeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(cseq);
        reject(new RtspError('timeout', `${method}: no response within ${ms} ms`));
      }, ms).unref();
      this.pending.set(cseq, { method, resolve, reject, timer });
      this.socket.write(head + '\r\n');
    });
  }

  /** Writes an interleaved frame (RTCP receiver reports). */
  writeFrame(channel: number, data: Uint8Array): void {
    if (this.dead || !this.socket) return;
    const frame = Buffer.allocUnsafe(4 + data.length);
    frame[0] = 0x24;
    frame[1] = channel;
    frame.writeUInt16BE(data.length, 2);
    frame.set(data, 4);
    this.socket.write(frame);
  }

  private onMessage(msg: RtspMessage): void {
    if (msg.kind === 'request') {
      // Servers may ping us (GET_PARAMETER/OPTIONS) or announce things; be polite and brief.
      const ok = ['OPTIONS', 'GET_PARAMETER', 'SET_PARAMETER'].includes(msg.method);
      const cseq = (msg.headers.get('cseq') ?? '0').replace(/[^0-9]/g, '').slice(0, 10) || '0';
      this.socket?.write(`RTSP/1.0 ${ok ? '200 OK' : '501 Not Implemented'}\r\nCSeq: ${cseq}\r\n\r\n`);
      return;
    }
    const cseqText = msg.headers.get('cseq');
    let key = cseqText === undefined ? NaN : Number.parseInt(cseqText, 10);
    // No CSeq (some cameras): it answers the oldest request still waiting.
    if (!this.pending.has(key)) key = cseqText === undefined ? (this.pending.keys().next().value ?? NaN) : NaN;
    const p = this.pending.get(key);
    if (!p) return; // a late answer to a request that timed out
    this.pending.delete(key);
    clearTimeout(p.timer);
    p.resolve(msg);
  }

  private die(err: RtspError): void {
    if (this.dead) return;
    this.teardown(err);
    if (this.connectReject) this.connectReject(err);
    else this.opts.onFailure(err);
    this.connectReject = null;
  }

  /** Closes the socket now and fails pending requests; onFailure is not called. */
  destroy(): void {
    if (this.dead) return;
    const err = new RtspError('ended', `${this.where}: connection closed`);
    this.teardown(err);
    this.connectReject?.(err);
    this.connectReject = null;
  }

  private teardown(err: RtspError): void {
    this.dead = true;
    this.socket?.destroy();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
