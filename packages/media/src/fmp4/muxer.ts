/**
 * Fmp4Muxer: one video track, timescale 90 kHz by default (the RTP clock, so pts pass
 * through unscaled). Two ways to use it:
 *  - `fragment(aus)`: one moof+mdat from the given access units, written from their
 *    NAL views with no intermediate copy;
 *  - `push(au)`: a fragmenter. Mode 'gop' emits a fragment per GOP (when the next keyframe
 *    arrives, so every duration is exact; the recorder and the GOP cache want this). Mode
 *    'frame' emits one fragment per access unit at once (low-latency live); its duration
 *    is estimated from the previous frame interval, and the next fragment's tfdt is exact
 *    again, so errors never accumulate.
 * Decode times (dts) are derived from pts by DtsEstimator (dts.ts: the (d+1)-th largest
 * pts so far, d the reorder depth from the SPS or seen in the stream): no frame is held
 * back, in either mode. tfdt = first dts - origin, durations are dts deltas, and each
 * sample's composition offset is pts - dts (written only when some sample has one, so a
 * stream without B-frames, where dts = pts, comes out exactly as it did before B-frames
 * were handled). The 'gop' mode scans a GOP's reordering before deriving its times.
 */
import type { H264Sps } from '../codec/h264-sps.ts';
import type { H265Sps } from '../codec/h265-sps.ts';
import { PocGapDetector, reorderDepth } from '../codec/reorder.ts';
import type { AccessUnit, VideoCodec, VideoParameterSets } from '../types.ts';
import { DtsEstimator } from './dts.ts';
import { isDroppedNal, sampleSize, writeFragment } from './fragment.ts';
import { buildInitSegment, Fmp4Error } from './init.ts';

export type FragmentMode = 'gop' | 'frame';

export interface Fmp4MuxerOptions {
  /** Track timescale; AccessUnit.pts must be in it. Default 90000. */
  timescale?: number;
  /** Default 1. */
  trackId?: number;
  /** Last-sample duration when nothing better is known. Default: from SPS fps, else 25 fps. */
  defaultDuration?: number;
  /** tfdt = dts - origin. Default: the dts of the first access unit muxed (files start at 0). */
  origin?: number;
  /** What push() emits. Default 'gop'. */
  mode?: FragmentMode;
  /** 'gop' mode cuts a fragment mid-GOP once it spans this long (bounds memory and latency with long GOPs). Default 5 s. */
  maxFragmentDuration?: number;
  /**
   * Reorder depth to start from instead of the SPS's (the stream still raises it when it
   * shows more). Default: what the SPS says, else 0. Tests use 0 to see the learning path.
   */
  reorderDepth?: number;
}

export interface FragmentOptions {
  /** pts of the access unit after the last one: makes the last duration exact. */
  nextPts?: number;
  /** Duration of the last sample when nextPts is not given. */
  lastDuration?: number;
}

const EMPTY = new Uint8Array(0);

export class Fmp4Muxer {
  readonly timescale: number;
  readonly trackId: number;
  readonly mode: FragmentMode;
  /** Parsed SPS of the last init(). */
  info: H264Sps | H265Sps | null = null;
  private codec: VideoCodec | null = null;
  private seq = 0;
  private origin: number | undefined;
  private prevDts: number | undefined;
  private readonly dts: DtsEstimator;
  /** H.264 whose SPS does not give the depth: slice POCs announce B-frames before they come. */
  private poc: PocGapDetector | null = null;
  private lastDelta: number | undefined;
  private readonly maxDelta: number;
  private readonly maxFragment: number;
  // 'gop' mode: access units wait here, their NAL units copied into `store`, because the
  // AccessUnit views point into packet buffers that the depacketizer reuses.
  private pending: AccessUnit[] = [];
  private store = new Uint8Array(0);
  private storeLen = 0;
  private started = false;

