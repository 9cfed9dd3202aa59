/**
 * Test-only helpers: a tiny RTP packetizer for H.264 (single / STAP-A / FU-A) and
 * H.265 (single / AP / FU), synthetic NAL units and a seeded PRNG. Not exported from
 * the package index; kept here so the RTSP tests can reuse it.
 */
import type { VideoCodec } from '../types.ts';

/** Mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RtpFields {
  payloadType?: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc?: number;
  marker?: boolean;
  csrcs?: number[];
  /** Header extension words (32-bit each). */
  extension?: number[];
  padding?: number;
}

export function buildRtp(f: RtpFields, payload: Uint8Array): Buffer {
  const csrcs = f.csrcs ?? [];
  const ext = f.extension;
  const pad = f.padding ?? 0;
  const head = 12 + csrcs.length * 4 + (ext ? 4 + ext.length * 4 : 0);
  const b = Buffer.alloc(head + payload.length + pad);
  b[0] = 0x80 | (pad ? 0x20 : 0) | (ext ? 0x10 : 0) | csrcs.length;
  b[1] = (f.marker ? 0x80 : 0) | ((f.payloadType ?? 96) & 0x7f);
  b.writeUInt16BE(f.sequenceNumber & 0xffff, 2);
  b.writeUInt32BE(f.timestamp >>> 0, 4);
  b.writeUInt32BE((f.ssrc ?? 0x1234abcd) >>> 0, 8);
  let o = 12;
  for (const c of csrcs) o = b.writeUInt32BE(c >>> 0, o);
  if (ext) {
    o = b.writeUInt16BE(0xbede, o);
    o = b.writeUInt16BE(ext.length, o);
    for (const w of ext) o = b.writeUInt32BE(w >>> 0, o);
  }
  b.set(payload, o);
  if (pad) b[b.length - 1] = pad;
  return b;
}

/** A synthetic NAL unit of the given type and size with deterministic content. */
export function makeNal(codec: VideoCodec, type: number, size: number, seed = type): Uint8Array {
  const headLen = codec === 'h264' ? 1 : 2;
  const n = new Uint8Array(Math.max(size, headLen));
  if (codec === 'h264') n[0] = 0x60 | (type & 0x1f);
  else {
    n[0] = (type & 0x3f) << 1;
    n[1] = 1; // TID 1
  }
  const r = prng(seed * 7919 + size);
  for (let i = headLen; i < n.length; i++) n[i] = 1 + Math.floor(r() * 254);
  return n;
}

export type Mode = 'auto' | 'single';

/**
 * Packetizes access units the way cameras do: NAL units that fit together go in one
 * aggregation packet, big ones are fragmented at `mtu` payload bytes, the marker bit
 * is set on the last packet of each access unit.
 */
export class TestPacketizer {
  seq: number;
  constructor(
    readonly codec: VideoCodec,
    readonly opts: { mtu?: number; ssrc?: number; payloadType?: number; seq?: number; aggregate?: boolean } = {},
  ) {
    this.seq = opts.seq ?? 1000;
  }

  private get mtu(): number {
    return this.opts.mtu ?? 1200;
  }

