/**
 * RTSP 1.0 client (RFC 2326) for one camera stream: OPTIONS, DESCRIBE, SETUP of the
 * video track (audio is ignored), PLAY, keep-alive, TEARDOWN; RTP over TCP interleaved
 * or UDP, depacketized into access units.
 *
 * Transport `auto` asks for TCP first (or the caller's `preferTransport`, what worked
 * before) and, when the server refuses that SETUP (461 Unsupported Transport or any
 * other 4xx/5xx but auth, or an answer in the other transport), asks for the other on
 * the same connection. A refusal that kills the connection is reported through
 * `refusedTransport`, so the caller starts the next attempt with the other one.
 *
 * Contract: nothing a camera sends makes this throw. Every terminal failure is one
 * RtspError with a `reason`, reported once through onError (and as the rejection of
 * start(), which is pre-handled so ignoring it is safe), then onClose. close() ends a
 * session without onError. After onClose no socket or timer is left behind.
 *
 * Hot path (performance.md): socket chunk → interleaved frame (offset/length, no copy)
 * → RTP header parsed into one reused object → depacketizer. One clock read per
 * socket chunk serves both arrival time and the stall watchdog.
 */
import type { AccessUnit, VideoCodec, VideoParameterSets } from '../types.ts';
import type { RtcpSenderReport } from '../rtp/rtcp.ts';
import { RtspAuth } from './auth.ts';
import { RtspConnection } from './connection.ts';
import { parseRtspUrl, redactUrl, RtspError, stripCredentials, type RtspUrl } from './errors.ts';
import { MediaReceiver, type MediaReceiverOptions, type MediaStats } from './media-receiver.ts';
import { expectOk, followRedirect, redirectLocation } from './responses.ts';
import type { RtspMessage } from './rtsp-reader.ts';
import { findVideoTrack, parseSdp, resolveControlUrl, type SdpSession, type VideoTrack } from './sdp.ts';
import { bindUdpPair, closeUdpPair, parsePair, parseSession, parseTransport, type UdpPair, type UdpPortRange } from './transport.ts';

export type RtspTransport = 'tcp' | 'udp';

export interface RtspClientOptions {
  /** rtsp://user:pass@host:port/path — credentials are URL-decoded and never logged. */
  url: string;
  /** Default 'tcp'. 'auto': TCP first, UDP when TCP is refused, and the other way round. */
  transport?: RtspTransport | 'auto';
  /** With 'auto': the transport to try first (what worked last time). */
  preferTransport?: RtspTransport;
  /** UDP client ports (an even/odd pair is taken from it); null or absent: the OS's ephemeral ports. */
  udpPorts?: UdpPortRange;
  /** UDP reorder buffer: packets held (default 32) and longest wait (default 50 ms). */
  reorder?: { capacity?: number; maxDelayMs?: number };
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Playing but no RTP for this long → 'stalled' (default 10 s). */
  stallTimeoutMs?: number;
  /** How long close() waits for the TEARDOWN answer (default 1 s). */
  teardownTimeoutMs?: number;
  /** Default: half the Session timeout the server announced (60 s when none). */
  keepAliveIntervalMs?: number;
  maxRedirects?: number;
  userAgent?: string;
  depacketizer?: MediaReceiverOptions['depacketizer'];
  onAccessUnit?: (au: AccessUnit) => void;
  onParameterSets?: (ps: VideoParameterSets) => void;
  onSenderReport?: (sr: RtcpSenderReport) => void;
  onError?: (err: RtspError) => void;
  onClose?: () => void;
}

export interface RtspSessionInfo {
  /** The URL finally played (after redirects), credentials masked. */
  url: string;
  codec: VideoCodec;
  payloadType: number;
  clockRate: number;
  transport: RtspTransport;
  sessionTimeoutS: number;
  sdp: SdpSession;
  track: VideoTrack;
}

export interface RtspClientStats extends MediaStats {
  /** Bytes of the TCP stream that were neither RTSP nor interleaved frames. */
  garbageBytes: number;
}

const NO_STATS: MediaStats = {
  packets: 0,
  lostPackets: 0,
  latePackets: 0,
  accessUnits: 0,
  damagedAccessUnits: 0,
  truncatedSlices: 0,
  droppedAccessUnits: 0,
  droppedKeyframes: 0,
  skippedAccessUnits: 0,
  badPackets: 0,
  reorderedPackets: 0,
  rtcpCumulativeLost: 0,
  jitterMs: 0,
};

type State = 'idle' | 'starting' | 'playing' | 'closing' | 'closed';

