/**
 * Test-only RTSP server over node:net and node:dgram. It speaks real RTSP 1.0 (CSeq,
 * Session, Transport, Basic and Digest challenges it verifies itself) and streams
 * prepared RTP packets over interleaved TCP or UDP, with misbehaviours on demand.
 * Independent of the client's parsers on purpose, so the tests check one against
 * the other.
 */
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';

export type Behavior = 'normal' | 'silent' | 'garbage' | 'stall' | 'close' | 'not_found' | 'redirect';

export interface TestServerOptions {
  behavior?: Behavior;
  auth?: { scheme: 'basic' | 'digest' | 'both'; username: string; password: string; qop?: boolean };
  /** RTP packets sent after PLAY. */
  packets?: Buffer[];
  /** For 'stall' and 'close': how many packets to send first. */
  stopAfter?: number;
  sdp?: string;
  redirectTo?: string;
  sessionTimeoutS?: number;
  /** Split the TCP media into writes of this many bytes (frames straddle reads). */
  writeSize?: number;
  /** Written as-is to the socket after PLAY, instead of framing `packets`. */
  raw?: Buffer[];
  /** Send an RTCP SR before the media. */
  senderReport?: boolean;
  /** Transports SETUP accepts (default both); the other gets 461 Unsupported Transport. */
  transports?: ('tcp' | 'udp')[];
  /** Close the connection after refusing a transport (some cameras do). */
  closeOnRefuse?: boolean;
  /** UDP: send the packets in this order of indices (reordering on the wire). */
  udpOrder?: number[];
}

export interface ReceivedRequest {
  method: string;
  uri: string;
  headers: Record<string, string>;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export const H264_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=test',
  't=0 0',
  'a=control:*',
  'm=audio 0 RTP/AVP 0',
  'a=control:trackID=0',
  'm=video 0 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 packetization-mode=1;profile-level-id=640028;sprop-parameter-sets=Z2QAKKzZQHgCJ+WEAAADAAQAAAMA8Dxgxlg=,aOvjyyLA',
  'a=control:trackID=1',
  '',
].join('\r\n');

export class TestRtspServer {
  readonly requests: ReceivedRequest[] = [];
  /** RTCP frames/datagrams received from the client. */
  rtcpReceived = 0;
  /** The latest RTCP datagram that reached the server's RTCP port. */
  lastUdpRtcp: Buffer | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly udp = dgram.createSocket('udp4');
  /** The server's RTCP port (server_port's second half): receiver reports arrive here. */
  private readonly udpRtcp = dgram.createSocket('udp4');
  private readonly nonce = randomBytes(8).toString('hex');
  private timers: NodeJS.Timeout[] = [];

  private constructor(
    private readonly server: net.Server,
    readonly opts: TestServerOptions,
  ) {}

