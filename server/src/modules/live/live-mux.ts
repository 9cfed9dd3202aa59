import { LIVE_MAX_CHANNELS, LIVE_WALL_HEADER_BYTES, LiveClientMessage, liveCloseCodes, type LiveChannelMessage, type StreamKind } from '@kuzet/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { DomainError } from '../../platform/errors.ts';
import { OPEN, type LiveHub, type LiveSink, type LiveSocket } from './live-hub.ts';

/** The wall's socket: the `ws` socket also delivers the page's messages. */
export interface WallSocket extends LiveSocket {
  on(event: 'close', listener: () => void): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): void;
}

export interface WallDeps {
  hub: LiveHub;
  /**
   * For each camera, in order: null when this viewer may see it, else why not (a
   * DomainError: unknown, out of scope, no grant). Rejects when it could not tell.
   */
  authorize(cameraIds: readonly string[]): Promise<(DomainError | null)[]>;
  /** Writes the audit entries of views about to start, one per camera; video flows only once this resolved. */
  audit(views: readonly { cameraId: string; stream: StreamKind }[]): Promise<void>;
  log: FastifyBaseLogger;
}

/** A channel past this many bytes not yet handed to the kernel drops to its next keyframe. */
const CHANNEL_HIGH = 3 * 1024 * 1024;
const CHANNEL_LOW = 512 * 1024;
/** The whole socket past this: channels holding more than their fair share drop first. */
const SOCKET_HIGH = 8 * 1024 * 1024;

export interface Pressure {
  /** This channel's bytes sent but not yet written out. */
  queued: number;
  /** The socket's bufferedAmount (all channels). */
  socketBuffered: number;
  /** Channels streaming on the socket. */
  channels: number;
}

/**
 * Per-channel backpressure on a shared socket: a channel that has backed up on its own
 * skips; when the socket as a whole backs up, only the channels above their fair share
 * skip (a 1080p main stream behind a slow link does not stall sixteen small tiles).
 */
export function channelCongested(p: Pressure): boolean {
  if (p.queued > CHANNEL_HIGH) return true;
  return p.socketBuffered > SOCKET_HIGH && p.queued >= p.socketBuffered / Math.max(1, p.channels);
}

/** A skipping channel starts again (at a keyframe) once it and the socket have drained. */
export function channelDrained(p: Pressure): boolean {
  return p.queued <= CHANNEL_LOW && p.socketBuffered <= SOCKET_HIGH;
}

export function wallFrame(kind: number, keyframe: boolean, channel: number, receivedAt: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(LIVE_WALL_HEADER_BYTES + data.byteLength);
  const view = new DataView(out.buffer);
  out[0] = kind;
  out[1] = keyframe ? 1 : 0;
  view.setUint16(2, channel);
  view.setFloat64(4, receivedAt);
  out.set(data, LIVE_WALL_HEADER_BYTES);
  return out;
}

/** Which refusal code a failed authorization reads as on the page. */
export function refusalCode(err: unknown): number {
  if (!(err instanceof DomainError)) return liveCloseCodes.unavailable;
  if (err.code.endsWith('_NOT_FOUND')) return liveCloseCodes.notFound;
  // A locked screen reads as signed out: the tile starts again once it is unlocked.
  if (err.status === 401 || err.code === 'SESSION_LOCKED') return liveCloseCodes.unauthenticated;
  if (err.status === 403) return liveCloseCodes.forbidden;
  return liveCloseCodes.badRequest;
}

interface Channel {
  id: number;
  cameraId: string;
  stream: StreamKind;
  start: 'cache' | 'keyframe';
  queued: number;
  detach: (() => void) | null;
  gone: boolean;
}

/**
 * Serves one wall page over one WebSocket: the page subscribes channels to camera
 * streams; each subscription is authorized and audited on its own before its first
 * byte of video, refused on its own (the other channels go on), and fed by the hub
 * with its own backpressure. Subscriptions that arrive together are audited together.
 */
