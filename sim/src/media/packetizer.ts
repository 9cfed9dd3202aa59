/**
 * Precomputes a whole clip as RTP packets once, so serving costs one memcpy per frame per
 * viewer: every packet is stored as [4-byte RTSP interleave header][12-byte RTP header
 * template][payload], packets of a frame contiguous. At send time only channel, sequence
 * number, timestamp and SSRC are patched into a copy of the frame (see streamer.ts).
 *
 * H.264 follows RFC 6184 (packetization-mode=1: single NAL, STAP-A for the parameter sets,
 * FU-A for NALs above the MTU); H.265 follows RFC 7798 (single NAL, AP, FU).
 */
import { accessUnits, isAud, isKeyNal, isParameterSet, nalType, splitNals, type Codec } from './annexb.ts';

export const RTP_PAYLOAD_TYPE = 96;
export const DEFAULT_MTU = 1400; // RTP payload bytes: 1400 + 12 + 28 stays under a 1500-byte Ethernet MTU
export const INTERLEAVE_HEADER = 4;
export const RTP_HEADER = 12;
export const PACKET_OVERHEAD = INTERLEAVE_HEADER + RTP_HEADER;

export interface PacketizedClip {
  codec: Codec;
  frameCount: number;
  data: Buffer;
  /** byte offset of frame i's first packet; frameStart[frameCount] = data.length */
  frameStart: Uint32Array;
  /** byte offset of every packet; packetStart[packetCount] = data.length */
  packetStart: Uint32Array;
  /** index of frame i's first packet; framePacket[frameCount] = packetCount */
  framePacket: Uint32Array;
  keyframe: Uint8Array;
  params: { vps?: Buffer; sps: Buffer; pps: Buffer };
  maxFrameBytes: number;
}

function dropNal(nal: Buffer, codec: Codec): boolean {
  const t = nalType(nal, codec);
  // AUDs and filler are not sent over RTP by cameras; depacketizers must not need them
  return isAud(nal, codec) || (codec === 'h264' ? t === 12 : t === 38);
}

/** RTP payloads of one access unit. */
export function payloadsFor(au: Buffer[], codec: Codec, mtu = DEFAULT_MTU): Buffer[] {
  const out: Buffer[] = [];
  const nals = au.filter((n) => !dropNal(n, codec) && n.length > (codec === 'h264' ? 0 : 1));
  let i = 0;
  while (i < nals.length) {
    const nal = nals[i] as Buffer;
    // aggregate a run of parameter sets into one STAP-A / AP, as most cameras do
    const run: Buffer[] = [];
    let size = codec === 'h264' ? 1 : 2;
    while (i + run.length < nals.length) {
      const n = nals[i + run.length] as Buffer;
      if (!isParameterSet(n, codec) || size + 2 + n.length > mtu) break;
      run.push(n);
      size += 2 + n.length;
    }
    if (run.length >= 2) {
      out.push(aggregate(run, codec));
      i += run.length;
      continue;
    }
    if (nal.length <= mtu) out.push(nal);
    else out.push(...fragment(nal, codec, mtu));
    i++;
  }
  return out;
}

function aggregate(nals: Buffer[], codec: Codec): Buffer {
  const parts: Buffer[] = [];
  if (codec === 'h264') {
    const nri = Math.max(...nals.map((n) => (n[0] ?? 0) & 0x60));
    parts.push(Buffer.from([nri | 24]));
  } else {
    parts.push(Buffer.from([48 << 1, 1])); // type AP, layer 0, TID 1
  }
  for (const n of nals) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(n.length);
    parts.push(len, n);
  }
  return Buffer.concat(parts);
}

function fragment(nal: Buffer, codec: Codec, mtu: number): Buffer[] {
  const out: Buffer[] = [];
  const hdr = codec === 'h264' ? 1 : 2;
  const head = codec === 'h264' ? 2 : 3; // FU indicator + header / PayloadHdr(2) + FU header
  const chunk = mtu - head;
  const type = nalType(nal, codec);
  for (let off = hdr; off < nal.length; off += chunk) {
    const end = Math.min(nal.length, off + chunk);
    const se = (off === hdr ? 0x80 : 0) | (end === nal.length ? 0x40 : 0);
    const p = Buffer.allocUnsafe(head + end - off);
    if (codec === 'h264') {
      p[0] = ((nal[0] ?? 0) & 0xe0) | 28;
      p[1] = se | type;
    } else {
      p[0] = ((nal[0] ?? 0) & 0x81) | (49 << 1);
      p[1] = nal[1] ?? 1;
      p[2] = se | type;
    }
    nal.copy(p, head, off, end);
    out.push(p);
  }
  return out;
}

export function packetizeAnnexB(stream: Buffer, codec: Codec, mtu = DEFAULT_MTU): PacketizedClip {
  const aus = accessUnits(splitNals(stream), codec);
  if (aus.length === 0) throw new Error('no access units in stream');
  const params: { vps?: Buffer; sps?: Buffer; pps?: Buffer } = {};
  for (const nal of aus.flat()) {
    const t = nalType(nal, codec);
    const key =
      codec === 'h264'
        ? ({ 7: 'sps', 8: 'pps' } as const)[t as 7 | 8]
        : ({ 32: 'vps', 33: 'sps', 34: 'pps' } as const)[t as 32 | 33 | 34];
    if (key && !params[key]) params[key] = Buffer.from(nal);
  }
  if (!params.sps || !params.pps || (codec === 'h265' && !params.vps)) throw new Error('stream lacks parameter sets');

  const perFrame = aus.map((au) => payloadsFor(au, codec, mtu));
  const packetCount = perFrame.reduce((s, f) => s + f.length, 0);
  const total = perFrame.reduce((s, f) => s + f.reduce((a, p) => a + p.length + PACKET_OVERHEAD, 0), 0);
  const data = Buffer.alloc(total);
  const frameStart = new Uint32Array(aus.length + 1);
  const framePacket = new Uint32Array(aus.length + 1);
  const packetStart = new Uint32Array(packetCount + 1);
  const keyframe = new Uint8Array(aus.length);
  let off = 0;
  let pi = 0;
  let maxFrameBytes = 0;
  perFrame.forEach((payloads, f) => {
    frameStart[f] = off;
    framePacket[f] = pi;
    keyframe[f] = (aus[f] ?? []).some((n) => isKeyNal(n, codec)) ? 1 : 0;
    payloads.forEach((p, k) => {
      packetStart[pi++] = off;
      data[off] = 0x24; // '$'
      data[off + 1] = 0;
      data.writeUInt16BE(RTP_HEADER + p.length, off + 2);
      data[off + 4] = 0x80; // V=2
      data[off + 5] = RTP_PAYLOAD_TYPE | (k === payloads.length - 1 ? 0x80 : 0); // marker on the last packet of the frame
      p.copy(data, off + PACKET_OVERHEAD);
      off += PACKET_OVERHEAD + p.length;
    });
    maxFrameBytes = Math.max(maxFrameBytes, off - (frameStart[f] ?? 0));
  });
  frameStart[aus.length] = off;
  framePacket[aus.length] = pi;
  packetStart[pi] = off;
  return {
    codec,
    frameCount: aus.length,
    data,
    frameStart,
    packetStart,
    framePacket,
    keyframe,
    params: { ...(params.vps ? { vps: params.vps } : {}), sps: params.sps, pps: params.pps },
    maxFrameBytes,
  };
}
