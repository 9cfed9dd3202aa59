/**
 * Just enough ISO BMFF to re-time recorded fragments without parsing their samples:
 * box headers, and per moof its tfdt (where it sits, so it can be rewritten in place),
 * its duration and whether it starts with a keyframe. Recorded files follow decision
 * 0005 (Fmp4Muxer 'gop', tfdt version 1); ffmpeg's fragmented output has the same shape.
 */

export interface BoxHeader {
  type: string;
  /** Whole box, header included. */
  size: number;
  headerSize: number;
}

/** The header of the box at `at`, or null when fewer than its header's bytes are there or the size is nonsense. */
export function boxHeader(buf: Uint8Array, at: number): BoxHeader | null {
  if (at + 8 > buf.length) return null;
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let size = v.getUint32(at);
  const type = String.fromCharCode(buf[at + 4]!, buf[at + 5]!, buf[at + 6]!, buf[at + 7]!);
  let headerSize = 8;
  if (size === 1) {
    if (at + 16 > buf.length) return null;
    size = Number(v.getBigUint64(at + 8));
    headerSize = 16;
  }
  if (size < headerSize) return null;
  return { type, size, headerSize };
}

export interface MoofInfo {
  /** Offset within the moof of tfdt's 64-bit baseMediaDecodeTime (version 1), or null without one. */
  tfdtAt: number | null;
  tfdtVersion: number;
  baseDecodeTime: number;
  /** Sum of the sample durations (track timescale). */
  duration: number;
  sampleCount: number;
  /** The first sample is a sync sample. */
  keyframe: boolean;
  /** Composition offset (pts − dts) of the first sample. */
  firstCto: number;
}

/** Reads the first traf of a moof (our files have one track). Null when the box is malformed. */
export function inspectMoof(moof: Uint8Array): MoofInfo | null {
  const v = new DataView(moof.buffer, moof.byteOffset, moof.byteLength);
  const top = boxHeader(moof, 0);
  if (!top || top.type !== 'moof' || top.size > moof.length) return null;
  const info: MoofInfo = { tfdtAt: null, tfdtVersion: 1, baseDecodeTime: 0, duration: 0, sampleCount: 0, keyframe: false, firstCto: 0 };
  let at = top.headerSize;
  while (at < top.size) {
    const b = boxHeader(moof, at);
    if (!b || at + b.size > top.size) return null;
    if (b.type === 'traf') return readTraf(moof, v, at + b.headerSize, at + b.size, info);
    at += b.size;
  }
  return null;
}

function readTraf(buf: Uint8Array, v: DataView, start: number, end: number, info: MoofInfo): MoofInfo | null {
  let defaultDuration = 0;
  let defaultFlags = 0;
  let at = start;
  let sawTrun = false;
  while (at < end) {
    const b = boxHeader(buf, at);
    if (!b || at + b.size > end) return null;
    const body = at + b.headerSize;
    if (b.type === 'tfhd') {
      const flags = v.getUint32(body) & 0xffffff;
      let o = body + 8;
      if (flags & 0x1) o += 8;
      if (flags & 0x2) o += 4;
      if (flags & 0x8) {
        defaultDuration = v.getUint32(o);
        o += 4;
      }
      if (flags & 0x10) o += 4;
      if (flags & 0x20) defaultFlags = v.getUint32(o);
    } else if (b.type === 'tfdt') {
      const version = buf[body]!;
      info.tfdtVersion = version;
      info.tfdtAt = body + 4;
      info.baseDecodeTime = version === 1 ? Number(v.getBigUint64(body + 4)) : v.getUint32(body + 4);
    } else if (b.type === 'trun' && !sawTrun) {
      sawTrun = true;
      const flags = v.getUint32(body) & 0xffffff;
      const count = v.getUint32(body + 4);
      let o = body + 8;
      if (flags & 0x1) o += 4;
      let firstFlags: number | undefined;
      if (flags & 0x4) {
        firstFlags = v.getUint32(o);
        o += 4;
      }
      const entry = 4 * ((flags >> 8) & 1) + 4 * ((flags >> 9) & 1) + 4 * ((flags >> 10) & 1) + 4 * ((flags >> 11) & 1);
      if (o + entry * count > at + b.size) return null;
      info.sampleCount = count;
      for (let i = 0; i < count; i++) {
        let p = o + i * entry;
        const duration = flags & 0x100 ? v.getUint32(p) : defaultDuration;
        if (flags & 0x100) p += 4;
        if (flags & 0x200) p += 4;
        const sampleFlags = i === 0 && firstFlags !== undefined ? firstFlags : flags & 0x400 ? v.getUint32(p) : defaultFlags;
        if (flags & 0x400) p += 4;
        if (i === 0) {
          info.keyframe = (sampleFlags & 0x10000) === 0;
          if (flags & 0x800) info.firstCto = v.getInt32(p);
        }
        info.duration += duration;
      }
    }
    at += b.size;
  }
  return info;
}

/** Sets a version-1 tfdt found by inspectMoof (in place). */
export function setTfdt(moof: Uint8Array, info: MoofInfo, value: number): void {
  if (info.tfdtAt === null || info.tfdtVersion !== 1) throw new Error('fragment without a 64-bit tfdt');
  new DataView(moof.buffer, moof.byteOffset, moof.byteLength).setBigUint64(info.tfdtAt, BigInt(Math.max(0, Math.round(value))));
}

/**
 * Splits a byte stream (ffmpeg's stdout) into top-level boxes as they complete. Bounded:
 * a box claiming more than maxBytes ends the stream with an error.
 */
export class BoxSplitter {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** Complete boxes in this chunk (with what was left over). */
  push(chunk: Buffer): { type: string; data: Buffer }[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: { type: string; data: Buffer }[] = [];
    let at = 0;
    for (;;) {
      const h = boxHeader(this.buf, at);
      if (!h) break;
      if (h.size > this.maxBytes) throw new Error(`box '${h.type}' of ${h.size} bytes is too large`);
      if (at + h.size > this.buf.length) break;
      out.push({ type: h.type, data: Buffer.from(this.buf.subarray(at, at + h.size)) });
      at += h.size;
    }
    this.buf = this.buf.subarray(at);
    return out;
  }
}
