/**
 * The frames since the last keyframe, so a new viewer starts at once from a decodable
 * picture instead of waiting up to a GOP for the next keyframe.
 * Bounded: a stream that never sends a keyframe cannot grow it past `maxBytes`.
 *
 * Cost model (performance.md): the cache is fed every frame of every stream, watched or
 * not, so it keeps no object per frame. The bytes go into one arena, reused from its
 * start at each keyframe and sized to the last GOP (+1/8); the fields go into typed
 * arrays. Entries are materialized only by snapshot(), when a viewer subscribes.
 */
export interface CachedFragment {
  data: Uint8Array;
  keyframe: boolean;
  pts: number;
  receivedAt: number;
}

const MIN_ARENA = 64 * 1024;

export class GopCache {
  private arena = new Uint8Array(0);
  private size = 0;
  private count = 0;
  /** Bytes of the previous GOP: the arena's size for the next one. */
  private lastGop = 0;
  private ends = new Uint32Array(64);
  private pts = new Float64Array(64);
  private received = new Float64Array(64);
  private keys = new Uint8Array(64);

  constructor(private readonly maxBytes = 8 * 1024 * 1024) {}

  /** Caches a copy of `f.data`. */
  push(f: CachedFragment): void {
    const at = this.reserve(f.data.byteLength, f.keyframe, f.pts, f.receivedAt);
    if (at >= 0) this.arena.set(f.data, at);
  }

  /**
   * Makes room for an entry of `bytes` and returns where to write them in `buffer`, or -1
   * when the entry is not cached (nothing decodable to extend, or the GOP outgrew the bound).
   * The caller writes the bytes at once, before any other call.
   */
  reserve(bytes: number, keyframe: boolean, pts: number, receivedAt: number): number {
    if (keyframe) {
      if (this.count) this.lastGop = this.size;
      this.count = 0;
      this.size = 0;
    } else if (!this.count) {
      return -1; // nothing decodable to extend
    }
    if (this.size + bytes > this.maxBytes) {
      // An absurdly long GOP: keep nothing rather than an unbounded list.
      this.clear();
      return -1;
    }
    if (keyframe) {
      const fit = Math.max(MIN_ARENA, Math.ceil(Math.max(this.lastGop, bytes) * 1.125));
      if (this.arena.length < Math.max(this.lastGop, bytes) || this.arena.length > 2 * fit) this.arena = new Uint8Array(fit);
    } else if (this.size + bytes > this.arena.length) {
      // A GOP longer than the last one: grow, keeping this GOP's bytes (rare: once per growth).
      const grown = new Uint8Array(Math.ceil((this.size + bytes) * 1.25));
      grown.set(this.arena.subarray(0, this.size));
      this.arena = grown;
    }
    const i = this.count;
    if (i === this.ends.length) this.growIndex();
    const at = this.size;
    this.size += bytes;
    this.ends[i] = this.size;
    this.pts[i] = pts;
    this.received[i] = receivedAt;
    this.keys[i] = keyframe ? 1 : 0;
    this.count = i + 1;
    return at;
  }

  /** The arena that reserve()'s offsets point into (replaced when it grows). */
  get buffer(): Uint8Array {
    return this.arena;
  }

  /** The cached entries, oldest first; `data` views stay valid until the next push. */
  snapshot(): CachedFragment[] {
    const out: CachedFragment[] = [];
    for (let i = 0, start = 0; i < this.count; i++) {
      const end = this.ends[i]!;
      out.push({ data: this.arena.subarray(start, end), keyframe: this.keys[i] === 1, pts: this.pts[i]!, receivedAt: this.received[i]! });
      start = end;
    }
    return out;
  }

  /** Forgets every entry and frees the arena (a stream that stays down holds no memory). */
  clear(): void {
    this.arena = new Uint8Array(0);
    this.size = 0;
    this.count = 0;
    this.lastGop = 0;
  }

  get bytes(): number {
    return this.size;
  }

  private growIndex(): void {
    const n = this.ends.length * 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, b: T): T => (b.set(a), b);
    this.ends = grow(this.ends, new Uint32Array(n));
    this.pts = grow(this.pts, new Float64Array(n));
    this.received = grow(this.received, new Float64Array(n));
    this.keys = grow(this.keys, new Uint8Array(n));
  }
}
