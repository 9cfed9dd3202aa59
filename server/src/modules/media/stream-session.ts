import type { CameraTransport, StatusReason, StreamKind, StreamState } from '@kuzet/contracts';
import { RtspClient, type AccessUnit, type RtspError, type RtspTransport, type UdpPortRange, type VideoParameterSets } from '@kuzet/media';
import type { AccessUnitConsumer } from './au-consumer.ts';
import { LiveFeed, type Subscriber } from './live-feed.ts';
import type { CachedFragment } from './gop-cache.ts';
import { LossMonitor } from './loss-monitor.ts';
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

/** How a session reaches its camera: the camera's transport setting and our UDP ports. */
export interface SessionNet {
  transport: CameraTransport;
  rtpPorts: UdpPortRange;
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
  /** With transport auto: what worked (or was not refused) last, tried first on reconnect. */
  private preferred: RtspTransport | undefined;
  /** Loss over the last 10 s → online / degraded (see loss-monitor.ts for the hysteresis). */
  private readonly loss = new LossMonitor();
  /** What the keyframe watchdog saw when armed: frames delivered, keyframes dropped whole. */
  private keyframeArm = { frames: 0, droppedKeyframes: 0 };
  status: StatusUpdate;
  // Counters for fps/bitrate over the last window, and totals for the benchmark.
  private winFrames = 0;
  private winBytes = 0;
  private winStart = Date.now();
  frames = 0;
  bytes = 0;
  /** Frames passed on marked damaged (a piece was lost; decoders conceal it). */
  damagedFrames = 0;

  constructor(
    readonly cameraId: string,
    readonly stream: StreamKind,
    private url: string,
    private readonly onStatus: () => void,
    private readonly log: (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void,
    private readonly t: SessionTimings = defaultTimings,
    private readonly net: SessionNet = { transport: 'auto', rtpPorts: null },
  ) {
    this.backoff = t.backoffStartMs;
    this.status = { cameraId, stream, state: 'connecting', reason: null, codec: null, width: null, height: null, fps: null, bitrateKbps: null, lastFrameAt: null, since: Date.now(), transport: null, lossPercent: null };
  }

  get gopCacheBytes(): number {
    return this.live.gopCacheBytes;
  }

  /** The GOP cache's entries (length-prefixed samples since the last keyframe): the detector's start when it promotes a camera. */
  cachedGop(): CachedFragment[] {
    return this.live.cachedGop();
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

  /** A new address, credentials or transport setting: reconnect at once. */
  setUrl(url: string, transport: CameraTransport = this.net.transport): void {
    if (url === this.url && transport === this.net.transport) return;
    this.url = url;
    this.net.transport = transport;
    this.preferred = undefined;
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
    this.sampleLoss(now);
  }

  /** Loss over the last 10 s from the receiver's counters; online ⇄ degraded with hysteresis. */
  private sampleLoss(now: number): void {
    const playing = this.status.state === 'online' || this.status.state === 'degraded';
    const stats = this.client?.stats;
    this.loss.update(now, stats?.packets ?? 0, stats?.lostPackets ?? 0, this.client);
    this.status.lossPercent = playing ? this.loss.percent : null;
    const want = this.loss.degraded ? 'degraded' : 'online';
    if (playing && this.status.state !== want) this.setState(want, null);
  }

  private connect(): void {
    if (this.stopped) return;
    const gen = ++this.generation;
    this.status.transport = null;
    this.setState('connecting', this.status.reason);
    const auto = this.net.transport === 'auto';
    const client = new RtspClient({
      url: this.url,
      transport: this.net.transport,
      ...(auto && this.preferred ? { preferTransport: this.preferred } : {}),
      udpPorts: this.net.rtpPorts,
      connectTimeoutMs: this.t.connectMs,
      requestTimeoutMs: this.t.connectMs,
      stallTimeoutMs: this.t.stallMs,
      onParameterSets: (ps) => gen === this.generation && this.onParams(ps),
      onAccessUnit: (au) => gen === this.generation && this.onAccessUnit(au),
      onError: (err) => {
        if (gen !== this.generation) return;
        if (auto) {
          // A refusal that ended the attempt: start the next one with the other transport.
          // UDP that set up but never delivered a packet (a firewall, NAT): try TCP next.
          const refused = client.refusedTransport;
          if (refused) this.preferred = refused === 'tcp' ? 'udp' : 'tcp';
          else if (err.reason === 'stalled' && this.status.transport === 'udp' && client.stats.packets === 0) this.preferred = 'tcp';
        }
        this.status.transport = null;
        this.onError(err);
      },
    });
    this.client = client;
    client.start().then(
      (info) => {
        if (gen !== this.generation) return;
        this.status.codec = info.codec;
        this.status.transport = info.transport;
        if (auto) this.preferred = info.transport; // remembered for this session's life
        this.onStatus();
        this.armKeyframeWatch();
      },
      () => undefined, // reported through onError
    );
  }

  /**
   * The client reports parameter sets only once believed (SDP, or in-band ones that
   * parse and repeat: packages/media/src/rtp/parameter-sets.ts), so one corrupt SPS
   * cannot change the resolution; a real change arrives here at its second keyframe.
   */
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
    if (au.damaged) this.damagedFrames++;
    if (au.keyframe) {
      this.armKeyframeWatch();
      if (this.status.state !== 'online' && this.status.state !== 'degraded') {
        this.onlineSince = Date.now();
        this.setState(this.loss.degraded ? 'degraded' : 'online', null);
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
    this.keyframeArm = { frames: this.frames, droppedKeyframes: this.client?.stats.droppedKeyframes ?? 0 };
    this.keyframeTimer = setTimeout(() => {
      // Keyframes arriving, if too damaged to pass on whole, while damaged frames flow (or
      // while we wait for the first whole one: at 2 % loss a 1080p keyframe of ~110 packets
      // is whole one time in ten): a lossy link, not a camera without keyframes. Keep
      // watching; a stream that delivers nothing is the stall watchdog's.
      const dropped = this.client?.stats.droppedKeyframes ?? 0;
      const flowing = this.frames > this.keyframeArm.frames || this.status.state === 'connecting';
      if (flowing && dropped > this.keyframeArm.droppedKeyframes) return this.armKeyframeWatch();
      const s = this.status.state;
      if (s === 'online' || s === 'degraded' || s === 'connecting') this.fail('no_keyframe');
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
    this.loss.reset();
    this.status.lossPercent = null;
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

function same(a: VideoParameterSets, b: VideoParameterSets): boolean {
  const eq = (x?: Uint8Array, y?: Uint8Array) => (!x && !y) || (!!x && !!y && Buffer.compare(x, y) === 0);
  return a.codec === b.codec && eq(a.sps, b.sps) && eq(a.pps, b.pps) && eq(a.vps, b.vps);
}