export class RtspClient {
  private state: State = 'idle';
  private conn: RtspConnection | null = null;
  private udp: UdpPair | null = null;
  private media: MediaReceiver | null = null;
  private rtpChannel = -1;
  private rtcpChannel = -1;
  private serverAddress = '';
  private serverRtcpPort = 0;
  private sessionUrl = '';
  private keepAliveMethod = 'OPTIONS';
  private stallTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private startPromise: Promise<RtspSessionInfo> | null = null;
  private rejectStart: ((err: RtspError) => void) | null = null;
  private closePromise: Promise<void> | null = null;
  private setupInFlight: RtspTransport | null = null;
  private refused: RtspTransport | null = null;

  constructor(private readonly opts: RtspClientOptions) {}

  /** Counters of the current session (zeros before SETUP). */
  get stats(): RtspClientStats {
    const m = this.media?.stats ?? { ...NO_STATS };
    return { ...m, garbageBytes: this.conn?.garbageBytes ?? 0 };
  }

  /**
   * The transport a server refused in a way that ended the attempt (the connection
   * died or timed out during its SETUP, or it was the last one left to try): the next
   * attempt should start with the other. Null when no SETUP was refused.
   */
  get refusedTransport(): RtspTransport | null {
    return this.refused;
  }

  /** Connects and starts playing. Resolves once PLAY is answered; rejects with the RtspError also given to onError. */
  start(): Promise<RtspSessionInfo> {
    if (this.startPromise) return this.startPromise;
    if (this.state !== 'idle') {
      const closed = Promise.reject(new RtspError('ended', 'client already closed'));
      closed.catch(() => {});
      return closed;
    }
    this.state = 'starting';
    this.startPromise = new Promise<RtspSessionInfo>((resolve, reject) => {
      this.rejectStart = reject;
      this.handshake().then(
        (info) => {
          this.rejectStart = null;
          resolve(info);
        },
        (e: unknown) => this.fail(e instanceof RtspError ? e : new RtspError('protocol', String(e), { cause: e })),
      );
    });
    this.startPromise.catch(() => {}); // callers who only use onError must not get an unhandled rejection
    return this.startPromise;
  }

