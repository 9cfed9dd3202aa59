import { findBox, readBaseDecodeTime, readTimescale } from '../live/fmp4-time.ts';

type Bytes = Uint8Array<ArrayBuffer>;

export type Piece =
  | { kind: 'init'; data: Bytes; codec: string | null; timescale: number }
  | { kind: 'fragment'; data: Bytes; /** media seconds of its first sample */ time: number | null };

const DEFAULT_TIMESCALE = 90_000;
/** A box larger than this is not something a recording holds (a broken stream). */
const MAX_BOX = 64 * 1024 * 1024;

function typeAt(bytes: Uint8Array, o: number): string {
  return String.fromCharCode(bytes[o] ?? 0, bytes[o + 1] ?? 0, bytes[o + 2] ?? 0, bytes[o + 3] ?? 0);
}

/**
 * Cuts a streamed fMP4 (a media response read chunk by chunk) into whole pieces: the init
 * segment (ftyp + moov) and fragments (moof + mdat), each with its media time, so the player
 * can skip fragments it already has and append only whole ones.
 */
export class Fmp4Splitter {
  private pending: Bytes = new Uint8Array(0);
  private ftyp: Bytes | null = null;
  private moof: Bytes | null = null;
  private timescale = DEFAULT_TIMESCALE;

  /** Adds bytes; returns the pieces completed by them. Throws on a stream that is not fMP4. */
  push(chunk: Uint8Array): Piece[] {
    const joined = new Uint8Array(this.pending.byteLength + chunk.byteLength);
    joined.set(this.pending);
    joined.set(chunk, this.pending.byteLength);
    const out: Piece[] = [];
    let o = 0;
    const view = new DataView(joined.buffer);
    while (o + 8 <= joined.byteLength) {
      let size = view.getUint32(o);
      let header = 8;
      if (size === 1) {
        if (o + 16 > joined.byteLength) break;
        size = view.getUint32(o + 8) * 0x100000000 + view.getUint32(o + 12);
        header = 16;
      }
      if (size < header || size > MAX_BOX) throw new Error(`bad box size ${size} at ${o}`);
      if (o + size > joined.byteLength) break;
      const type = typeAt(joined, o + 4);
      const box = joined.slice(o, o + size);
      o += size;
      this.take(type, box, out);
    }
    this.pending = joined.slice(o);
    return out;
  }

  private take(type: string, box: Bytes, out: Piece[]): void {
    if (type === 'ftyp') {
      this.ftyp = box;
    } else if (type === 'moov') {
      const data = this.ftyp ? concat(this.ftyp, box) : box;
      this.ftyp = null;
      this.timescale = readTimescale(box.subarray(0)) ?? DEFAULT_TIMESCALE;
      out.push({ kind: 'init', data, codec: codecOf(box), timescale: this.timescale });
    } else if (type === 'moof') {
      this.moof = box;
    } else if (type === 'mdat' && this.moof) {
      const data = concat(this.moof, box);
      const decode = readBaseDecodeTime(this.moof);
      this.moof = null;
      out.push({ kind: 'fragment', data, time: decode === null ? null : decode / this.timescale });
    }
    // styp, sidx, free, …: not needed by MSE here.
  }
}

function concat(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

const hex = (n: number) => n.toString(16).padStart(2, '0');

/**
 * The RFC 6381 codec string of the first video track of a moov ("avc1.64001f"), read from
 * stsd/avc1/avcC; null when it is not H.264 (the server transcodes H.265 for browsers).
 */
export function codecOf(moov: Uint8Array): string | null {
  const inner = findBox(moov, ['moov']);
  if (!inner) return null;
  const moovBody = moov.subarray(inner.start, inner.end);
  // moov > trak > mdia > minf > stbl > stsd
  const stsd = walk(moovBody, ['trak', 'mdia', 'minf', 'stbl', 'stsd']);
  if (!stsd || stsd.byteLength < 16) return null;
  // stsd: version/flags (4), entry count (4), then sample entries.
  const entry = stsd.subarray(8);
  const type = typeAt(entry, 4);
  if (type !== 'avc1' && type !== 'avc3') return null;
  // VisualSampleEntry: 8 box header + 78 bytes, then child boxes (avcC).
  const children = entry.subarray(8 + 78);
  const avcC = walk(children, ['avcC']);
  if (!avcC || avcC.byteLength < 4) return null;
  return `${type}.${hex(avcC[1] ?? 0)}${hex(avcC[2] ?? 0)}${hex(avcC[3] ?? 0)}`;
}

/** The payload of the first box at `path` within a run of sibling boxes. */
function walk(bytes: Uint8Array, path: readonly string[]): Uint8Array | null {
  let scope = bytes;
  for (const want of path) {
    const view = new DataView(scope.buffer, scope.byteOffset, scope.byteLength);
    let o = 0;
    let found: Uint8Array | null = null;
    while (o + 8 <= scope.byteLength) {
      const size = view.getUint32(o);
      if (size < 8 || o + size > scope.byteLength) return null;
      if (typeAt(scope, o + 4) === want) {
        found = scope.subarray(o + 8, o + size);
        break;
      }
      o += size;
    }
    if (!found) return null;
    scope = found;
  }
  return scope;
}