  constructor(private readonly opts: Fmp4MuxerOptions = {}) {
    this.timescale = opts.timescale ?? 90000;
    this.trackId = opts.trackId ?? 1;
    this.mode = opts.mode ?? 'gop';
    this.origin = opts.origin;
    // A pts step beyond 10 s is a discontinuity, not a frame duration.
    this.maxDelta = this.timescale * 10;
    this.maxFragment = opts.maxFragmentDuration ?? this.timescale * 5;
    this.dts = new DtsEstimator(0, this.maxDelta);
  }

  /** Reorder depth in use: from the SPS, raised by what the stream showed (0 without B-frames). */
  get reorderDepth(): number {
    return this.dts.depth;
  }

  /** Sequence number of the last fragment written (mfhd), 0 before the first. */
  get sequenceNumber(): number {
    return this.seq;
  }

  get defaultDuration(): number {
    if (this.opts.defaultDuration) return this.opts.defaultDuration;
    return Math.round(this.timescale / (this.info?.fps ?? 25));
  }

  /**
   * ftyp+moov for these parameter sets. Throws Fmp4Error when the SPS cannot be parsed
   * (or an H.265 VPS is missing): without width, height and profile there is no track.
   * May be called again on a parameter set change; sequence numbers and timing continue.
   */
  init(params: VideoParameterSets): Uint8Array {
    const { init, info } = buildInitSegment(params, { timescale: this.timescale, trackId: this.trackId });
    this.info = info;
    this.codec = params.codec;
    this.dts.raise(this.startDepth());
    const unknown = this.opts.reorderDepth !== undefined || reorderDepth(info) === null;
    this.poc = info.codec === 'h264' && info.picOrderCntType === 0 && unknown ? new PocGapDetector(info) : null;
    return init;
  }

  /**
   * One moof+mdat holding `aus` in decode order. Durations are the dts deltas; the last
   * one is up to the dts of nextPts's picture, else lastDuration, else the previous
   * delta, else defaultDuration. Access units with nothing left after dropping parameter
   * sets/AUD/filler are skipped; returns an empty array when none is left.
   */
  fragment(aus: readonly AccessUnit[], opts: FragmentOptions = {}): Uint8Array {
    if (!this.codec) throw new Fmp4Error('init() must be called before fragment()');
    let samples = aus;
    if (aus.some((au) => sampleSize(au) === 0)) samples = aus.filter((au) => sampleSize(au) > 0);
    const n = samples.length;
    if (n === 0) return EMPTY;
    if (n > 1 || opts.nextPts !== undefined) {
      // The whole batch is known: find its reordering before handing out any dts.
      const pts = samples.map((au) => au.pts);
      if (opts.nextPts !== undefined) pts.push(opts.nextPts);
      this.dts.raise(this.dts.scan(pts));
    }
    const guess = this.frameGuess();
    const dts = new Array<number>(n);
    const ctos = new Array<number>(n);
    const clamped = new Array<boolean>(n);
    let anyCto = false;
    for (let i = 0; i < n; i++) {
      const au = samples[i] as AccessUnit;
      const pts = au.pts;
      // A P picture sent ahead of B pictures: raise the depth before its dts is handed out.
      if (this.poc && this.dts.depth === 0 && this.poc.skipsAhead(au.nalus, au.keyframe) && this.ptsSkipsAhead(pts)) this.dts.raise(1);
      dts[i] = this.dts.next(pts, guess);
      clamped[i] = this.dts.clamped;
      ctos[i] = pts - (dts[i] as number);
      if (ctos[i] !== 0) anyCto = true;
    }
    const firstDts = dts[0] as number;
    this.origin ??= firstDts;
    if (this.prevDts !== undefined && !clamped[0]) this.noteDelta(firstDts - this.prevDts);

    const durations = new Array<number>(n);
    for (let i = 0; i < n - 1; i++) {
      const d = (dts[i + 1] as number) - (dts[i] as number);
      // A delta squeezed to one tick (a depth raise) is exact but no frame interval to learn.
      const ok = clamped[i + 1] ? this.valid(d) : this.noteDelta(d);
      durations[i] = ok ? d : this.frameGuess();
    }
    const lastDts = dts[n - 1] as number;
    const tail = opts.nextPts !== undefined ? this.dts.peek(opts.nextPts, guess) - lastDts : NaN;
    if (this.valid(tail)) this.noteDelta(tail);
    durations[n - 1] = this.valid(tail) ? tail : (opts.lastDuration ?? this.frameGuess());
    this.prevDts = lastDts;

    this.seq = (this.seq + 1) >>> 0;
    return writeFragment({
      sequenceNumber: this.seq,
      trackId: this.trackId,
      baseMediaDecodeTime: firstDts - this.origin,
      samples,
      durations,
      ...(anyCto ? { compositionOffsets: ctos } : {}),
    });
  }