export function serveWall(socket: WallSocket, deps: WallDeps): void {
  const channels = new Map<number, Channel>();
  let streaming = 0;
  let batch: Channel[] = [];

  const send = (m: LiveChannelMessage) => socket.readyState === OPEN && socket.send(JSON.stringify(m));
  const refuse = (ch: Channel, code: number) => {
    if (ch.gone) return;
    ch.gone = true;
    channels.delete(ch.id);
    send({ type: 'refused', channel: ch.id, code });
  };

  const sinkOf = (ch: Channel): LiveSink => {
    const pressure = () => ({ queued: ch.queued, socketBuffered: socket.bufferedAmount, channels: streaming });
    return {
      get open() {
        return !ch.gone && socket.readyState === OPEN;
      },
      text: (m) => send({ ...m, channel: ch.id }),
      media: (kind, keyframe, receivedAt, data) => {
        const frame = wallFrame(kind, keyframe, ch.id, receivedAt, data);
        ch.queued += frame.byteLength;
        socket.send(frame, () => {
          ch.queued -= frame.byteLength;
        });
      },
      congested: () => channelCongested(pressure()),
      drained: () => channelDrained(pressure()),
      close: (code, reason) => socket.close(code, reason),
    };
  };

  const startBatch = async (views: Channel[]) => {
    const t0 = performance.now();
    const allowed: Channel[] = [];
    try {
      const verdicts = await deps.authorize(views.map((ch) => ch.cameraId));
      views.forEach((ch, i) => {
        const why = verdicts[i];
        if (why === null) allowed.push(ch);
        else refuse(ch, refusalCode(why));
      });
    } catch (err) {
      deps.log.warn({ err }, 'live view: authorization failed');
      for (const ch of views) refuse(ch, refusalCode(err));
      return;
    }
    const live = allowed.filter((ch) => !ch.gone);
    if (!live.length) return;
    const t1 = performance.now();
    try {
      await deps.audit(live.map((ch) => ({ cameraId: ch.cameraId, stream: ch.stream })));
    } catch (err) {
      // No record, no video: the page is told and tries again later.
      deps.log.error({ err }, 'live view: the audit entry could not be written; view refused');
      for (const ch of live) refuse(ch, liveCloseCodes.unavailable);
      return;
    }
    // Where a wall's first picture goes on the server (the bench's "first media bytes" includes this).
    deps.log.debug({ views: live.length, authorizeMs: Math.round(t1 - t0), auditMs: Math.round(performance.now() - t1) }, 'live views start');
    for (const ch of live) {
      if (ch.gone || socket.readyState !== OPEN) continue;
      streaming++;
      const detach = deps.hub.attach(sinkOf(ch), ch.cameraId, ch.stream, ch.start);
      ch.detach = () => {
        streaming--;
        detach();
      };
    }
  };

  const end = (ch: Channel) => {
    ch.gone = true;
    channels.delete(ch.id);
    ch.detach?.();
    ch.detach = null;
  };

  socket.on('message', (data: unknown, isBinary: boolean) => {
    const parsed = isBinary ? null : parse(data);
    if (!parsed) {
      socket.close(liveCloseCodes.badRequest, 'unreadable message');
      return;
    }
    if (parsed.type === 'unsubscribe') {
      const ch = channels.get(parsed.channel);
      if (ch) end(ch);
      return;
    }
    const ch: Channel = { id: parsed.channel, cameraId: parsed.cameraId, stream: parsed.stream, start: parsed.start, queued: 0, detach: null, gone: false };
    if (channels.has(ch.id) || channels.size >= LIVE_MAX_CHANNELS) {
      send({ type: 'refused', channel: ch.id, code: liveCloseCodes.badRequest });
      return;
    }
    channels.set(ch.id, ch);
    batch.push(ch);
    // A page opening a wall sends all its subscriptions at once: check and audit them together.
    if (batch.length === 1) {
      setImmediate(() => {
        const views = batch;
        batch = [];
        startBatch(views).catch((err: unknown) => deps.log.error({ err }, 'live view: subscription failed'));
      });
    }
  });
  socket.on('close', () => {
    for (const ch of [...channels.values()]) end(ch);
  });
}

type Parsed = ReturnType<typeof LiveClientMessage.parse>;

function parse(data: unknown): Parsed | null {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : null;
  if (text === null) return null;
  try {
    const r = LiveClientMessage.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
