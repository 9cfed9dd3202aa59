/**
 * fMP4 initialization segment (ISO/IEC 14496-12 ftyp + moov with one video track and
 * mvex), and the decoder configuration records of ISO/IEC 14496-15 (avcC §5.3.3,
 * hvcC §8.3.3). Built once per stream, so clarity wins over allocation here: boxes are
 * assembled from small arrays and concatenated.
 */
import { parseH264Sps, type H264Sps } from '../codec/h264-sps.ts';
import { parseH265Sps, type H265Sps } from '../codec/h265-sps.ts';
import type { VideoParameterSets } from '../types.ts';

export class Fmp4Error extends Error {
  override name = 'Fmp4Error';
}

type Part = Uint8Array | number[];

function concat(parts: Part[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const u16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const fourcc = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

export function box(type: string, ...parts: Part[]): Uint8Array {
  const body = concat(parts);
  return concat([u32(body.length + 8), fourcc(type), body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Part[]): Uint8Array {
  return box(type, [version, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff], ...parts);
}

/** Unity transformation matrix used by mvhd and tkhd. */
const MATRIX = [...u32(0x10000), ...zeros(12), ...u32(0x10000), ...zeros(12), ...u32(0x40000000)];

/**
 * avcC. Profiles other than Baseline/Main/Extended carry chroma format and bit depths after
 * the PPS list (14496-15 §5.3.3.1); readers that do not know them stop after the PPS.
 */
export function avcC(sps: Uint8Array, pps: Uint8Array, info: H264Sps): Uint8Array {
  const parts: Part[] = [
    [1, sps[1] ?? 0, sps[2] ?? 0, sps[3] ?? 0, 0xff, 0xe1], // version, profile, compat, level, lengthSize=4, 1 SPS
    u16(sps.length),
    sps,
    [1],
    u16(pps.length),
    pps,
  ];
  if (![66, 77, 88].includes(info.profileIdc)) {
    parts.push([0xfc | info.chromaFormatIdc, 0xf8 | (info.bitDepthLuma - 8), 0xf8 | (info.bitDepthChroma - 8), 0]);
  }
  return box('avcC', ...parts);
}

/** hvcC with one array each of VPS, SPS, PPS, all marked complete (required for hvc1). */
export function hvcC(vps: Uint8Array, sps: Uint8Array, pps: Uint8Array, info: H265Sps): Uint8Array {
  const nalArray = (type: number, nal: Uint8Array): Part[] => [[0x80 | type], u16(1), u16(nal.length), nal];
  return box(
    'hvcC',
    [1, (info.profileSpace << 6) | (info.tierFlag << 5) | info.profileIdc],
    u32(info.compatibilityFlags),
    info.constraintFlags,
    [info.levelIdc],
    [0xf0, 0x00], // min_spatial_segmentation_idc = 0
    [0xfc], // parallelismType = 0 (unknown)
    [0xfc | info.chromaFormatIdc, 0xf8 | (info.bitDepthLuma - 8), 0xf8 | (info.bitDepthChroma - 8)],
    u16(0), // avgFrameRate unknown
    // constantFrameRate 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne = 3
    [((info.maxSubLayersMinus1 + 1) << 3) | (info.temporalIdNesting ? 4 : 0) | 3],
    [3],
    ...nalArray(32, vps),
    ...nalArray(33, sps),
    ...nalArray(34, pps),
  );
}

export interface InitOptions {
  timescale: number;
  trackId: number;
}

/** Parses the SPS and builds ftyp+moov. Throws Fmp4Error when the parameter sets are unusable. */
export function buildInitSegment(
  params: VideoParameterSets,
  o: InitOptions,
): { init: Uint8Array; info: H264Sps | H265Sps } {
  let info: H264Sps | H265Sps | null;
  let config: Uint8Array;
  let entry: string;
  if (params.codec === 'h264') {
    const sps = parseH264Sps(params.sps);
    if (!sps) throw new Fmp4Error('H.264 SPS cannot be parsed');
    info = sps;
    config = avcC(params.sps, params.pps, sps);
    entry = 'avc1';
  } else {
    const sps = parseH265Sps(params.sps);
    if (!sps) throw new Fmp4Error('H.265 SPS cannot be parsed');
    if (!params.vps) throw new Fmp4Error('H.265 needs a VPS');
    info = sps;
    config = hvcC(params.vps, params.sps, params.pps, sps);
    entry = 'hvc1';
  }
  const { width, height } = info;
  const ftyp = box('ftyp', fourcc('iso6'), u32(0), fourcc('iso6'), fourcc('isom'), fourcc('mp41'));
  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    zeros(8),
    u32(o.timescale),
    u32(0),
    u32(0x10000),
    u16(0x100),
    zeros(10),
    MATRIX,
    zeros(24),
    u32(o.trackId + 1),
  );
  // tkhd flags 3: enabled + in movie. Width/height are 16.16 fixed point.
  const tkhd = fullBox(
    'tkhd',
    0,
    3,
    zeros(8),
    u32(o.trackId),
    zeros(4),
    u32(0),
    zeros(8),
    u16(0),
    u16(0),
    u16(0),
    u16(0),
    MATRIX,
    u32(width * 0x10000),
    u32(height * 0x10000),
  );
  const mdhd = fullBox('mdhd', 0, 0, zeros(8), u32(o.timescale), u32(0), u16(0x55c4), u16(0)); // language 'und'
  const hdlr = fullBox('hdlr', 0, 0, u32(0), fourcc('vide'), zeros(12), fourcc('VideoHandler'), [0]);
  const sampleEntry = box(
    entry,
    zeros(6),
    u16(1), // reserved, data_reference_index
    zeros(16),
    u16(width),
    u16(height),
    u32(0x480000),
    u32(0x480000),
    u32(0),
    u16(1), // 72 dpi, reserved, frame_count
    zeros(32),
    u16(0x18),
    u16(0xffff), // compressorname, depth, pre_defined = -1
    config,
  );
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), sampleEntry),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0), u32(0)),
    fullBox('stco', 0, 0, u32(0)),
  );
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const minf = box('minf', fullBox('vmhd', 0, 1, zeros(8)), dinf, stbl);
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, minf));
  const mvex = box('mvex', fullBox('trex', 0, 0, u32(o.trackId), u32(1), u32(0), u32(0), u32(0)));
  return { init: concat([ftyp, box('moov', mvhd, trak, mvex)]), info };
}
