/**
 * A deliberately minimal RTSP client for tests and the serving benchmark: requests and
 * responses, `$`-framed media, UDP receive, Digest/Basic helpers. It records everything
 * it got so a test can observe faults (garbage, FIN mid-frame, silence).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';

export interface RtspResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

export interface RtpPacket {
  marker: boolean;
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  payload: Buffer;
  at: number;
}

export function parseRtp(buf: Buffer, at = performance.now()): RtpPacket | undefined {
  if (buf.length < 12 || (buf[0] ?? 0) >> 6 !== 2) return undefined;
  const cc = (buf[0] ?? 0) & 0x0f;
  const start = 12 + cc * 4;
  return {
    marker: ((buf[1] ?? 0) & 0x80) !== 0,
    pt: (buf[1] ?? 0) & 0x7f,
    seq: buf.readUInt16BE(2),
    ts: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payload: buf.subarray(start),
    at,
  };
}

export class TestRtspClient {
  private buf: Buffer = Buffer.alloc(0);
  private cseq = 0;
  private waiting: Array<(r: RtspResponse) => void> = [];
  /** interleaved packets by channel, in arrival order */
  readonly interleaved: Array<{ channel: number; data: Buffer; at: number }> = [];
  /** bytes that were neither a response nor a `$` frame (garbage fault) */
  garbageBytes = 0;
  totalBytes = 0;
  /** set when the server closed the connection (FIN or reset) */
  endedAt: number | undefined;
  readonly ended: Promise<void>;
  /** keep raw interleaved data (tests); the benchmark turns this off */
  keep = true;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    this.ended = new Promise((resolve) => {
      socket.on('close', () => {
        this.endedAt = performance.now();
        resolve();
      });
    });
    socket.on('error', () => undefined); // observed through `ended`
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TestRtspClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, host);
      s.once('connect', () => resolve(new TestRtspClient(s)));
      s.once('error', reject);
    });
  }

  request(method: string, url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<RtspResponse> {
    const cseq = ++this.cseq;
    let text = `${method} ${url} RTSP/1.0\r\nCSeq: ${cseq}\r\nUser-Agent: kuzet-sim-test\r\n`;
    for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
    this.socket.write(`${text}\r\n`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
      this.ended.then(
        () => reject(new Error(`connection closed during ${method}`)),
        () => undefined,
      );
      this.waiting.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  private onData(d: Buffer): void {
    this.totalBytes += d.length;
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const b = this.buf;
      if (b.length === 0) return;
      if (b[0] === 0x24) {
        if (b.length < 4) return;
        const len = b.readUInt16BE(2);
        if (b.length < 4 + len) return;
        if (this.keep)
          this.interleaved.push({
            channel: b[1] ?? 0,
            data: Buffer.from(b.subarray(4, 4 + len)),
            at: performance.now(),
          });
        else this.interleaved.length = 0;
        this.buf = b.subarray(4 + len);
        continue;
      }
      if (b.subarray(0, 5).toString('latin1') !== 'RTSP/' && b.length >= 5) {
        this.garbageBytes += b.length; // cannot resynchronise on random bytes: count and drop
        this.buf = Buffer.alloc(0);
        return;
      }
      const end = b.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = b.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map<string, string>();
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
      }
      const len = Number(headers.get('content-length') ?? 0);
      if (b.length < end + 4 + len) return;
      const body = b.subarray(end + 4, end + 4 + len).toString('utf8');
      this.buf = b.subarray(end + 4 + len);
      const status = Number((lines[0] ?? '').split(' ')[1]);
      this.waiting.shift()?.({ status, headers, body });
    }
  }

  rtp(channel = 0): RtpPacket[] {
    return this.interleaved.filter((p) => p.channel === channel).flatMap((p) => parseRtp(p.data, p.at) ?? []);
  }

  close(): void {
    this.socket.destroy();
  }

  /** DESCRIBE → SETUP (TCP interleaved or UDP client ports) → PLAY; returns the session id. */
  async play(
    url: string,
    opts: { udpPorts?: [number, number]; auth?: (method: string, uri: string) => string | undefined } = {},
  ): Promise<string> {
    const h = (method: string, uri: string): Record<string, string> => {
      const a = opts.auth?.(method, uri);
      return a ? { Authorization: a } : {};
    };
    const d = await this.request('DESCRIBE', url, { Accept: 'application/sdp', ...h('DESCRIBE', url) });
    if (d.status !== 200) throw new Error(`DESCRIBE ${d.status}`);
    const track = `${d.headers.get('content-base') ?? `${url}/`}trackID=0`;
    const transport = opts.udpPorts
      ? `RTP/AVP;unicast;client_port=${opts.udpPorts[0]}-${opts.udpPorts[1]}`
      : 'RTP/AVP/TCP;unicast;interleaved=0-1';
    const s = await this.request('SETUP', track, { Transport: transport, ...h('SETUP', track) });
    if (s.status !== 200) throw new Error(`SETUP ${s.status}`);
    const session = (s.headers.get('session') ?? '').split(';')[0] ?? '';
    const p = await this.request('PLAY', url, { Session: session, Range: 'npt=0.000-', ...h('PLAY', url) });
    if (p.status !== 200) throw new Error(`PLAY ${p.status}`);
    return session;
  }
}

export function basicAuth(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** Digest response (qop=auth when offered, else RFC 2069) for a WWW-Authenticate challenge. */
export function digestAuth(
  challenge: string,
  method: string,
  uri: string,
  user: string,
  pass: string,
  useQop = true,
): string {
  const get = (k: string): string => new RegExp(`${k}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  const realm = get('realm');
  const nonce = get('nonce');
  const ha1 = md5(`${user}:${realm}:${pass}`);
  const ha2 = md5(`${method}:${uri}`);
  if (useQop && /qop="?auth/.test(challenge)) {
    const cnonce = randomBytes(8).toString('hex');
    const nc = '00000001';
    const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}", algorithm=MD5`;
  }
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${md5(`${ha1}:${nonce}:${ha2}`)}"`;
}

/** A UDP port pair that records RTP (first) and RTCP (second) datagrams. */
export async function udpReceiver(): Promise<{
  ports: [number, number];
  rtp: RtpPacket[];
  rtcp: Buffer[];
  close(): Promise<void>;
}> {
  const bind = (): Promise<UdpSocket> =>
    new Promise((resolve, reject) => {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => resolve(s));
    });
  const a = await bind();
  const b = await bind();
  const rtp: RtpPacket[] = [];
  const rtcp: Buffer[] = [];
  a.on('message', (m) => {
    const p = parseRtp(m);
    if (p) rtp.push(p);
    else rtcp.push(m);
  });
  b.on('message', (m) => rtcp.push(m));
  return {
    ports: [a.address().port, b.address().port],
    rtp,
    rtcp,
    close: async () => {
      await Promise.all([a, b].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
