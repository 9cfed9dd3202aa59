import type { AccessUnit, VideoCodec } from '@kuzet/media';

/**
 * The last seconds of a camera's main stream, in whole GOPs, kept in its media worker for
 * cameras recorded on motion: when motion starts, the recording begins at the first
 * keyframe of this buffer (docs/decisions/0005-recording.md, README.md "Recording on motion").
 *
 * What is kept: the newest keyframe that arrived at least `preRollMs + slackMs` before the
 * newest frame, and every frame after it — so the buffer always reaches back ≥ preRollMs
 * from a keyframe, plus at most one GOP and the slack (a `setMotion` stamped a little before
 * the worker handles it still finds a keyframe ≥ preRollMs before its stamp). Older GOPs
 * are dropped as they age; `maxBytes` caps the whole (the oldest GOPs go first; a single
 * GOP larger than the cap is not kept at all).
 *
 * Cost model (performance.md): fed every frame of a motion camera's main stream, so no
 * object per frame: each GOP is one arena of bytes (its NAL units back to back) plus typed
 * arrays of the NAL ends and the frames' pts, arrival and flags. A dropped GOP's arrays are
 * reused for the next one. AccessUnit objects are made only by `drain()`, when motion starts.
 */
export interface PreRollOptions {
  preRollMs: number;
  /** Kept beyond preRollMs (default 1000 ms). */
  slackMs?: number;
  /** Cap on the bytes held (default 16 MB). */
  maxBytes?: number;
}

const FLAG_KEY = 1;
const FLAG_DAMAGED = 2;

/** One GOP: a keyframe and the frames after it. */
class Gop {
  data = new Uint8Array(64 * 1024);
  size = 0;
  frames = 0;
  nals = 0;
  /** Per NAL: end offset in data. */
  nalEnd = new Uint32Array(256);
  /** Per frame: index one past its last NAL. */
  frameNalEnd = new Uint32Array(64);
  pts = new Float64Array(64);
  received = new Float64Array(64);
  flags = new Uint8Array(64);

  /** Ready for a new GOP; an arena much larger than the last GOP needed is replaced by one sized to it. */
  reset(): void {
    const used = this.size;
    if (used > 0 && this.data.length > used * 1.5) this.data = new Uint8Array(Math.max(64 * 1024, Math.ceil(used * 1.25)));
    this.size = 0;
    this.frames = 0;
    this.nals = 0;
  }

  get firstReceived(): number {
    return this.received[0]!;
  }

  append(au: AccessUnit): void {
    let bytes = 0;
    for (const n of au.nalus) bytes += n.byteLength;
    if (this.size + bytes > this.data.length) {
      const grown = new Uint8Array(Math.max(Math.ceil(this.data.length * 1.25), this.size + bytes));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    if (this.nals + au.nalus.length > this.nalEnd.length) {
      const grown = new Uint32Array(Math.max(this.nalEnd.length * 2, this.nals + au.nalus.length));
      grown.set(this.nalEnd.subarray(0, this.nals));
      this.nalEnd = grown;
    }
    if (this.frames === this.pts.length) this.growFrames();
    for (const n of au.nalus) {
      this.data.set(n, this.size);
      this.size += n.byteLength;
      this.nalEnd[this.nals++] = this.size;
    }
    const i = this.frames++;
    this.frameNalEnd[i] = this.nals;
    this.pts[i] = au.pts;
    this.received[i] = au.receivedAt;
    this.flags[i] = (au.keyframe ? FLAG_KEY : 0) | (au.damaged ? FLAG_DAMAGED : 0);
  }

  /** The frames as access units whose NAL units are views into this GOP's arena. */
  *units(codec: VideoCodec): Generator<AccessUnit> {
    let nal = 0;
    let start = 0;
    for (let i = 0; i < this.frames; i++) {
      const nalus: Uint8Array[] = [];
      for (const end = this.frameNalEnd[i]!; nal < end; nal++) {
        const e = this.nalEnd[nal]!;
        nalus.push(this.data.subarray(start, e));
        start = e;
      }
      const f = this.flags[i]!;
      const au: AccessUnit = { codec, nalus, pts: this.pts[i]!, keyframe: (f & FLAG_KEY) !== 0, receivedAt: this.received[i]! };
      if (f & FLAG_DAMAGED) au.damaged = true;
      yield au;
    }
  }

  /** Memory held (the arena and the arrays, not only the bytes in use). */
  get footprint(): number {
    return this.data.byteLength + this.nalEnd.byteLength + this.frameNalEnd.byteLength + this.pts.byteLength + this.received.byteLength + this.flags.byteLength;
  }

  private growFrames(): void {
    const n = this.pts.length * 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, b: T): T => (b.set(a), b);
    this.frameNalEnd = grow(this.frameNalEnd, new Uint32Array(n));
    this.pts = grow(this.pts, new Float64Array(n));
    this.received = grow(this.received, new Float64Array(n));
    this.flags = grow(this.flags, new Uint8Array(n));
  }
}