  /**
   * Feeds one access unit; returns a fragment when one is complete, else null. Access
   * units before the first keyframe are dropped: nothing could decode them.
   */
  push(au: AccessUnit): Uint8Array | null {
    if (!this.started) {
      if (!au.keyframe) return null;
      this.started = true;
    }
    if (this.mode === 'frame') {
      const out = this.fragment([au]);
      return out.length ? out : null;
    }
    let out: Uint8Array | null = null;
    const head = this.pending[0];
    if (head && (au.keyframe || au.pts - head.pts >= this.maxFragment)) out = this.flush({ nextPts: au.pts });
    this.keep(au);
    return out;
  }

  /** Emits what push() holds (end of stream, or before closing a recording segment). */
  flush(opts: FragmentOptions = {}): Uint8Array | null {
    if (this.pending.length === 0) return null;
    const out = this.fragment(this.pending, opts);
    this.pending = [];
    this.storeLen = 0;
    return out.length ? out : null;
  }

  /** Forgets timing and buffered frames (a new stream or a new file): next fragment has tfdt 0 again. */
  reset(): void {
    this.origin = this.opts.origin;
    this.prevDts = this.lastDelta = undefined;
    this.dts.reset(this.startDepth());
    this.pending = [];
    this.storeLen = 0;
    this.started = false;
    this.seq = 0;
  }

  /**
   * A frame's duration when the next decode time is not known yet. Without reordering it is
   * the last decode-time delta (= pts delta). With B-frames it is the pts spacing: a delta
   * measured before the depth was known spans several frames (I→P), and a duration that
   * long would make MSE drop the pictures whose pts it covers.
   */
  private frameGuess(): number {
    const interval = this.dts.depth > 0 ? this.dts.interval() : undefined;
    if (interval !== undefined && this.valid(interval)) return interval;
    return this.lastDelta ?? this.defaultDuration;
  }

  /** Whether pts agrees that frames are missing before `pts` (when the SPS gives the frame rate). */
  private ptsSkipsAhead(pts: number): boolean {
    const max = this.dts.maxPts;
    const fps = this.info?.fps;
    if (max === undefined || !fps) return true;
    return pts - max > (1.5 * this.timescale) / fps;
  }

  private startDepth(): number {
    if (this.opts.reorderDepth !== undefined) return this.opts.reorderDepth;
    return this.info ? (reorderDepth(this.info) ?? 0) : 0;
  }

  private valid(d: number): boolean {
    return d > 0 && d <= this.maxDelta;
  }

  private noteDelta(d: number): boolean {
    if (!this.valid(d)) return false;
    this.lastDelta = d;
    return true;
  }

  /** Copies the kept NAL units of `au` into the reusable store and queues a view of them. */
  private keep(au: AccessUnit): void {
    const need = sampleSize(au);
    if (need === 0) return;
    if (this.storeLen + need > this.store.length) {
      // No copy needed: queued views keep the old buffer alive until their fragment is written.
      this.store = new Uint8Array(Math.max(this.store.length * 2, need, 64 * 1024));
      this.storeLen = 0;
    }
    const nalus: Uint8Array[] = [];
    for (const nal of au.nalus) {
      if (isDroppedNal(au.codec, nal)) continue;
      this.store.set(nal, this.storeLen);
      nalus.push(this.store.subarray(this.storeLen, this.storeLen + nal.length));
      this.storeLen += nal.length;
    }
    this.pending.push({ ...au, nalus });
  }
}