  /** Sends TEARDOWN (best effort, short timeout), then releases everything. Idempotent. */
  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    if (this.state === 'closed') return;
    const teardown = this.conn !== null && this.conn.session !== null && this.state !== 'idle';
    this.state = 'closing';
    this.clearTimers();
    if (teardown && this.conn) {
      await this.conn.request('TEARDOWN', this.sessionUrl, {}, this.opts.teardownTimeoutMs ?? 1000).catch(() => {});
    }
    this.state = 'closed';
    this.release();
    this.rejectStart?.(new RtspError('ended', 'closed by caller'));
    this.opts.onClose?.();
  }

  private fail(err: RtspError): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    if (this.setupInFlight && err.reason !== 'auth_failed') this.refused ??= this.setupInFlight;
    this.state = 'closed';
    this.release();
    this.rejectStart?.(err);
    this.rejectStart = null;
    this.opts.onError?.(err);
    this.opts.onClose?.();
  }

  private release(): void {
    this.clearTimers();
    this.conn?.destroy();
    this.media?.close();
    closeUdpPair(this.udp);
    this.udp = null;
  }

  private clearTimers(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.stallTimer = this.keepAliveTimer = null;
  }

  private active(): boolean {
    return this.state === 'starting' || this.state === 'playing';
  }

  /** Throws when close() or a failure ended the session while we were awaiting. */
  private alive(): RtspConnection {
    if (this.state !== 'starting' || !this.conn) throw new RtspError('ended', 'session ended during setup');
    return this.conn;
  }

  private async handshake(): Promise<RtspSessionInfo> {
    let target = parseRtspUrl(this.opts.url);
    let describe: RtspMessage;
    for (let hop = 0; ; hop++) {
      const conn = this.open(target);
      await conn.connect();
      const options = await this.alive().request('OPTIONS', target.requestUrl);
      let location = redirectLocation(options);
      if (location === null) {
        const methods = (options.headers.get('public') ?? '').toUpperCase();
        if (methods.includes('GET_PARAMETER')) this.keepAliveMethod = 'GET_PARAMETER';
        describe = await this.alive().request('DESCRIBE', target.requestUrl, { Accept: 'application/sdp' });
        location = redirectLocation(describe);
        if (location === null) break;
      }
      if (hop >= (this.opts.maxRedirects ?? 3)) throw new RtspError('protocol', 'too many redirects');
      target = followRedirect(target, location);
      conn.destroy();
    }
    expectOk(describe, 'DESCRIBE');
    const sdp = parseSdp(Buffer.from(describe.body).toString('utf8'));
    if (sdp.media.length === 0) throw new RtspError('garbage', 'DESCRIBE answer holds no SDP media');
    const track = findVideoTrack(sdp);
    if (!track) {
      const found = sdp.media.flatMap((m) => [...m.rtpmap.values()].map((r) => `${m.type}/${r.encoding}`));
      throw new RtspError('unsupported_codec', `no H.264/H.265 video track (found: ${found.join(', ') || 'none'})`);
    }
    const base = stripCredentials(
      describe.headers.get('content-base') ?? describe.headers.get('content-location') ?? target.requestUrl,
    );
    const trackUrl = stripCredentials(resolveControlUrl(base, track.control));
    this.sessionUrl = stripCredentials(resolveControlUrl(base, sdp.control));
    const wanted = this.opts.transport ?? 'tcp';
    const order: RtspTransport[] =
      wanted !== 'auto' ? [wanted] : this.opts.preferTransport === 'udp' ? ['udp', 'tcp'] : ['tcp', 'udp'];
    let session: { id: string; timeoutS: number } | null = null;
    for (let i = 0; i < order.length && !session; i++) {
      session = await this.setup(track, trackUrl, order[i] as RtspTransport, i === order.length - 1);
    }
    if (!session) throw new RtspError('protocol', 'SETUP failed'); // unreachable: the last try throws
    const conn = this.alive();
    conn.session = session.id;
    const play = await conn.request('PLAY', this.sessionUrl, { Range: 'npt=0.000-' });
    expectOk(play, 'PLAY');
    this.alive().strictGarbage = false;
    this.state = 'playing';
    this.refused = null;
    const media = this.media as MediaReceiver; // set by setup()
    media.lastMediaAt = Date.now();
    this.armStallWatchdog();
    const keepAliveMs = this.opts.keepAliveIntervalMs ?? Math.max(1000, (session.timeoutS * 1000) / 2);
    this.keepAliveTimer = setInterval(() => this.keepAlive(), keepAliveMs).unref();
    return {
      url: redactUrl(target.requestUrl),
      codec: track.codec,
      payloadType: track.payloadType,
      clockRate: track.clockRate,
      transport: this.rtpChannel >= 0 ? 'tcp' : 'udp',
      sessionTimeoutS: session.timeoutS,
      sdp,
      track,
    };
  }

  /**
   * One SETUP of the video track. Returns null when the server refused this transport
   * and another may be tried (`last` false); throws otherwise. Whatever a refused try
   * bound (the UDP pair, the receiver) is released before the next one.
   */
  private async setup(track: VideoTrack, trackUrl: string, transport: RtspTransport, last: boolean): Promise<{ id: string; timeoutS: number } | null> {
    this.media?.close();
    this.media = new MediaReceiver(track, {
      depacketizer: this.opts.depacketizer,
      // Nothing is delivered once close() was called or the session failed.
      onAccessUnit: (au) => this.active() && this.opts.onAccessUnit?.(au),
      onParameterSets: (ps) => this.active() && this.opts.onParameterSets?.(ps),
      onSenderReport: (sr) => this.active() && this.opts.onSenderReport?.(sr),
      onBye: () => this.state === 'playing' && this.fail(new RtspError('ended', 'server sent RTCP BYE')),
      ...(transport === 'udp' ? { reorder: this.opts.reorder ?? {} } : {}),
    });
    let transportHeader = 'RTP/AVP/TCP;unicast;interleaved=0-1';
    if (transport === 'udp') {
      const family = (this.alive().remoteAddress ?? '').includes(':') ? 'udp6' : 'udp4';
      const range = this.opts.udpPorts ?? null;
      const pair = await bindUdpPair(family, range);
      if (!pair) {
        const where = range ? ` in ${range.min}-${range.max}` : '';
        throw new RtspError('protocol', `could not bind a UDP port pair${where}`);
      }
      if (this.state !== 'starting') {
        closeUdpPair(pair); // closed while binding: release() ran before the pair was ours
        throw new RtspError('ended', 'session ended during setup');
      }
      this.udp = pair;
      this.listenUdp(pair);
      transportHeader = `RTP/AVP;unicast;client_port=${pair.port}-${pair.port + 1}`;
    }
    this.setupInFlight = transport;
    const setup = await this.alive().request('SETUP', trackUrl, { Transport: transportHeader });
    const t = parseTransport(setup.headers.get('transport'));
    const ok = setup.status >= 200 && setup.status < 300;
    // An answer in the other transport than asked is a refusal too (we are not set up for it).
    // No Transport header at all (some cameras): taken as agreement, as before.
    const udpAnswer = !t.has('interleaved') && (t.has('server_port') || t.has('client_port'));
    const mismatch = ok && (transport === 'tcp' ? udpAnswer : t.has('interleaved'));
    const refusal = (!ok && setup.status !== 401 && setup.status !== 403) || mismatch;
    if (refusal && !last) {
      this.setupInFlight = null;
      this.refused = transport;
      closeUdpPair(this.udp);
      this.udp = null;
      return null;
    }
    if (mismatch) throw new RtspError('protocol', `SETUP answered with another transport than ${transport.toUpperCase()}`);
    expectOk(setup, 'SETUP');
    this.setupInFlight = null;
    const session = parseSession(setup.headers.get('session'));
    if (!session) throw new RtspError('protocol', 'SETUP answer has no Session header');
    if (transport === 'tcp') {
      [this.rtpChannel, this.rtcpChannel] = parsePair(t.get('interleaved'), 255) ?? [0, 1];
    } else {
      this.serverAddress = normalizeAddress(t.get('source') || (this.alive().remoteAddress ?? ''));
      this.serverRtcpPort = parsePair(t.get('server_port'), 65535)?.[1] ?? 0;
    }
    return session;
  }

  private open(target: RtspUrl): RtspConnection {
    const auth = target.username === null ? null : new RtspAuth(target.username, target.password ?? '');
    this.conn = new RtspConnection({
      host: target.host,
      port: target.port,
      connectTimeoutMs: this.opts.connectTimeoutMs ?? 5000,
      requestTimeoutMs: this.opts.requestTimeoutMs ?? 5000,
      userAgent: this.opts.userAgent ?? 'Kuzet',
      auth,
      onFrame: (ch, buf, off, len) => this.onFrame(ch, buf, off, len),
      onFailure: (err) => this.fail(err),
    });
    return this.conn;
  }

  private onFrame(channel: number, buf: Uint8Array, offset: number, length: number): void {
    if (channel === this.rtpChannel) this.media?.rtp(buf, offset, length, this.conn?.lastReadAt ?? Date.now());
    else if (channel === this.rtcpChannel) this.media?.rtcp(buf, offset, length);
    else if (this.rtpChannel < 0 && this.state === 'starting' && !this.udp) {
      this.fail(new RtspError('garbage', 'interleaved data before SETUP'));
    }
    // Other channels (audio or a second track the server pushes anyway): ignored.
  }

  private listenUdp(udp: UdpPair): void {
    // Only the server's packets count: anything else on our ports is ignored.
    udp.rtp.on('message', (msg: Buffer, from) => {
      if (normalizeAddress(from.address) === this.serverAddress) this.media?.rtp(msg, 0, msg.length, Date.now());
    });
    udp.rtcp.on('message', (msg: Buffer, from) => {
      if (normalizeAddress(from.address) === this.serverAddress) this.media?.rtcp(msg, 0, msg.length);
    });
    // ICMP errors and the like: the stall watchdog judges the stream, not single errors.
    udp.rtp.on('error', () => {});
    udp.rtcp.on('error', () => {});
  }

  private armStallWatchdog(): void {
    const ms = this.opts.stallTimeoutMs ?? 10_000;
    const last = () => this.media?.lastMediaAt ?? 0;
    const wait = Math.max(10, last() + ms - Date.now());
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      if (this.state !== 'playing') return;
      if (Date.now() - last() >= ms) this.fail(new RtspError('stalled', `no media for ${ms} ms`));
      else this.armStallWatchdog();
    }, wait).unref();
  }

  private keepAlive(): void {
    const conn = this.conn;
    if (this.state !== 'playing' || !conn || !this.media) return;
    const rr = this.media.receiverReport();
    if (this.rtcpChannel >= 0) conn.writeFrame(this.rtcpChannel, rr);
    else if (this.udp && this.serverRtcpPort > 0) this.udp.rtcp.send(rr, this.serverRtcpPort, this.serverAddress);
    conn.request(this.keepAliveMethod, this.sessionUrl).then(
      (res) => {
        if (res.status === 405 || res.status === 501) this.keepAliveMethod = 'OPTIONS';
      },
      () => {}, // an unanswered keep-alive is not fatal: the stall watchdog watches the media
    );
  }
}

function normalizeAddress(a: string): string {
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}
