import { MAX_PENDING_BYTES } from './append-queue.ts';
import { catchUpDecision, SEEK_LAG } from './catch-up.ts';
import type { LiveMessage } from '@kuzet/contracts';
import { FRESH_MS, recordFirst, recordSample, resetSamples } from './latency-probe.ts';
import type { LiveConnection, LiveSubscription } from './live-connection.ts';
import type { LiveFrame } from './live-frame.ts';
import { MseSink } from './mse-sink.ts';
import { backoffMs, initialModel, playerReducer, wantsSocket, type PlayerEvent, type PlayerModel } from './player-state.ts';

export interface LivePlayerOptions {
  /** The page's live socket, and what this player asks of it. */
  connection: LiveConnection;
  subscription: LiveSubscription;
  /** Where the latency figures go: the tile index, or "full". */
  probeKey: string;
  onChange: (model: PlayerModel) => void;
  /**
   * Asks the server why the socket was refused before it opened (an HTTP error on the
   * upgrade reads as a plain 1006): resolves the close code that stands for it, or null.
   */
  whyRefused?: () => Promise<number | null>;
}

const TICK_MS = 500;
/** No frame shown for this long while playing: stalled. */
const STALL_MS = 2000;
/** No fragment for this long while the server says the camera is online: the socket is dead, reconnect. */
const SILENCE_MS = 15_000;
const TRIM_EVERY_MS = 2000;

type Item = { message: LiveMessage } | { frame: LiveFrame };

/**
 * One live video: a channel of the page's live socket (live-connection.ts), fMP4 fragments into Media Source Extensions (mse-sink.ts),
 * kept at the live edge, reconnecting by itself. The state machine (player-state.ts)
 * decides; this class does the I/O. Every callback checks `generation`, so nothing from
 * an old connection touches a new one.
 */
export class LivePlayer {
  private model: PlayerModel = initialModel;
  private generation = 0;
  /** Unsubscribes the current channel; null while there is none. */
  private channel: (() => void) | null = null;
  private sink: MseSink | null = null;
  private waiting: Item[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private frameHandle: number | null = null;
  private lastFrameAt = 0;
  private lastFragmentAt = 0;
  private lastTrimAt = 0;
  private lastSeekAt: number | null = null;
  private reachedEdge = false;
  private serverOnline = true;
  private firstFrameShown = false;
  private requestedAt = 0;
  private firstFrameRecorded = false;
  private firstFreshRecorded = false;
  private firstByteRecorded = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly options: LivePlayerOptions,
  ) {
    video.muted = true;
    video.playsInline = true;
  }

  get state(): PlayerModel {
    return this.model;
  }

  /** The tile wants video: connect (again). */
  start(): void {
    // The same clock as the presentation times (performance.timeOrigin + now).
    this.requestedAt = performance.timeOrigin + performance.now();
    this.firstFrameRecorded = false;
    this.firstFreshRecorded = false;
    this.firstByteRecorded = false;
    resetSamples(this.options.probeKey);
    recordFirst(this.options.probeKey, { requestedAt: this.requestedAt });
    this.dispatch({ type: 'start' });
    if (wantsSocket(this.model) && !this.channel) this.connect();
  }

  /** Stop pulling video (hidden, off screen, gone) and let the element drop its buffers. */
  stop(): void {
    clearTimeout(this.retryTimer);
    this.teardown();
    if (this.video.hasAttribute('src')) {
      this.video.removeAttribute('src');
      this.video.load();
    }
    this.dispatch({ type: 'stop' });
  }

  private dispatch(event: PlayerEvent): void {
    const next = playerReducer(this.model, event);
    if (next === this.model) return;
    this.model = next;
    this.options.onChange(next);
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    this.teardown();
    if (typeof MediaSource === 'undefined') {
      this.dispatch({ type: 'unsupported', reason: 'no_mse' });
      return;
    }
    const generation = ++this.generation;
    const live = () => generation === this.generation;
    this.sink = new MseSink(this.video, {
      open: () => {
        if (!live()) return;
        const waiting = this.waiting;
        this.waiting = [];
        for (const data of waiting) this.handle(data);
      },
      updated: () => live() && this.catchUp(),
      error: () => live() && this.fail({ type: 'media-error' }),
    });
    this.video.onerror = () => {
      if (live() && this.video.error) this.fail({ type: 'media-error' });
    };

    this.serverOnline = true;
    this.lastFragmentAt = performance.now();
    const take = (item: Item) => {
      if (!live()) return;
      if (this.sink?.isOpen) this.handle(item);
      else this.waiting.push(item);
    };
    this.channel = this.options.connection.subscribe(this.options.subscription, {
      message: (message) => take({ message }),
      frame: (frame) => {
        if (frame.kind === 'media' && !this.firstByteRecorded && live()) {
          this.firstByteRecorded = true;
          recordFirst(this.options.probeKey, { firstByteAt: performance.timeOrigin + performance.now() });
        }
        take({ frame });
      },
      closed: (code, opened) => {
        if (!live()) return;
        this.channel = null;
        const ask = this.options.whyRefused;
        if (opened || code !== 1006 || !ask) {
          this.closed(code);
          return;
        }
        ask().then(
          (why) => live() && this.closed(why ?? code),
          () => live() && this.closed(code),
        );
      },
    });
    this.ticker = setInterval(() => live() && this.tick(), TICK_MS);
    this.watchFrames(generation);
  }

