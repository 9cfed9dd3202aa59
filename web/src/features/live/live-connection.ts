import type { LiveClientMessage, LiveMessage, StreamKind } from '@kuzet/contracts';
import { parseChannelMessage, parseWallFrame, type LiveFrame } from './live-frame.ts';
import { liveWallUrl } from './live-url.ts';

export interface LiveSubscription {
  cameraId: string;
  stream: StreamKind;
  start: 'cache' | 'keyframe';
}

export interface ChannelListener {
  message(message: LiveMessage): void;
  frame(frame: LiveFrame): void;
  /**
   * The channel ended without being unsubscribed: refused by the server (its code), or
   * the socket closed (its close code; `opened` false when it never opened).
   */
  closed(code: number, opened: boolean): void;
}

/** What the connection needs of a WebSocket (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  binaryType: BinaryType;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string | ArrayBuffer>) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

const CONNECTING = 0;
const OPEN = 1;
/** The socket stays this long after its last channel (a tile re-mounting, a camera swapped). */
const LINGER_MS = 3000;
const MAX_CHANNEL = 65_535;

interface Entry {
  sub: LiveSubscription;
  listener: ChannelListener;
}

/**
 * The page's one WebSocket for live video: every tile (and the full-screen view) is a
 * channel on it, subscribed and unsubscribed by messages, so a wall of 17 needs one
 * handshake and one session check, not 17. A refusal ends one channel; a lost socket
 * ends all of them, and each player reconnects on its own schedule (the first one
 * opens a new socket, the others join it).
 */
export class LiveConnection {
  private socket: SocketLike | null = null;
  private opened = false;
  private readonly channels = new Map<number, Entry>();
  private nextId = 1;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: string,
    private readonly open: (url: string) => SocketLike = (u) => new WebSocket(u),
    private readonly lingerMs = LINGER_MS,
  ) {}

  get channelCount(): number {
    return this.channels.size;
  }

  /** Streams `sub` to `listener` until the returned function is called. */
  subscribe(sub: LiveSubscription, listener: ChannelListener): () => void {
    clearTimeout(this.lingerTimer);
    const channel = this.allocate();
    this.channels.set(channel, { sub, listener });
    const socket = this.socket ?? this.connect();
    if (socket.readyState === OPEN) this.sendSubscribe(socket, channel, sub);
    return () => {
      if (!this.channels.delete(channel)) return;
      const s = this.socket;
      if (s?.readyState === OPEN) this.send(s, { type: 'unsubscribe', channel });
      if (this.channels.size === 0) {
        clearTimeout(this.lingerTimer);
        this.lingerTimer = setTimeout(() => this.closeIdle(), this.lingerMs);
      }
    };
  }

  private allocate(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id >= MAX_CHANNEL ? 1 : id + 1;
      if (!this.channels.has(id)) return id;
    }
  }

  private connect(): SocketLike {
    const socket = this.open(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.opened = true;
      for (const [channel, { sub }] of this.channels) this.sendSubscribe(socket, channel, sub);
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const listeners = [...this.channels.values()].map((e) => e.listener);
      this.channels.clear();
      for (const l of listeners) l.closed(event.code, this.opened);
    };
    return socket;
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data === 'string') {
      const m = parseChannelMessage(data);
      if (!m) return;
      const entry = this.channels.get(m.channel);
      if (!entry) return; // unsubscribed meanwhile
      if ('refused' in m) {
        this.channels.delete(m.channel);
        entry.listener.closed(m.refused, true);
      } else {
        entry.listener.message(m.message);
      }
      return;
    }
    const frame = parseWallFrame(data);
    if (frame) this.channels.get(frame.channel)?.listener.frame(frame);
  }

  private sendSubscribe(socket: SocketLike, channel: number, sub: LiveSubscription): void {
    this.send(socket, { type: 'subscribe', channel, cameraId: sub.cameraId, stream: sub.stream, start: sub.start });
  }

  private send(socket: SocketLike, message: LiveClientMessage): void {
    socket.send(JSON.stringify(message));
  }

  private closeIdle(): void {
    const socket = this.socket;
    if (!socket || this.channels.size > 0) return;
    this.socket = null;
    socket.onmessage = null;
    socket.onclose = null;
    // Closing a socket that is still connecting makes Chromium log an error: close it once open.
    if (socket.readyState === CONNECTING) socket.onopen = () => socket.close(1000);
    else if (socket.readyState === OPEN) socket.close(1000);
  }
}

let shared: LiveConnection | null = null;

/** The page's connection (one per page, whatever the number of tiles). */
export function liveConnection(): LiveConnection {
  shared ??= new LiveConnection(liveWallUrl(window.location));
  return shared;
}
