import { Fmp4Muxer, isDroppedNal, sampleSize, splitLengthPrefixed, type AccessUnit, type VideoCodec, type VideoInfo, type VideoParameterSets } from '@kuzet/media';
import type { AccessUnitConsumer } from './au-consumer.ts';
import { GopCache, type CachedFragment } from './gop-cache.ts';

const WATCHED_MAX_BYTES = 32 * 1024 * 1024;

export interface Subscriber {
  id: number;
  init(codec: string, data: Uint8Array): void;
  fragment(data: Uint8Array, keyframe: boolean, pts: number, receivedAt: number): void;
}

/**
 * The live consumer of a stream: keeps the GOP cache and, only while someone watches,
 * muxes one fMP4 fragment per access unit (low latency for the wall).
 *
 * Cost model (performance.md): an unwatched stream costs one copy of its sample data
 * into the GOP cache's arena (gop-cache.ts) — no fMP4, no message, no object kept per
 * frame. A new viewer gets the init segment and the cached GOP muxed on the spot, so it
 * still starts at the last keyframe.
 *
 * One muxer serves every viewer and must see frames in decode order only once: its
 * decode-time estimator (B-frames, fmp4/dts.ts) and its timeline would be thrown off by
 * the cached GOP muxed a second time behind the live edge. So the first viewer gets the
 * cached GOP muxed through it, and while anyone watches, the fragments since the last
 * keyframe are kept (`watched`) for viewers who join later (a watched stream costs its
 * GOP twice in memory; an unwatched one nothing extra).
 */
export class LiveFeed implements AccessUnitConsumer {
  private muxer: Fmp4Muxer | null = null;
  private init: { codec: string; data: Uint8Array } | null = null;
  private codec: VideoCodec = 'h264';
  /** Cached samples: the access units' kept NAL units, length-prefixed (the mdat form). */
  private readonly gop = new GopCache();
  /** A keyframe has come since the parameter sets: fragments may flow. */
  private started = false;
  private readonly subs = new Map<number, Subscriber>();
  /** While someone watches: the fragments muxed since the last keyframe, for viewers who join. */
  private watched: { data: Uint8Array; keyframe: boolean; pts: number; receivedAt: number }[] = [];
  private watchedBytes = 0;
  fragments = 0;
  fragmentBytes = 0;

  get gopCacheBytes(): number {
    return this.gop.bytes;
  }

  /** The cached samples since the last keyframe (views valid until the next access unit). */
  cachedGop(): CachedFragment[] {
    return this.started ? this.gop.snapshot() : [];
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  /** Builds the init segment; throws (Fmp4Error) when the parameter sets are unusable. */
  onParams(ps: VideoParameterSets): void {
    const muxer = new Fmp4Muxer({ mode: 'frame' });
    const data = muxer.init(ps);
    this.muxer = muxer;
    this.codec = ps.codec;
    this.init = { codec: muxer.info?.codecString ?? ps.codec, data };
    this.started = false;
    this.gop.clear();
    this.watched = [];
    for (const s of this.subs.values()) s.init(this.init.codec, data);
  }

  /** Width, height and codec string of the last parameter sets accepted. */
  get info(): VideoInfo | null {
    return this.muxer?.info ?? null;
  }

  onAccessUnit(au: AccessUnit): void {
    if (!this.muxer) return;
    if (!this.started) {
      if (!au.keyframe) return;
      this.started = true;
    }
    this.cache(au);
    if (this.subs.size === 0) return;
    const frag = this.muxer.fragment([au]);
    if (frag.length) this.send(frag, au.keyframe, au.pts, au.receivedAt);
  }

  onReset(): void {
    this.muxer = null;
    this.init = null;
    this.started = false;
    this.gop.clear();
    this.watched = [];
  }

  subscribe(sub: Subscriber): void {
    const first = this.subs.size === 0;
    this.subs.set(sub.id, sub);
    if (!this.init || !this.muxer) return;
    sub.init(this.init.codec, this.init.data);
    if (!first) {
      // The muxer is past these frames: hand out what it made of them.
      for (const f of this.watched) sub.fragment(f.data, f.keyframe, f.pts, f.receivedAt);
      return;
    }
    this.watched = [];
    const cached = this.gop.snapshot();
    const aus: AccessUnit[] = [];
    for (const f of cached) aus.push({ codec: this.codec, nalus: splitLengthPrefixed(f.data) ?? [], pts: f.pts, keyframe: f.keyframe, receivedAt: f.receivedAt });
    for (let i = 0; i < aus.length; i++) {
      const au = aus[i]!;
      // Exact durations where the next frame is known; the newest one takes the last interval.
      const next = aus[i + 1];
      const frag = this.muxer.fragment([au], next ? { nextPts: next.pts } : {});
      if (frag.length) this.send(frag, au.keyframe, au.pts, au.receivedAt);
    }
  }

  unsubscribe(id: number): boolean {
    const gone = this.subs.delete(id);
    if (this.subs.size === 0) this.watched = [];
    return gone;
  }

  clearSubscribers(): void {
    this.subs.clear();
    this.watched = [];
  }

  private send(frag: Uint8Array, keyframe: boolean, pts: number, receivedAt: number): void {
    if (keyframe) {
      this.watched = [];
      this.watchedBytes = 0;
    }
    // Bounded like the GOP cache: past it, a joining viewer waits for the next keyframe.
    this.watchedBytes += frag.byteLength;
    if (this.watchedBytes <= WATCHED_MAX_BYTES) this.watched.push({ data: frag, keyframe, pts, receivedAt });
    else this.watched = [];
    this.fragments++;
    this.fragmentBytes += frag.byteLength;
    for (const s of this.subs.values()) s.fragment(frag, keyframe, pts, receivedAt);
  }

  /** Writes the sample (kept NAL units, length-prefixed: the mdat form) straight into the cache. */
  private cache(au: AccessUnit): void {
    const need = sampleSize(au);
    if (need === 0) return;
    let o = this.gop.reserve(need, au.keyframe, au.pts, au.receivedAt);
    if (o < 0) return;
    const a = this.gop.buffer;
    for (const nal of au.nalus) {
      if (isDroppedNal(au.codec, nal)) continue;
      const n = nal.length;
      a[o] = n >>> 24;
      a[o + 1] = (n >>> 16) & 0xff;
      a[o + 2] = (n >>> 8) & 0xff;
      a[o + 3] = n & 0xff;
      a.set(nal, o + 4);
      o += 4 + n;
    }
  }
}
