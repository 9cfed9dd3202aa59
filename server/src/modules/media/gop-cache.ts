/**
 * The fragments since the last keyframe, so a new viewer starts at once from a
 * decodable picture instead of waiting up to a GOP for the next keyframe.
 * Bounded: a stream that never sends a keyframe cannot grow it past `maxBytes`.
 */
export interface CachedFragment {
  data: Uint8Array;
  keyframe: boolean;
  pts: number;
  receivedAt: number;
}

export class GopCache {
  private fragments: CachedFragment[] = [];
  private size = 0;

  constructor(private readonly maxBytes = 8 * 1024 * 1024) {}

  push(f: CachedFragment): void {
    if (f.keyframe) {
      this.fragments = [];
      this.size = 0;
    } else if (!this.fragments.length) {
      return; // nothing decodable to extend
    }
    if (this.size + f.data.byteLength > this.maxBytes) {
      // An absurdly long GOP: keep nothing rather than an unbounded list.
      this.fragments = [];
      this.size = 0;
      return;
    }
    this.fragments.push(f);
    this.size += f.data.byteLength;
  }

  snapshot(): readonly CachedFragment[] {
    return this.fragments;
  }

  clear(): void {
    this.fragments = [];
    this.size = 0;
  }

  get bytes(): number {
    return this.size;
  }
}
