import type { StatusReason, StreamKind, StreamState } from '@kuzet/contracts';
import { findParameterSets, RtspClient, type AccessUnit, type RtspError, type VideoParameterSets } from '@kuzet/media';
import type { AccessUnitConsumer } from './au-consumer.ts';
import { LiveFeed, type Subscriber } from './live-feed.ts';
import type { StatusUpdate } from './media.protocol.ts';

export type { Subscriber } from './live-feed.ts';

export interface SessionTimings {
  backoffStartMs: number;
  backoffMaxMs: number;
  stallMs: number;
  /** Playing, frames arrive, but no keyframe for this long → no_keyframe. */
  keyframeMs: number;
  connectMs: number;
}

export const defaultTimings: SessionTimings = { backoffStartMs: 1000, backoffMaxMs: 30_000, stallMs: 10_000, keyframeMs: 10_000, connectMs: 10_000 };

/**
 * One upstream RTSP session for one camera stream, shared by every consumer:
 * reconnects with capped exponential backoff and hands each access unit to its
 * in-worker consumers (au-consumer.ts): the live feed (GOP cache, fMP4 only while
 * watched) always, others (the recorder) through addConsumer.
 */
export class StreamSession {
  private client: RtspClient | null = null;
  private params: VideoParameterSets | null = null;
  private readonly live = new LiveFeed();
  private consumers: AccessUnitConsumer[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private keyframeTimer: NodeJS.Timeout | null = null;
  private backoff: number;
  private stopped = false;
  private generation = 0;
  private onlineSince = 0;
  status: StatusUpdate;
  // Counters for fps/bitrate over the last window, and totals for the benchmark.
  private winFrames = 0;
  private winBytes = 0;
  private winStart = Date.now();
  frames = 0;
  bytes = 0;

  constructor(
    readonly cameraId: string,
    readonly stream: StreamKind,
    private url: string,
    private readonly onStatus: () => void,
    private readonly log: (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void,
    private readonly t: SessionTimings = defaultTimings,
  ) {
    this.backoff = t.backoffStartMs;
    this.status = { cameraId, stream, state: 'connecting', reason: null, codec: null, width: null, height: null, fps: null, bitrateKbps: null, lastFrameAt: null, since: Date.now() };
  }

  get gopCacheBytes(): number {
    return this.live.gopCacheBytes;
  }

  get subscriberCount(): number {
    return this.live.subscriberCount;
  }

  /** fMP4 fragments muxed for viewers (none while nobody watches), and their bytes. */
  get fragments(): number {
    return this.live.fragments;
  }

  get fragmentBytes(): number {
    return this.live.fragmentBytes;
  }

  /** Another in-worker consumer of the access units (the recorder); it gets the current parameter sets at once. */
  addConsumer(c: AccessUnitConsumer): void {
    this.consumers = [...this.consumers, c];
    if (this.params) c.onParams(this.params);
  }

  removeConsumer(c: AccessUnitConsumer): void {
    this.consumers = this.consumers.filter((x) => x !== c);
  }

  start(): void {
    this.connect();
  }

  /** A new address (or credentials): reconnect at once. */
  setUrl(url: string): void {
    if (url === this.url) return;
    this.url = url;
    this.backoff = this.t.backoffStartMs;
    void this.teardown().then(() => this.connect());
  }

  /** A viewer: the init segment, the cached GOP from its keyframe, then live fragments. */
  subscribe(sub: Subscriber): void {
    this.live.subscribe(sub);
  }

  unsubscribe(id: number): boolean {
    return this.live.unsubscribe(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live.clearSubscribers();
    await this.teardown();
  }

  /** Recomputes fps and bitrate over the window since the last call. */
  sample(now: number): void {
    const secs = (now - this.winStart) / 1000;
    if (secs <= 0) return;
    if (this.status.state === 'online' || this.status.state === 'degraded') {
      this.status.fps = Math.round((this.winFrames / secs) * 10) / 10;
      this.status.bitrateKbps = Math.round((this.winBytes * 8) / secs / 1000);
    } else {
      this.status.fps = null;
      this.status.bitrateKbps = null;
    }
    this.winFrames = 0;
    this.winBytes = 0;
    this.winStart = now;
  }

  private connect(): void {
    if (this.stopped) return;
    const gen = ++this.generation;
    this.setState('connecting', this.status.reason);
    const client = new RtspClient({
      url: this.url,
      transport: 'tcp',
      connectTimeoutMs: this.t.connectMs,
      requestTimeoutMs: this.t.connectMs,
      stallTimeoutMs: this.t.stallMs,
      onParameterSets: (ps) => gen === this.generation && this.onParams(ps),
      onAccessUnit: (au) => gen === this.generation && this.onAccessUnit(au),
      onError: (err) => gen === this.generation && this.onError(err),
    });
    this.client = client;
    client.start().then(
      (info) => {
        if (gen !== this.generation) return;
        this.status.codec = info.codec;
        this.armKeyframeWatch();
      },
      () => undefined, // reported through onError
    );
  }

  private onParams(ps: VideoParameterSets): void {
    if (this.params && same(this.params, ps)) return;
    this.params = ps;
    try {
      this.live.onParams(ps); // builds the init segment: throws when the parameter sets are unusable
      this.status.width = this.live.info?.width ?? null;
      this.status.height = this.live.info?.height ?? null;
    } catch (err) {
      this.log('warn', 'unusable parameter sets', { cameraId: this.cameraId, stream: this.stream, error: String(err) });
      this.fail('unsupported_codec');
      return;
    }
    for (const c of this.consumers) c.onParams(ps);
  }

  private onAccessUnit(au: AccessUnit): void {
    let size = 0;
    for (const nal of au.nalus) size += nal.byteLength;
    this.frames++;
    this.bytes += size;
    this.winFrames++;
    this.winBytes += size;
    this.status.lastFrameAt = au.receivedAt;
    if (au.keyframe) {
      // In-band parameter sets may change resolution mid-stream.
      const ps = findParameterSets(au.codec, au.nalus);
      if (ps.sps && ps.pps && (au.codec === 'h264' || ps.vps)) this.onParams({ codec: au.codec, sps: copy(ps.sps), pps: copy(ps.pps), ...(ps.vps ? { vps: copy(ps.vps) } : {}) });
      this.armKeyframeWatch();
      if (this.status.state !== 'online') {
        this.onlineSince = Date.now();
        this.setState('online', null);
      }
    }
    // The arrival time stands in for a clock read per frame.
    if (this.onlineSince && au.receivedAt - this.onlineSince > 30_000) this.backoff = this.t.backoffStartMs;
    if (!this.params) return;
    this.live.onAccessUnit(au);
    for (const c of this.consumers) c.onAccessUnit(au);
  }

  private armKeyframeWatch(): void {
    if (this.keyframeTimer) clearTimeout(this.keyframeTimer);
    this.keyframeTimer = setTimeout(() => {
      if (this.status.state === 'online' || this.status.state === 'connecting') this.fail('no_keyframe');
    }, this.t.keyframeMs);
    this.keyframeTimer.unref();
  }

  private onError(err: RtspError): void {
    // One line per change of reason, not one per retry of a camera that stays down.
    if (this.status.reason !== err.reason) this.log('warn', 'camera stream failed', { cameraId: this.cameraId, stream: this.stream, reason: err.reason, error: err.message });
    this.fail(err.reason);
  }

  private fail(reason: StatusReason): void {
    if (this.stopped) return;
    this.generation++;
    void this.teardown();
    this.onlineSince = 0;
    this.setState('offline', reason);
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.t.backoffMaxMs);
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.retryTimer.unref();
  }

  private async teardown(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.keyframeTimer) clearTimeout(this.keyframeTimer);
    this.retryTimer = this.keyframeTimer = null;
    const c = this.client;
    this.client = null;
    this.params = null;
    this.live.onReset();
    for (const x of this.consumers) x.onReset();
    if (c) await c.close();
  }

  private setState(state: StreamState, reason: StatusReason | null): void {
    if (this.status.state === state && this.status.reason === reason) return;
    this.status = { ...this.status, state, reason, since: Date.now() };
    this.onStatus();
  }
}

function copy(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

function same(a: VideoParameterSets, b: VideoParameterSets): boolean {
  const eq = (x?: Uint8Array, y?: Uint8Array) => (!x && !y) || (!!x && !!y && Buffer.compare(x, y) === 0);
  return a.codec === b.codec && eq(a.sps, b.sps) && eq(a.pps, b.pps) && eq(a.vps, b.vps);
}
