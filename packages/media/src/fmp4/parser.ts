/**
 * ISO BMFF box parser for fragmented MP4: enough to read back what Fmp4Muxer writes (and
 * ordinary fMP4 from other muxers): ftyp, the video track of moov (codec, size,
 * timescale, avcC/hvcC parameter sets, trex defaults) and every moof/traf/trun into
 * samples with their mdat bytes. Returns `{ ok: false, error }` instead of throwing:
 * recordings can be truncated by a crash, and files may come from anywhere.
 */
import { parseSps } from '../codec/sps.ts';
import type { VideoCodec, VideoParameterSets } from '../types.ts';

export interface Box {
  type: string;
  /** Offset of the box header in the buffer. */
  start: number;
  /** Offset of the payload (after size/type/largesize). */
  body: number;
  end: number;
}

export interface Fmp4Track {
  trackId: number;
  timescale: number;
  codec: VideoCodec;
  /** Sample entry type: avc1, avc3, hvc1 or hev1. */
  entry: string;
  width: number;
  height: number;
  /** From the SPS; null when it cannot be parsed. */
  codecString: string | null;
  parameterSets: VideoParameterSets;
  defaults: { duration: number; size: number; flags: number };
}

export interface Fmp4Sample {
  trackId: number;
  dts: number;
  /** Composition offset (pts - dts). */
  cto: number;
  duration: number;
  size: number;
  flags: number;
  keyframe: boolean;
  /** View into the parsed buffer: length-prefixed NAL units. */
  data: Uint8Array;
}

export interface Fmp4Fragment {
  sequenceNumber: number;
  /** Offset of the moof box. */
  offset: number;
  samples: Fmp4Sample[];
}

export interface Fmp4File {
  majorBrand: string | null;
  compatibleBrands: string[];
  tracks: Fmp4Track[];
  fragments: Fmp4Fragment[];
  /** All samples of all fragments, in file order. */
  samples: Fmp4Sample[];
}

export type Fmp4ParseResult = { ok: true; file: Fmp4File } | { ok: false; error: string };

class BoxError extends Error {}

