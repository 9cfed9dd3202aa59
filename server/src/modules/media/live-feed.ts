import { Fmp4Muxer, isDroppedNal, sampleSize, splitLengthPrefixed, type AccessUnit, type VideoCodec, type VideoInfo, type VideoParameterSets } from '@kuzet/media';
import type { AccessUnitConsumer } from './au-consumer.ts';
import { GopCache } from './gop-cache.ts';

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
  fragments = 0;
  fragmentBytes = 0;

  get gopCacheBytes(): number {
    return this.gop.bytes;
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
  }

  subscribe(sub: Subscriber): void {
    this.subs.set(sub.id, sub);
    if (!this.init || !this.muxer) return;
    sub.init(this.init.codec, this.init.data);
    const cached = this.gop.snapshot();
    const aus: AccessUnit[] = [];
    for (const f of cached) aus.push({ codec: this.codec, nalus: splitLengthPrefixed(f.data) ?? [], pts: f.pts, keyframe: f.keyframe, receivedAt: f.receivedAt });
    for (let i = 0; i < aus.length; i++) {
      const au = aus[i]!;
      // Exact durations where the next frame is known; the newest one takes the last interval.
      const next = aus[i + 1];
      const frag = this.muxer.fragment([au], next ? { nextPts: next.pts } : {});
      if (!frag.length) continue;
      this.fragments++;
      this.fragmentBytes += frag.byteLength;
      sub.fragment(frag, au.keyframe, au.pts, au.receivedAt);
    }
  }

  unsubscribe(id: number): boolean {
    return this.subs.delete(id);
  }

  clearSubscribers(): void {
    this.subs.clear();
  }

  private send(frag: Uint8Array, keyframe: boolean, pts: number, receivedAt: number): void {
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
