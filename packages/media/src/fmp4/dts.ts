/**
 * Decode times for streams whose timestamps are presentation times (RTP carries pts
 * only; with B-frames, packets come in decode order and pts go back and forth).
 *
 * Rule: with a reorder depth d (at most d pictures precede a picture in decode order and
 * follow it in output order), the decode time of the n-th picture is the (d+1)-th
 * largest pts seen so far. It never exceeds the picture's own pts (at most d earlier
 * pictures have a larger one) and it only grows (adding a value cannot lower the
 * (d+1)-th largest), so it needs no look-ahead: each picture gets its dts as it
 * arrives, which the per-frame live fragments require. Only the d+1 largest pts matter;
 * we keep MAX_REORDER + 1 of them to also measure how far a picture was reordered.
 * Before d+1 pictures were seen, the missing ones are extrapolated one frame apart
 * below the smallest pts (the first dts sits d frames before the first pts).
 * With d = 0 and increasing pts this is dts = pts: streams without B-frames come out
 * exactly as before.
 *
 * Where d comes from: the SPS when it says (H.265 always; H.264 VUI
 * bitstream_restriction, Baseline, POC type 2), raised to what the stream shows (a
 * picture with k larger pts before it means d ≥ k). For an H.264 SPS that does not say,
 * the muxer also reads each slice's POC (codec/reorder.ts PocGapDetector): the P picture
 * sent ahead of B pictures skips POC values, so d becomes 1 before that P gets its dts.
 * A raise after decode times were handed out cannot rewrite them: until the rule catches
 * up (a frame or two), dts advance by one tick past the last one and the composition
 * offset of that picture may be negative (the muxer then writes trun version 1). The gop
 * muxer scans a whole GOP first, so it raises before handing anything out.
 *
 * A step further back than MAX_REORDER pictures, or a jump by more than `maxJump`
 * either way, is a discontinuity, not reordering: the window restarts from that pts
 * (decode times may then step back, as the timestamps did).
 *
 * How others do it (read, not copied): FFmpeg's demuxer keeps a sorted buffer of the
 * last has_b_frames + 1 pts and takes the smallest as dts; GStreamer's h264timestamper
 * holds frames back for a window sized from the SPS (adds latency); MediaMTX
 * (mediacommon) reads the POC from slice headers and interpolates, pausing dts when it
 * discovers more reordering. Ours is the first without any frame held back and without
 * slice-header parsing, seeded by the SPS like the second.
 */

/** H.264/H.265 allow at most 16 pictures in the decoded picture buffer. */
export const MAX_REORDER = 16;
const WINDOW = MAX_REORDER + 1;

export class DtsEstimator {
  private d: number;
  /** The largest pts since the last (re)start, ascending, at most WINDOW of them. */
  private top: number[] = [];
  private last: number | undefined;
  /** The last dts returned was pushed past the rule to stay increasing. */
  clamped = false;

  constructor(
    depth = 0,
    private readonly maxJump = Number.POSITIVE_INFINITY,
  ) {
    this.d = clampDepth(depth);
  }

  get depth(): number {
    return this.d;
  }

  /** The largest pts since the last (re)start. */
  get maxPts(): number | undefined {
    return this.top[this.top.length - 1];
  }

  /** Raises the reorder depth to at least `depth` (never lowers it). */
  raise(depth: number): void {
    this.d = Math.max(this.d, clampDepth(depth));
  }

  /** The depth `pts` (in decode order, following what was seen) would require; nothing changes. */
  scan(pts: Iterable<number>): number {
    const top = this.top.slice();
    let need = this.d;
    for (const p of pts) {
      if (this.isJump(top, p)) top.length = 0;
      need = Math.max(need, above(top, p));
      insert(top, p);
    }
    return clampDepth(need);
  }

  /** The decode time of the next picture in decode order, whose pts is `pts`. */
  next(pts: number, frameDuration: number): number {
    if (this.isJump(this.top, pts)) {
      this.top.length = 0;
      this.last = undefined;
    }
    this.raise(above(this.top, pts));
    insert(this.top, pts);
    let dts = this.rule(this.top, frameDuration);
    this.clamped = this.last !== undefined && dts <= this.last;
    if (this.clamped) dts = (this.last as number) + 1;
    this.last = dts;
    return dts;
  }

  /** What next(pts) would return, without consuming it (the duration of a GOP's last picture). */
  peek(pts: number, frameDuration: number): number {
    if (this.isJump(this.top, pts)) return pts - this.d * frameDuration;
    const top = this.top.slice();
    insert(top, pts);
    const dts = this.rule(top, frameDuration);
    return this.last !== undefined && dts <= this.last ? this.last + 1 : dts;
  }

  /**
   * The frame interval as the presentation times show it: the smallest gap between
   * neighbouring kept pts (with B-frames, decode-time deltas say little about it before
   * the depth is known). undefined before two distinct pts.
   */
  interval(): number | undefined {
    let best: number | undefined;
    for (let i = 1; i < this.top.length; i++) {
      const gap = (this.top[i] as number) - (this.top[i - 1] as number);
      if (gap > 0 && (best === undefined || gap < best)) best = gap;
    }
    return best;
  }

  reset(depth = 0): void {
    this.d = clampDepth(depth);
    this.top = [];
    this.last = undefined;
    this.clamped = false;
  }

  private rule(top: readonly number[], frameDuration: number): number {
    const k = top.length - 1 - this.d;
    if (k >= 0) return top[k] as number;
    return (top[0] as number) + k * frameDuration;
  }

  private isJump(top: readonly number[], pts: number): boolean {
    const max = top[top.length - 1];
    if (max === undefined) return false;
    if (Math.abs(pts - max) > this.maxJump) return true;
    return top.length === WINDOW && pts < (top[0] as number);
  }
}

function clampDepth(d: number): number {
  return Math.min(MAX_REORDER, Math.max(0, Math.floor(d)));
}

/** How many of the kept pts are larger than `pts`. */
function above(top: readonly number[], pts: number): number {
  let n = 0;
  for (let i = top.length - 1; i >= 0 && (top[i] as number) > pts; i--) n++;
  return n;
}

/** Inserts keeping ascending order; drops the smallest beyond WINDOW. In order: one push. */
function insert(top: number[], pts: number): void {
  let i = top.length;
  top.push(pts);
  while (i > 0 && (top[i - 1] as number) > pts) {
    top[i] = top[i - 1] as number;
    i--;
  }
  top[i] = pts;
  if (top.length > WINDOW) top.shift();
}
