/**
 * One client connection: reads requests, answers them like an IP camera would, and owns
 * the media sessions set up on it (they end when the connection closes). Any exception in
 * a handler becomes a 500 for that request; a malformed stream closes this connection only.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { CameraRuntime } from '../camera.ts';
import { MediaSession, type Pacer } from '../streamer.ts';
import type { StreamName } from '../types.ts';
import type { Authenticator } from './auth.ts';
import { RtspRequestReader, formatResponse, parseTarget, type RtspRequest } from './message.ts';
import { buildSdp, parseTransport } from './sdp.ts';

export interface ServerContext {
  cameras: Map<string, CameraRuntime>;
  sessions: Map<string, MediaSession>;
  pacer: Pacer;
  auth: Authenticator;
  udpPorts: [number, number];
  sessionTimeoutMs: number;
  now(): number;
  log(line: string): void;
  addSession(s: MediaSession): void;
  removeSession(s: MediaSession, reason: string): void;
}

const PUBLIC = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';
type Headers = Array<[string, string | number]>;

export class RtspConnection {
  private readonly reader = new RtspRequestReader();
  readonly sessions = new Set<MediaSession>();

  constructor(
    readonly socket: Socket,
    private readonly ctx: ServerContext,
  ) {
    socket.setNoDelay(true);
    // Like a camera, drop connections that hold no session and say nothing for a while.
    socket.setTimeout(ctx.sessionTimeoutMs, () => {
      if (this.sessions.size === 0) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy()); // resets from clients are normal; 'close' cleans up
    socket.on('close', () => {
      for (const s of this.sessions) ctx.removeSession(s, 'connection closed');
      this.sessions.clear();
    });
  }

  private onData(chunk: Buffer): void {
    for (const item of this.reader.push(chunk)) {
      if (item.kind === 'error') {
        this.ctx.log(`sim: rtsp client ${this.socket.remoteAddress}: ${item.reason}, closing`);
        this.socket.end(formatResponse(400, [['CSeq', 0]]));
        return;
      }
      if (item.kind === 'interleaved') {
        // RTCP receiver reports over TCP count as keep-alive
        for (const s of this.sessions)
          if (s.transport.kind === 'tcp' && s.transport.channels[1] === item.channel) s.lastSeenMono = this.ctx.now();
        continue;
      }
      if (this.socket.destroyed) return;
      try {
        this.handle(item.request);
      } catch (err) {
        this.ctx.log(`sim: rtsp ${item.request.method} failed: ${(err as Error).message}`);
        this.reply(item.request, 500, []);
      }
    }
  }

  private reply(req: RtspRequest, status: number, headers: Headers, body?: string): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const cseq = req.headers.get('cseq') ?? '0';
    const all: Headers = [['CSeq', cseq], ['Server', 'KuzetSim/0.1'], ['Date', new Date().toUTCString()], ...headers];
    this.socket.write(formatResponse(status, all, body));
  }

  private sessionOf(req: RtspRequest): MediaSession | undefined {
    const id = (req.headers.get('session') ?? '').split(';')[0]?.trim();
    const s = id ? this.ctx.sessions.get(id) : undefined;
    return s && this.sessions.has(s) ? s : undefined;
  }

  private handle(req: RtspRequest): void {
    if (req.version !== 'RTSP/1.0') return this.reply(req, 505, []);
    const session = this.sessionOf(req);
    if (session) session.lastSeenMono = this.ctx.now();
    const target = req.uri === '*' ? undefined : parseTarget(req.uri);
    const camera = target ? this.ctx.cameras.get(target.cameraId) : undefined;
    // An offline camera does not answer: the connection is dropped without a response.
    if (camera?.fault.kind === 'offline') {
      this.socket.destroy();
      return;
    }
    if (req.method === 'OPTIONS') return this.reply(req, 200, [['Public', PUBLIC]]);
    if (!target || !camera || (target.stream !== 'main' && target.stream !== 'sub')) {
      return this.reply(req, 404, []);
    }
    const auth = camera.auth;
    if (auth && !(session && session.camera === camera)) {
      const result = this.ctx.auth.check(req.method, req.headers.get('authorization'), auth);
      if (result !== 'ok') {
        return this.reply(req, 401, [['WWW-Authenticate', this.ctx.auth.challenge(auth.kind, result === 'stale')]]);
      }
    }
    const stream = target.stream as StreamName;
    switch (req.method) {
      case 'DESCRIBE':
        return this.describe(req, camera, stream, target.origin);
      case 'SETUP':
        return this.setup(req, camera, stream, session);
      case 'PLAY':
        return this.play(req, session, target.origin);
      case 'PAUSE':
        if (!session) return this.reply(req, 454, []);
        this.ctx.pacer.pause(session);
        return this.reply(req, 200, [['Session', session.id]]);
      case 'TEARDOWN':
        if (!session) return this.reply(req, 454, []);
        this.sessions.delete(session);
        this.ctx.removeSession(session, 'teardown');
        return this.reply(req, 200, [['Session', session.id]]);
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        return this.reply(req, 200, session ? [['Session', session.id]] : []);
      default:
        return this.reply(req, 501, [['Public', PUBLIC]]);
    }
  }

  private describe(req: RtspRequest, camera: CameraRuntime, stream: StreamName, origin: string | undefined): void {
    const s = camera.streams[stream];
    const sdp = buildSdp({
      clip: s.clip,
      sessionId: String(Date.now()),
      title: `Kuzet simulated camera ${camera.id} (${stream})`,
      info: camera.config.scene,
      kbps: s.kbps,
    });
    const base = `${origin ?? `rtsp://${this.socket.localAddress}:${this.socket.localPort}`}/cam/${camera.id}/${stream}/`;
    this.reply(
      req,
      200,
      [
        ['Content-Base', base],
        ['Content-Type', 'application/sdp'],
      ],
      sdp,
    );
  }

  private setup(req: RtspRequest, camera: CameraRuntime, stream: StreamName, existing: MediaSession | undefined): void {
    if (existing) {
      // One track per stream: a second SETUP in the same session is an aggregate we don't offer.
      return this.reply(req, 459, [['Session', existing.id]]);
    }
    const spec = parseTransport(req.headers.get('transport'));
    if (!spec) return this.reply(req, 461, []);
    const id = randomBytes(8).toString('hex').toUpperCase();
    const address = (this.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const transport =
      spec.kind === 'tcp'
        ? { kind: 'tcp' as const, channels: spec.channels }
        : { kind: 'udp' as const, address, ports: spec.clientPorts };
    const s = new MediaSession(id, camera, camera.streams[stream], transport, this.socket, this.ctx.now());
    this.sessions.add(s);
    this.ctx.addSession(s);
    const ssrc = s.ssrc.toString(16).toUpperCase().padStart(8, '0');
    const t =
      spec.kind === 'tcp'
        ? `RTP/AVP/TCP;unicast;interleaved=${spec.channels[0]}-${spec.channels[1]};ssrc=${ssrc}`
        : `RTP/AVP;unicast;client_port=${spec.clientPorts[0]}-${spec.clientPorts[1]};server_port=${this.ctx.udpPorts[0]}-${this.ctx.udpPorts[1]};ssrc=${ssrc}`;
    this.reply(req, 200, [
      ['Transport', t],
      ['Session', `${id};timeout=${Math.round(this.ctx.sessionTimeoutMs / 1000)}`],
    ]);
  }

  private play(req: RtspRequest, session: MediaSession | undefined, origin: string | undefined): void {
    if (!session) return this.reply(req, 454, []);
    const first = session.playing ? session.next : this.ctx.pacer.play(session);
    const base = `${origin ?? `rtsp://${this.socket.localAddress}:${this.socket.localPort}`}/cam/${session.camera.id}/${session.stream.name}/trackID=0`;
    this.reply(req, 200, [
      ['Session', session.id],
      ['Range', 'npt=now-'],
      ['RTP-Info', `url=${base};seq=${session.seq};rtptime=${session.rtpTime(first)}`],
    ]);
  }
}