  /** RTP payloads (no RTP header) for one access unit. */
  payloads(nalus: Uint8Array[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    const h = this.codec === 'h264' ? 1 : 2;
    let group: Uint8Array[] = [];
    let groupSize = 0;
    const flush = () => {
      if (group.length === 1) out.push(group[0] as Uint8Array);
      else if (group.length > 1) out.push(this.aggregate(group));
      group = [];
      groupSize = 0;
    };
    for (const nal of nalus) {
      if (nal.length > this.mtu) {
        flush();
        for (let off = h; off < nal.length; off += this.mtu - h - 1) {
          const end = Math.min(nal.length, off + this.mtu - h - 1);
          out.push(this.fragment(nal, off, end, off === h, end === nal.length));
        }
      } else if ((this.opts.aggregate ?? true) && groupSize + nal.length + 2 + h <= this.mtu) {
        group.push(nal);
        groupSize += nal.length + 2;
      } else {
        flush();
        group.push(nal);
        groupSize = nal.length + 2;
      }
    }
    flush();
    return out;
  }

  packetize(nalus: Uint8Array[], timestamp: number): Buffer[] {
    const payloads = this.payloads(nalus);
    return payloads.map((p, i) =>
      buildRtp(
        {
          sequenceNumber: this.seq++ & 0xffff,
          timestamp,
          marker: i === payloads.length - 1,
          ssrc: this.opts.ssrc,
          payloadType: this.opts.payloadType,
        },
        p,
      ),
    );
  }

  private aggregate(group: Uint8Array[]): Uint8Array {
    const h = this.codec === 'h264' ? 1 : 2;
    const size = h + group.reduce((s, n) => s + 2 + n.length, 0);
    const out = new Uint8Array(size);
    if (this.codec === 'h264') out[0] = 0x60 | 24;
    else {
      out[0] = 48 << 1;
      out[1] = 1;
    }
    let o = h;
    for (const n of group) {
      out[o] = n.length >> 8;
      out[o + 1] = n.length & 0xff;
      out.set(n, o + 2);
      o += 2 + n.length;
    }
    return out;
  }

  private fragment(nal: Uint8Array, off: number, end: number, start: boolean, last: boolean): Uint8Array {
    const flags = (start ? 0x80 : 0) | (last ? 0x40 : 0);
    if (this.codec === 'h264') {
      const out = new Uint8Array(2 + end - off);
      out[0] = ((nal[0] as number) & 0xe0) | 28;
      out[1] = flags | ((nal[0] as number) & 0x1f);
      out.set(nal.subarray(off, end), 2);
      return out;
    }
    const out = new Uint8Array(3 + end - off);
    out[0] = ((nal[0] as number) & 0x81) | (49 << 1);
    out[1] = nal[1] as number;
    out[2] = flags | (((nal[0] as number) >> 1) & 0x3f);
    out.set(nal.subarray(off, end), 3);
    return out;
  }
}

/** A GOP-structured synthetic stream: access unit i is a keyframe when i % gop === 0. */
export function syntheticStream(
  codec: VideoCodec,
  count: number,
  opts: { gop?: number; firstTs?: number; step?: number; bigFrame?: number; smallFrame?: number } = {},
): { nalus: Uint8Array[]; ts: number; keyframe: boolean }[] {
  const gop = opts.gop ?? 10;
  const step = opts.step ?? 3600;
  const out = [];
  for (let i = 0; i < count; i++) {
    const key = i % gop === 0;
    const ts = ((opts.firstTs ?? 0) + i * step) >>> 0;
    const nalus =
      codec === 'h264'
        ? key
          ? [makeNal('h264', 7, 12), makeNal('h264', 8, 5), makeNal('h264', 5, opts.bigFrame ?? 5000, i)]
          : [makeNal('h264', 1, opts.smallFrame ?? 900, i)]
        : key
          ? [
              makeNal('h265', 32, 20),
              makeNal('h265', 33, 30),
              makeNal('h265', 34, 8),
              makeNal('h265', 19, opts.bigFrame ?? 5000, i),
            ]
          : [makeNal('h265', 1, opts.smallFrame ?? 900, i)];
    out.push({ nalus, ts, keyframe: key });
  }
  return out;
}

/**
 * A minimal valid H.264 SPS (Baseline, 4:2:0, no VUI) for a size in whole macroblocks:
 * the parameter set tests need two real, different resolutions.
 */
export function h264Sps(width: number, height: number): Uint8Array {
  const bits: number[] = [];
  const u = (n: number, v: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push(Math.floor(v / 2 ** i) % 2);
  };
  const ue = (v: number) => {
    const len = Math.floor(Math.log2(v + 1));
    u(len, 0);
    u(len + 1, v + 1);
  };
  u(8, 66); // profile_idc Baseline
  u(8, 0xc0); // constraint flags
  u(8, 30); // level 3.0
  ue(0); // seq_parameter_set_id
  ue(0); // log2_max_frame_num_minus4
  ue(2); // pic_order_cnt_type
  ue(1); // max_num_ref_frames
  u(1, 0); // gaps_in_frame_num_value_allowed_flag
  ue(width / 16 - 1);
  ue(height / 16 - 1);
  u(1, 1); // frame_mbs_only_flag
  u(1, 1); // direct_8x8_inference_flag
  u(1, 0); // frame_cropping_flag
  u(1, 0); // vui_parameters_present_flag
  bits.push(1); // rbsp_stop_one_bit
  while (bits.length % 8) bits.push(0);
  const out = [0x67];
  let zeros = 0;
  for (let i = 0; i < bits.length; i += 8) {
    const b = bits.slice(i, i + 8).reduce((a, x) => a * 2 + x, 0);
    if (zeros >= 2 && b <= 3) {
      out.push(3); // emulation prevention
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

/** A PPS with ids 0/0 and plausible fields (what x264 writes for Baseline). */
export const H264_TEST_PPS = Uint8Array.from([0x68, 0xce, 0x38, 0x80]);