  private closed(code: number): void {
    this.dispatch({ type: 'closed', code });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    if (!wantsSocket(this.model)) {
      this.teardown();
      return;
    }
    this.retryTimer = setTimeout(() => {
      if (wantsSocket(this.model)) this.connect();
    }, backoffMs(this.model.attempt));
  }

  private handle(item: Item): void {
    const sink = this.sink;
    if (!sink) return;
    if ('message' in item) {
      const message = item.message;
      if (message.type === 'status') {
        this.serverOnline = message.state === 'online' || message.state === 'degraded';
        this.dispatch({ type: 'status', state: message.state, reason: message.reason });
      } else {
        const result = sink.useCodec(message.codec);
        if (result === 'unsupported') this.fail({ type: 'unsupported', reason: 'unsupported_codec' });
        else if (result === 'error') this.fail({ type: 'media-error' });
      }
      return;
    }
    const frame = item.frame;
    const bytes = frame.data as Uint8Array<ArrayBuffer>;
    if (frame.kind === 'init') {
      sink.appendInit(bytes);
      return;
    }
    sink.appendMedia(bytes, frame.arrival, frame.keyframe);
    this.lastFragmentAt = performance.now();
    this.dispatch({ type: 'fragment' });
    if (sink.pendingBytes > MAX_PENDING_BYTES) this.fail({ type: 'media-error' });
  }

  private watchFrames(generation: number): void {
    if (typeof this.video.requestVideoFrameCallback !== 'function') {
      this.video.ontimeupdate = () => {
        if (generation === this.generation) this.framePresented(performance.now(), null);
      };
      return;
    }
    const onFrame: VideoFrameRequestCallback = (now, metadata) => {
      if (generation !== this.generation) return;
      this.frameHandle = this.video.requestVideoFrameCallback(onFrame);
      this.framePresented(now, metadata.mediaTime);
    };
    this.frameHandle = this.video.requestVideoFrameCallback(onFrame);
  }

  private framePresented(now: number, mediaTime: number | null): void {
    this.lastFrameAt = performance.now();
    if (!this.channel) return; // what is left in the buffer after the channel ended
    const presented = performance.timeOrigin + now;
    if (!this.firstFrameShown) {
      this.firstFrameShown = true;
      if (!this.firstFrameRecorded) {
        this.firstFrameRecorded = true;
        recordFirst(this.options.probeKey, { firstFrameAt: presented });
      }
    }
    const arrival = mediaTime === null ? null : (this.sink?.arrivals.find(mediaTime) ?? null);
    if (arrival !== null) {
      recordSample(this.options.probeKey, { arrival, presented });
      // The cached keyframe can be a GOP old: the first picture that is really live.
      if (!this.firstFreshRecorded && presented - arrival < FRESH_MS) {
        this.firstFreshRecorded = true;
        recordFirst(this.options.probeKey, { firstFreshAt: presented });
      }
    }
    this.dispatch({ type: 'frame' });
    this.catchUp();
  }

  private tick(): void {
    const now = performance.now();
    this.catchUp();
    if (this.model.state.name === 'playing' && now - this.lastFrameAt > STALL_MS) this.dispatch({ type: 'stall' });
    if (this.channel && this.serverOnline && this.model.state.name !== 'offline' && now - this.lastFragmentAt > SILENCE_MS) {
      this.connect();
      return;
    }
    if (now - this.lastTrimAt > TRIM_EVERY_MS) {
      this.lastTrimAt = now;
      this.sink?.trim(this.video.currentTime);
    }
  }

  private catchUp(): void {
    const video = this.video;
    const sink = this.sink;
    if (!sink?.hasBuffer || video.seeking) return;
    const now = performance.now();
    const decision = catchUpDecision({
      buffered: sink.buffered(),
      currentTime: video.currentTime,
      playbackRate: video.playbackRate,
      firstFrameShown: this.firstFrameShown,
      lastSeekAt: this.lastSeekAt,
      reachedEdge: this.reachedEdge,
      keyframes: sink.keyframes,
      now,
    });
    const last = decision.action === 'seek' ? null : sink.buffered().at(-1);
    if (this.firstFrameShown && last && last.end - video.currentTime <= SEEK_LAG) this.reachedEdge = true;
    if (decision.action === 'seek') {
      video.currentTime = decision.to;
      if (this.firstFrameShown) this.lastSeekAt = now;
    } else if (decision.action === 'rate') {
      video.playbackRate = decision.rate;
    }
    if (video.paused && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
      video.play().catch(() => undefined);
    }
  }

  /** Closes this connection and lets the state machine say what next (reconnect or give up). */
  private fail(event: PlayerEvent): void {
    this.teardown();
    this.dispatch(event);
    this.scheduleReconnect();
  }

  private teardown(): void {
    this.generation++;
    clearInterval(this.ticker);
    this.ticker = undefined;
    const unsubscribe = this.channel;
    this.channel = null;
    unsubscribe?.();
    if (this.frameHandle !== null && typeof this.video.cancelVideoFrameCallback === 'function') {
      this.video.cancelVideoFrameCallback(this.frameHandle);
    }
    this.frameHandle = null;
    this.video.onerror = null;
    this.video.ontimeupdate = null;
    this.sink?.close();
    this.sink = null;
    this.waiting = [];
    this.firstFrameShown = false;
    this.lastSeekAt = null;
    this.reachedEdge = false;
  }
}