/** Bounds-checked big-endian reads. Every failure is a BoxError, caught at the API boundary. */
class Reader {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new BoxError(`truncated at offset ${this.pos}`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }
  u16(): number {
    return this.u8() * 0x100 + this.u8();
  }
  u32(): number {
    return this.u16() * 0x10000 + this.u16();
  }
  s32(): number {
    return this.u32() | 0;
  }
  u64(): number {
    const v = this.u32() * 0x100000000 + this.u32();
    if (v > Number.MAX_SAFE_INTEGER) throw new BoxError('64-bit value too large');
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    this.pos += n;
    return this.buf.subarray(this.pos - n, this.pos);
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

function fourcc(buf: Uint8Array, at: number): string {
  return String.fromCharCode(buf[at] ?? 0, buf[at + 1] ?? 0, buf[at + 2] ?? 0, buf[at + 3] ?? 0);
}

/** The boxes in [start, end) of buf; throws BoxError on a malformed size. */
function boxes(buf: Uint8Array, start: number, end: number): Box[] {
  const out: Box[] = [];
  const r = new Reader(buf, start, end);
  while (r.pos < end) {
    const at = r.pos;
    let size = r.u32();
    const type = fourcc(buf, r.pos);
    r.skip(4);
    if (size === 1) size = r.u64();
    else if (size === 0) size = end - at; // extends to the end of the enclosing space
    if (size < r.pos - at || at + size > end) throw new BoxError(`bad size of '${type}' box at ${at}`);
    out.push({ type, start: at, body: r.pos, end: at + size });
    r.pos = at + size;
  }
  return out;
}

/** Lists the boxes of buf (top level, or within [start, end)). */
export function listBoxes(
  buf: Uint8Array,
  start = 0,
  end = buf.length,
): { ok: true; boxes: Box[] } | { ok: false; error: string } {
  try {
    return { ok: true, boxes: boxes(buf, start, Math.min(end, buf.length)) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

const child = (buf: Uint8Array, b: Box, type: string): Box | undefined =>
  boxes(buf, b.body, b.end).find((c) => c.type === type);

/** Splits length-prefixed NAL units (mdat sample data); null when the lengths do not add up. */
export function splitLengthPrefixed(data: Uint8Array, lengthSize = 4): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < data.length) {
    if (o + lengthSize > data.length) return null;
    let len = 0;
    for (let i = 0; i < lengthSize; i++) len = len * 256 + (data[o + i] as number);
    o += lengthSize;
    if (o + len > data.length) return null;
    out.push(data.subarray(o, o + len));
    o += len;
  }
  return out;
}

export function parseFmp4(buf: Uint8Array): Fmp4ParseResult {
  try {
    return { ok: true, file: parseFile(buf) };
  } catch (err) {
    if (err instanceof BoxError || err instanceof RangeError) return { ok: false, error: err.message };
    return { ok: false, error: `unexpected: ${String(err)}` };
  }
}

function parseFile(buf: Uint8Array): Fmp4File {
  const file: Fmp4File = { majorBrand: null, compatibleBrands: [], tracks: [], fragments: [], samples: [] };
  for (const b of boxes(buf, 0, buf.length)) {
    if (b.type === 'ftyp') {
      const r = new Reader(buf, b.body, b.end);
      file.majorBrand = fourcc(r.bytes(4), 0);
      r.skip(4); // minor_version
      while (r.end - r.pos >= 4) file.compatibleBrands.push(fourcc(r.bytes(4), 0));
    } else if (b.type === 'moov') parseMoov(buf, b, file.tracks);
    else if (b.type === 'moof') {
      const frag = parseMoof(buf, b, file.tracks);
      file.fragments.push(frag);
      for (const s of frag.samples) file.samples.push(s);
    }
  }
  return file;
}

function parseMoov(buf: Uint8Array, moov: Box, tracks: Fmp4Track[]): void {
  const trex = new Map<number, Fmp4Track['defaults']>();
  const mvex = child(buf, moov, 'mvex');
  for (const t of mvex ? boxes(buf, mvex.body, mvex.end) : []) {
    if (t.type !== 'trex') continue;
    const r = new Reader(buf, t.body + 4, t.end);
    const id = r.u32();
    r.skip(4); // default_sample_description_index
    trex.set(id, { duration: r.u32(), size: r.u32(), flags: r.u32() });
  }
  for (const trak of boxes(buf, moov.body, moov.end)) {
    if (trak.type !== 'trak') continue;
    const track = parseTrak(buf, trak);
    if (track) tracks.push({ ...track, defaults: trex.get(track.trackId) ?? track.defaults });
  }
}

/** The video track of a trak box, or null for other media (audio, metadata). */
function parseTrak(buf: Uint8Array, trak: Box): Fmp4Track | null {
  const tkhd = child(buf, trak, 'tkhd');
  const mdia = child(buf, trak, 'mdia');
  if (!tkhd || !mdia) throw new BoxError('trak without tkhd or mdia');
  const tr = new Reader(buf, tkhd.body, tkhd.end);
  const tkVersion = tr.u8();
  tr.skip(3 + (tkVersion === 1 ? 16 : 8));
  const trackId = tr.u32();
  const mdhd = child(buf, mdia, 'mdhd');
  const hdlr = child(buf, mdia, 'hdlr');
  if (!mdhd || !hdlr) throw new BoxError('mdia without mdhd or hdlr');
  if (fourcc(buf, hdlr.body + 8) !== 'vide') return null;
  const mr = new Reader(buf, mdhd.body, mdhd.end);
  const mdVersion = mr.u8();
  mr.skip(3 + (mdVersion === 1 ? 16 : 8));
  const timescale = mr.u32();
  const minf = child(buf, mdia, 'minf');
  const stbl = minf && child(buf, minf, 'stbl');
  const stsd = stbl && child(buf, stbl, 'stsd');
  if (!stsd) throw new BoxError('video track without stsd');
  const entry = boxes(buf, stsd.body + 8, stsd.end)[0];
  if (!entry || !['avc1', 'avc3', 'hvc1', 'hev1'].includes(entry.type)) return null;
  const er = new Reader(buf, entry.body + 24, entry.end);
  const width = er.u16();
  const height = er.u16();
  const codec: VideoCodec = entry.type.startsWith('avc') ? 'h264' : 'h265';
  const configType = codec === 'h264' ? 'avcC' : 'hvcC';
  const config = boxes(buf, entry.body + 78, entry.end).find((c) => c.type === configType);
  if (!config) throw new BoxError(`${entry.type} without ${configType}`);
  const parameterSets = codec === 'h264' ? readAvcC(buf, config) : readHvcC(buf, config);
  const codecString = parseSps(codec, parameterSets.sps)?.codecString ?? null;
  return {
    trackId,
    timescale,
    codec,
    entry: entry.type,
    width,
    height,
    codecString,
    parameterSets,
    defaults: { duration: 0, size: 0, flags: 0 },
  };
}

function readAvcC(buf: Uint8Array, b: Box): VideoParameterSets {
  const r = new Reader(buf, b.body + 5, b.end);
  const numSps = r.u8() & 0x1f;
  let sps: Uint8Array | undefined;
  for (let i = 0; i < numSps; i++) sps ??= r.bytes(r.u16());
  let pps: Uint8Array | undefined;
  const numPps = r.u8();
  for (let i = 0; i < numPps; i++) pps ??= r.bytes(r.u16());
  if (!sps || !pps) throw new BoxError('avcC without SPS or PPS');
  return { codec: 'h264', sps, pps };
}

function readHvcC(buf: Uint8Array, b: Box): VideoParameterSets {
  const r = new Reader(buf, b.body + 22, b.end);
  const found: Record<number, Uint8Array> = {};
  const arrays = r.u8();
  for (let i = 0; i < arrays; i++) {
    const type = r.u8() & 0x3f;
    const n = r.u16();
    for (let j = 0; j < n; j++) {
      const nal = r.bytes(r.u16());
      found[type] ??= nal;
    }
  }
  const [vps, sps, pps] = [found[32], found[33], found[34]];
  if (!vps || !sps || !pps) throw new BoxError('hvcC without VPS, SPS or PPS');
  return { codec: 'h265', vps, sps, pps };
}

function parseMoof(buf: Uint8Array, moof: Box, tracks: Fmp4Track[]): Fmp4Fragment {
  const mfhd = child(buf, moof, 'mfhd');
  const frag: Fmp4Fragment = {
    sequenceNumber: mfhd ? new Reader(buf, mfhd.body + 4, mfhd.end).u32() : 0,
    offset: moof.start,
    samples: [],
  };
  for (const traf of boxes(buf, moof.body, moof.end)) {
    if (traf.type !== 'traf') continue;
    const tfhd = child(buf, traf, 'tfhd');
    if (!tfhd) throw new BoxError('traf without tfhd');
    const hr = new Reader(buf, tfhd.body, tfhd.end);
    const tfFlags = hr.u32() & 0xffffff;
    const trackId = hr.u32();
    const defaults = { ...(tracks.find((t) => t.trackId === trackId)?.defaults ?? { duration: 0, size: 0, flags: 0 }) };
    // Without base_data_offset, offsets are relative to the moof (default-base-is-moof or first traf).
    const base = tfFlags & 0x1 ? hr.u64() : moof.start;
    if (tfFlags & 0x2) hr.skip(4); // sample_description_index
    if (tfFlags & 0x8) defaults.duration = hr.u32();
    if (tfFlags & 0x10) defaults.size = hr.u32();
    if (tfFlags & 0x20) defaults.flags = hr.u32();
    const tfdt = child(buf, traf, 'tfdt');
    let dts = 0;
    if (tfdt) {
      const tr = new Reader(buf, tfdt.body, tfdt.end);
      const version = tr.u8();
      tr.skip(3);
      dts = version === 1 ? tr.u64() : tr.u32();
    }
    let dataPos = base;
    for (const trun of boxes(buf, traf.body, traf.end)) {
      if (trun.type !== 'trun') continue;
      const r = new Reader(buf, trun.body, trun.end);
      const flags = r.u32() & 0xffffff;
      const count = r.u32();
      if (flags & 0x1) dataPos = base + r.s32();
      const firstFlags = flags & 0x4 ? r.u32() : undefined;
      const entry = 4 * ((flags >> 8) & 1) + 4 * ((flags >> 9) & 1) + 4 * ((flags >> 10) & 1) + 4 * ((flags >> 11) & 1);
      // Refuse counts the box cannot hold before allocating anything for them.
      // (With no per-sample fields, the defaults' sizes must fit in the buffer instead.)
      const fits =
        count === 0 ||
        (entry > 0
          ? count * entry <= r.end - r.pos
          : defaults.size > 0 && count * defaults.size <= buf.length - dataPos);
      if (!fits) throw new BoxError('trun sample_count exceeds box');
      for (let i = 0; i < count; i++) {
        const duration = flags & 0x100 ? r.u32() : defaults.duration;
        const size = flags & 0x200 ? r.u32() : defaults.size;
        let sflags = flags & 0x400 ? r.u32() : defaults.flags;
        if (i === 0 && firstFlags !== undefined) sflags = firstFlags;
        const cto = flags & 0x800 ? r.s32() : 0;
        if (dataPos < 0 || dataPos + size > buf.length)
          throw new BoxError(`sample data outside the buffer at ${dataPos}`);
        const data = buf.subarray(dataPos, dataPos + size);
        frag.samples.push({
          trackId,
          dts,
          cto,
          duration,
          size,
          flags: sflags,
          keyframe: (sflags & 0x10000) === 0,
          data,
        });
        dataPos += size;
        dts += duration;
      }
    }
  }
  return frag;
}