export class PreRollBuffer {
  private readonly gops: Gop[] = [];
  /** One dropped GOP kept for reuse (its arrays are already sized for this stream). */
  private spare: Gop | null = null;
  private codec: VideoCodec = 'h264';
  private bytesHeld = 0;
  private readonly slackMs: number;
  private readonly maxBytes: number;
  preRollMs: number;

  constructor(opts: PreRollOptions) {
    this.preRollMs = opts.preRollMs;
    this.slackMs = opts.slackMs ?? 1000;
    this.maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
  }

  /** Keeps a copy of the frame (nothing before the first keyframe: it could not be decoded). */
  push(au: AccessUnit): void {
    let gop = this.gops.at(-1);
    if (au.keyframe) {
      gop = this.spare ?? new Gop();
      this.spare = null;
      gop.reset();
      this.gops.push(gop);
      this.codec = au.codec;
    } else if (!gop) return;
    const before = gop.size;
    gop.append(au);
    this.bytesHeld += gop.size - before;
    this.trim(au.receivedAt);
  }

  /**
   * The frames to record from, oldest first, starting at the newest keyframe that arrived at
   * least preRollMs before `at` (or the oldest one held, when none is that old); the buffer
   * is empty afterwards. The units' bytes stay valid until the next push.
   */
  drain(at: number): AccessUnit[] {
    let from = 0;
    for (let i = this.gops.length - 1; i >= 0; i--) {
      if (this.gops[i]!.firstReceived <= at - this.preRollMs) {
        from = i;
        break;
      }
    }
    const out: AccessUnit[] = [];
    for (let i = from; i < this.gops.length; i++) for (const au of this.gops[i]!.units(this.codec)) out.push(au);
    // The views stay valid: the arenas are only dropped here, and reused (written) by a later push.
    const last = this.gops.at(-1) ?? null;
    this.gops.length = 0;
    this.bytesHeld = 0;
    this.spare = last;
    return out;
  }

  /** Forgets everything and frees the memory (a stream that dropped, or no longer recorded on motion). */
  clear(): void {
    this.gops.length = 0;
    this.spare = null;
    this.bytesHeld = 0;
  }

  /** Bytes of video held. */
  get bytes(): number {
    return this.bytesHeld;
  }

  /** Memory held, arenas and arrays included. */
  get footprint(): number {
    return this.gops.reduce((a, g) => a + g.footprint, this.spare?.footprint ?? 0);
  }

  get gopCount(): number {
    return this.gops.length;
  }

  /** Arrival time of the oldest frame held (a keyframe), or null. */
  get oldestAt(): number | null {
    return this.gops[0]?.firstReceived ?? null;
  }

  private trim(now: number): void {
    // The second GOP's keyframe is old enough on its own: the first one is not needed.
    while (this.gops.length >= 2 && this.gops[1]!.firstReceived <= now - this.preRollMs - this.slackMs) this.drop();
    while (this.bytesHeld > this.maxBytes && this.gops.length > 1) this.drop();
    if (this.bytesHeld > this.maxBytes) this.clear(); // one GOP over the cap: nothing decodable fits
  }

  private drop(): void {
    const g = this.gops.shift()!;
    this.bytesHeld -= g.size;
    // Keep the smaller arena for reuse: a GOP much larger than usual is not kept around.
    if (!this.spare || g.data.byteLength < this.spare.data.byteLength) this.spare = g;
  }
}
