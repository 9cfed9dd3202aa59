/**
 * The RTSP server: a TCP listener for RTSP (media interleaved on the same connection when
 * the client asks for TCP), one shared UDP port pair for RTP/RTCP over UDP, the session
 * registry that tests count, session timeouts and fault application.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { CameraRuntime } from './camera.ts';
import { Authenticator } from './rtsp/auth.ts';
import { RtspConnection, type ServerContext } from './rtsp/connection.ts';
import { Pacer, type MediaSession } from './streamer.ts';
import type { Fault, StreamName } from './types.ts';

export interface RtspServerOptions {
  host: string;
  port: number;
  /** UDP sessions with no RTSP request or RTCP report for this long are dropped (default 60 s) */
  sessionTimeoutMs?: number;
  log: (line: string) => void;
}

export class RtspServer {
  private readonly server: Server;
  private readonly connections = new Set<RtspConnection>();
  private readonly sessions = new Map<string, MediaSession>();
  /** `address:rtcpPort` of UDP viewers → session, to credit their receiver reports as keep-alive */
  private readonly udpViewers = new Map<string, MediaSession>();
  private udp: { rtp: UdpSocket; rtcp: UdpSocket } | undefined;
  private pacer: Pacer | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly auth = new Authenticator();
  private readonly timeoutMs: number;
  port = 0;
  udpPorts: [number, number] = [0, 0];

  constructor(
    private readonly cameras: Map<string, CameraRuntime>,
    private readonly opts: RtspServerOptions,
  ) {
    this.timeoutMs = opts.sessionTimeoutMs ?? 60_000;
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => opts.log(`sim: rtsp server error: ${err.message}`));
  }

  async start(): Promise<void> {
    this.udp = await bindUdpPair(this.opts.host);
    this.udpPorts = [this.udp.rtp.address().port, this.udp.rtcp.address().port];
    for (const sock of [this.udp.rtp, this.udp.rtcp])
      sock.on('error', (err) => this.opts.log(`sim: udp error: ${err.message}`));
    this.udp.rtcp.on('message', (_msg, rinfo) => {
      const s = this.udpViewers.get(`${rinfo.address}:${rinfo.port}`);
      if (s) s.lastSeenMono = performance.now();
    });
    this.pacer = new Pacer(this.udp, (s) => this.removeSession(s, 'ended by fault'));
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    this.sweeper = setInterval(() => this.sweep(), Math.min(5000, Math.max(200, this.timeoutMs / 4)));
  }

  private accept(socket: Socket): void {
    if (!this.pacer) {
      socket.destroy();
      return;
    }
    const ctx: ServerContext = {
      cameras: this.cameras,
      sessions: this.sessions,
      pacer: this.pacer,
      auth: this.auth,
      udpPorts: this.udpPorts,
      sessionTimeoutMs: this.timeoutMs,
      now: () => performance.now(),
      log: this.opts.log,
      addSession: (s) => this.addSession(s),
      removeSession: (s, reason) => this.removeSession(s, reason),
    };
    const conn = new RtspConnection(socket, ctx);
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
  }

  private addSession(s: MediaSession): void {
    this.sessions.set(s.id, s);
    s.stream.sessions.add(s);
    if (s.transport.kind === 'udp') this.udpViewers.set(`${s.transport.address}:${s.transport.ports[1]}`, s);
  }

  private removeSession(s: MediaSession, _reason: string): void {
    s.closed = true;
    this.pacer?.pause(s);
    this.sessions.delete(s.id);
    s.stream.sessions.delete(s);
    if (s.transport.kind === 'udp') {
      const key = `${s.transport.address}:${s.transport.ports[1]}`;
      if (this.udpViewers.get(key) === s) this.udpViewers.delete(key);
    }
  }

  /** Drops UDP sessions whose client stopped sending keep-alives (TCP sessions live with their connection). */
  private sweep(): void {
    const now = performance.now();
    for (const s of [...this.sessions.values()]) {
      if (s.transport.kind === 'udp' && now - s.lastSeenMono > this.timeoutMs) this.removeSession(s, 'timeout');
    }
  }

  sessionCount(cameraId: string, stream?: StreamName): number {
    return this.cameras.get(cameraId)?.sessionCount(stream) ?? 0;
  }

  /** Applies a fault; its immediate effects (dropping sessions) happen here, the rest in the pacer and connection. */
  setFault(camera: CameraRuntime, fault: Fault): void {
    camera.setFault(fault);
    const live = [...camera.streams.main.sessions, ...camera.streams.sub.sessions];
    if (fault.kind === 'offline' || fault.kind === 'wrong_password') {
      for (const s of live) s.control.destroy();
    } else if (fault.kind === 'end') {
      for (const s of live) this.pacer?.endMidFrame(s);
    }
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.pacer?.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.connections) c.socket.destroy();
    await closed;
    if (this.udp) {
      const { rtp, rtcp } = this.udp;
      await Promise.all([rtp, rtcp].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      this.udp = undefined;
    }
  }
}

/** Binds RTP on an even port and RTCP on the next one, as RFC 3550 suggests; falls back to any pair. */
async function bindUdpPair(host: string): Promise<{ rtp: UdpSocket; rtcp: UdpSocket }> {
  const bind = (port: number): Promise<UdpSocket> =>
    new Promise((resolve, reject) => {
      const s = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
      s.once('error', (err) => {
        s.close();
        reject(err);
      });
      s.bind(port, host, () => {
        s.removeAllListeners('error');
        resolve(s);
      });
    });
  const close = (s: UdpSocket): Promise<void> => new Promise((resolve) => s.close(() => resolve()));
  for (let attempt = 0; attempt < 20; attempt++) {
    const rtp = await bind(0);
    const port = rtp.address().port;
    if (port % 2 !== 0 && attempt < 19) {
      await close(rtp);
      continue;
    }
    try {
      return { rtp, rtcp: await bind(port + 1) };
    } catch {
      await close(rtp);
    }
  }
  const rtp = await bind(0);
  return { rtp, rtcp: await bind(0) };
}
