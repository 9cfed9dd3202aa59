import { LIVE_FRAME_INIT, LIVE_FRAME_MEDIA, LIVE_HEADER_BYTES, type LiveMessage, type StreamKind, type StreamStatus } from '@kuzet/contracts';
import type { Logger } from 'pino';
import type { MediaConsumer, MediaService } from '../media/media.service.ts';
import { H265Transcoder } from './transcoder.ts';

/** What the hub needs of a WebSocket (the `ws` socket satisfies it). */
export interface LiveSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string | Uint8Array, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  on(event: 'close', listener: () => void): void;
}

/**
 * One viewer of one stream, as the hub sees it: a whole WebSocket (the single-camera
 * endpoint) or one channel of the wall's socket (live-mux.ts).
 */
export interface LiveSink {
  readonly open: boolean;
  text(message: LiveMessage): void;
  media(kind: number, keyframe: boolean, receivedAt: number, data: Uint8Array): void;
  /** Backed up: drop this frame and wait for a keyframe. */
  congested(): boolean;
  /** Drained enough to start again at a keyframe. */
  drained(): boolean;
  close(code: number, reason: string): void;
}

export const OPEN = 1;
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 512 * 1024;

/** A whole WebSocket as one viewer (`GET /api/v1/cameras/:cameraId/live`). */
export function socketSink(socket: LiveSocket): LiveSink {
  return {
    get open() {
      return socket.readyState === OPEN;
    },
    text: (m) => socket.send(JSON.stringify(m)),
    media: (kind, keyframe, receivedAt, data) => socket.send(liveFrame(kind, keyframe, receivedAt, data)),
    congested: () => socket.bufferedAmount > HIGH_WATER,
    drained: () => socket.bufferedAmount <= LOW_WATER,
    close: (code, reason) => socket.close(code, reason),
  };
}

export function liveFrame(kind: number, keyframe: boolean, receivedAt: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(LIVE_HEADER_BYTES + data.byteLength);
  out[0] = kind;
  out[1] = keyframe ? 1 : 0;
  new DataView(out.buffer).setFloat64(2, receivedAt);
  out.set(data, LIVE_HEADER_BYTES);
  return out;
}

/**
 * The live hub: one viewer = one sink (a WebSocket, or a channel of the wall's socket) fed from the media engine's shared
 * upstream session (never a session of its own), starting at the GOP cache. A slow
 * viewer skips to the next keyframe instead of growing a queue; an H.265 stream goes
 * through one shared on-demand transcoder.
 */
export class LiveHub {
  private readonly transcoders = new Map<string, H265Transcoder>();
  private readonly viewers = new Set<LiveSink>();
  private stopped = false;

  constructor(
    private readonly media: MediaService | null,
    private readonly log: Logger,
    private readonly transcodeIdleMs = 5000,
  ) {}

  get viewerCount(): number {
    return this.viewers.size;
  }

  get transcoderCount(): number {
    return [...this.transcoders.values()].filter((t) => t.running).length;
  }

  statusOf(cameraId: string, stream: StreamKind): StreamStatus | undefined {
    return this.media?.statusOf(cameraId)?.find((s) => s.stream === stream);
  }

  isH265(cameraId: string, stream: StreamKind): boolean {
    return this.statusOf(cameraId, stream)?.codec === 'h265';
  }

  /** Streams one camera's stream to `sink` until the returned detach is called. */
  attach(sink: LiveSink, cameraId: string, stream: StreamKind, start: 'cache' | 'keyframe' = 'cache'): () => void {
    this.viewers.add(sink);
    let unsubscribe: (() => void) | null = null;
    let subscribedAt = 0;
    let waitForKey = true;
    let lastStatus = '';
    let codecSent = '';
    let detached = false;
    const text = (m: LiveMessage) => sink.open && sink.text(m);
    const consumer: MediaConsumer = {
      // Also called again mid-stream (the worker restarted, the camera reconnected): a new timeline.
      onInit: (codec, data) => {
        if (!sink.open) return;
        const s = this.statusOf(cameraId, stream);
        codecSent = codec;
        text({ type: 'codec', codec, width: s?.width ?? null, height: s?.height ?? null, transcoded: this.isH265(cameraId, stream) });
        sink.media(LIVE_FRAME_INIT, false, Date.now(), data);
        waitForKey = true;
      },
      onFragment: (data, meta) => {
        if (!sink.open || !codecSent) return;
        if (sink.congested()) {
          waitForKey = true; // drop until the viewer has drained and a keyframe comes
          return;
        }
        if (waitForKey && (!meta.keyframe || !sink.drained())) return;
        if (start === 'keyframe' && waitForKey && meta.receivedAt < subscribedAt) return; // skip the cache
        waitForKey = false;
        sink.media(LIVE_FRAME_MEDIA, meta.keyframe, meta.receivedAt, data);
      },
    };
    const trySubscribe = () => {
      if (unsubscribe || !this.media) return;
      const s = this.statusOf(cameraId, stream);
      if (!s || s.state !== 'online') return;
      try {
        subscribedAt = Date.now();
        unsubscribe = s.codec === 'h265' ? this.transcoderFor(cameraId, stream).subscribe(consumer) : this.media.subscribe(cameraId, stream, consumer);
      } catch (err) {
        this.log.debug({ err, cameraId, stream }, 'live subscribe failed; will retry');
      }
    };
    // Status to the tile, and (re)subscription when the camera comes (back) online.
    const tick = () => {
      const s = this.statusOf(cameraId, stream);
      const state = s?.state ?? (this.media ? 'connecting' : 'offline');
      const reason = s?.reason ?? (this.media ? null : 'disabled');
      const key = `${state}/${reason}`;
      if (key !== lastStatus) {
        lastStatus = key;
        text({ type: 'status', state, reason });
      }
      if (state === 'online') trySubscribe();
    };
    tick();
    const timer = setInterval(tick, 500);
    return () => {
      if (detached) return;
      detached = true;
      clearInterval(timer);
      unsubscribe?.();
      this.viewers.delete(sink);
    };
  }

  private transcoderFor(cameraId: string, stream: StreamKind): H265Transcoder {
    const key = `${cameraId}/${stream}`;
    let t = this.transcoders.get(key);
    // After stop() no new ffmpeg: nothing would stop it (a viewer's tick can still come late).
    if (!t && this.stopped) throw new Error('live hub is stopped');
    if (!t) {
      const media = this.media!;
      t = new H265Transcoder({ subscribe: (c) => media.subscribe(cameraId, stream, c) }, this.log.child({ cameraId, stream }), this.transcodeIdleMs, () =>
        this.transcoders.delete(key),
      );
      this.transcoders.set(key, t);
    }
    return t;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const v of this.viewers) v.close(4503, 'server stopping');
    await Promise.all([...this.transcoders.values()].map((t) => t.stop()));
    this.transcoders.clear();
  }
}