  static async start(opts: TestServerOptions = {}): Promise<TestRtspServer> {
    const server = net.createServer();
    const t = new TestRtspServer(server, opts);
    server.on('connection', (s) => t.onConnection(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => t.udp.bind(0, '127.0.0.1', r));
    await new Promise<void>((r) => t.udpRtcp.bind(0, '127.0.0.1', r));
    t.udp.on('message', () => t.rtcpReceived++);
    t.udpRtcp.on('message', (msg) => {
      t.rtcpReceived++;
      t.lastUdpRtcp = msg;
    });
    return t;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  url(path = '/stream', creds?: string): string {
    return `rtsp://${creds ? creds + '@' : ''}127.0.0.1:${this.port}${path}`;
  }

  async waitForNoConnections(ms = 2000): Promise<void> {
    const end = Date.now() + ms;
    while (this.sockets.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  }

  private closed = false;

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    await new Promise<void>((r) => this.udp.close(() => r()));
    await new Promise<void>((r) => this.udpRtcp.close(() => r()));
  }

  private onConnection(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (buf[0] === 0x24) {
          if (buf.length < 4 || buf.length < 4 + buf.readUInt16BE(2)) return;
          this.rtcpReceived++;
          buf = buf.subarray(4 + buf.readUInt16BE(2));
          continue;
        }
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        buf = buf.subarray(end + 4);
        const [method = '', uri = ''] = (lines[0] ?? '').split(' ');
        const headers: Record<string, string> = {};
        for (const l of lines.slice(1)) {
          const c = l.indexOf(':');
          if (c > 0) headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
        }
        const req = { method, uri, headers };
        this.requests.push(req);
        this.answer(s, req);
      }
    });
  }

  private reply(s: net.Socket, req: ReceivedRequest, status: string, headers: string[] = [], body = ''): void {
    const head = [`RTSP/1.0 ${status}`, `CSeq: ${req.headers.cseq ?? '0'}`, ...headers];
    if (body) head.push('Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(body)}`);
    s.write(head.join('\r\n') + '\r\n\r\n' + body);
  }

  private authorized(req: ReceivedRequest): boolean {
    const a = this.opts.auth;
    if (!a) return true;
    const h = req.headers.authorization ?? '';
    if (h.startsWith('Basic ') && a.scheme !== 'digest') {
      return Buffer.from(h.slice(6), 'base64').toString() === `${a.username}:${a.password}`;
    }
    if (!h.startsWith('Digest ') || a.scheme === 'basic') return false;
    const p: Record<string, string> = {};
    for (const m of h.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) p[m[1] as string] = m[2] ?? m[3] ?? '';
    if (p.username !== a.username || p.nonce !== this.nonce || p.uri !== req.uri || p.realm !== 'kuzet') return false;
    const ha1 = md5(`${a.username}:kuzet:${a.password}`);
    const ha2 = md5(`${req.method}:${req.uri}`);
    const expected = a.qop
      ? p.qop === 'auth' && p.nc && p.cnonce && md5(`${ha1}:${this.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`)
      : md5(`${ha1}:${this.nonce}:${ha2}`);
    return p.response === expected;
  }

  private challenges(): string[] {
    const a = this.opts.auth;
    const digest = `WWW-Authenticate: Digest realm="kuzet", nonce="${this.nonce}"${a?.qop ? ', qop="auth"' : ''}`;
    const basic = 'WWW-Authenticate: Basic realm="kuzet"';
    return a?.scheme === 'basic' ? [basic] : a?.scheme === 'both' ? [basic, digest] : [digest];
  }

  private answer(s: net.Socket, req: ReceivedRequest): void {
    const b = this.opts.behavior ?? 'normal';
    if (b === 'silent') return;
    if (b === 'garbage') {
      s.write(Buffer.from('\x00\x17\xfe garbage \xff\xff\x01 not rtsp at all \x00', 'latin1'));
      return;
    }
    if (!this.authorized(req)) return this.reply(s, req, '401 Unauthorized', this.challenges());
    const session = `Session: 12345678;timeout=${this.opts.sessionTimeoutS ?? 60}`;
    switch (req.method) {
      case 'OPTIONS':
        return this.reply(s, req, '200 OK', ['Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER']);
      case 'DESCRIBE':
        if (b === 'not_found') return this.reply(s, req, '404 Not Found');
        if (b === 'redirect') return this.reply(s, req, '302 Found', [`Location: ${this.opts.redirectTo}`]);
        return this.reply(s, req, '200 OK', [`Content-Base: ${req.uri}/`], this.opts.sdp ?? H264_SDP);
      case 'SETUP': {
        const t = req.headers.transport ?? '';
        const ports = /client_port=(\d+)-(\d+)/.exec(t);
        if (this.opts.transports && !this.opts.transports.includes(ports ? 'udp' : 'tcp')) {
          this.reply(s, req, '461 Unsupported Transport');
          if (this.opts.closeOnRefuse) s.end();
          return;
        }
        const transport = ports
          ? `RTP/AVP;unicast;client_port=${ports[1]}-${ports[2]};server_port=${this.udpPort}-${this.udpRtcp.address().port}`
          : 'RTP/AVP/TCP;unicast;interleaved=0-1';
        (s as net.Socket & { rtpPort?: number }).rtpPort = ports ? Number(ports[1]) : undefined;
        return this.reply(s, req, '200 OK', [session, `Transport: ${transport}`]);
      }
      case 'PLAY':
        this.reply(s, req, '200 OK', [session, 'Range: npt=0.000-']);
        return void this.stream(s);
      case 'GET_PARAMETER':
      case 'TEARDOWN':
        return this.reply(s, req, '200 OK', [session]);
      default:
        return this.reply(s, req, '501 Not Implemented');
    }
  }

  private get udpPort(): number {
    return this.udp.address().port;
  }

  private async stream(s: net.Socket): Promise<void> {
    const b = this.opts.behavior ?? 'normal';
    const all = this.opts.packets ?? [];
    const packets = b === 'stall' || b === 'close' ? all.slice(0, this.opts.stopAfter ?? 5) : all;
    const rtpPort = (s as net.Socket & { rtpPort?: number }).rtpPort;
    const sr = Buffer.alloc(28);
    sr.set([0x80, 200, 0, 6]);
    sr.writeUInt32BE(0x1234abcd, 4);
    sr.writeUInt32BE(3_913_056_000, 8);
    if (rtpPort !== undefined) {
      const host = s.remoteAddress ?? '127.0.0.1';
      if (this.opts.senderReport) this.udp.send(sr, rtpPort + 1, host);
      const order = this.opts.udpOrder ?? packets.map((_, i) => i);
      for (let i = 0; i < order.length; i++) {
        const pkt = packets[order[i] as number];
        if (this.closed || s.destroyed) break; // the client or the test ended the session
        if (pkt) await new Promise<void>((r) => this.udp.send(pkt, rtpPort, host, () => r()));
        if (i % 8 === 7) await new Promise((r) => setTimeout(r, 1)); // let the client drain
      }
    } else if (this.opts.raw) {
      for (const chunk of this.opts.raw) {
        if (s.destroyed) break;
        s.write(chunk);
        await new Promise((r) => setImmediate(r));
      }
    } else {
      const frames = packets.map((p) => Buffer.concat([Buffer.from([0x24, 0, p.length >> 8, p.length & 0xff]), p]));
      if (this.opts.senderReport) frames.unshift(Buffer.concat([Buffer.from([0x24, 1, 0, 28]), sr]));
      const data = Buffer.concat(frames);
      const size = this.opts.writeSize ?? data.length;
      for (let o = 0; o < data.length && !s.destroyed; o += size) {
        s.write(data.subarray(o, o + size));
        if (this.opts.writeSize) await new Promise((r) => setImmediate(r));
      }
    }
    if (b === 'close') s.end();
  }
}
