/**
 * The little RTCP (RFC 3550 §6) an ingest needs: read Sender Reports (to map RTP time
 * to wall-clock time) and BYE (the camera ends the stream), and build Receiver Reports
 * to send back as a keep-alive (some cameras stop streaming without them).
 * RTCP arrives a few times a minute, so allocation here does not matter.
 */
import { readU16, readU32 } from './rtp-packet.ts';

export interface RtcpSenderReport {
  ssrc: number;
  /** NTP timestamp, seconds since 1900 (integer part) and the 32-bit fraction. */
  ntpSeconds: number;
  ntpFraction: number;
  /** The same instant as Unix milliseconds. */
  ntpUnixMs: number;
  /** RTP timestamp corresponding to the NTP time. */
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export interface RtcpInfo {
  senderReports: RtcpSenderReport[];
  /** SSRCs that said BYE. */
  bye: number[];
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export function ntpToUnixMs(seconds: number, fraction: number): number {
  return (seconds - NTP_UNIX_OFFSET) * 1000 + (fraction / 0x1_0000_0000) * 1000;
}

/**
 * Parses a (compound) RTCP packet. Returns null when the first packet is not RTCP at
 * all; stops at the first malformed sub-packet but keeps what came before it.
 */
export function parseRtcp(buf: Uint8Array, offset = 0, length = buf.length - offset): RtcpInfo | null {
  if (offset < 0 || length < 4 || offset + length > buf.length) return null;
  const end = offset + length;
  const info: RtcpInfo = { senderReports: [], bye: [] };
  let pos = offset;
  let first = true;
  while (pos + 4 <= end) {
    const b0 = buf[pos] as number;
    const type = buf[pos + 1] as number;
    const size = (readU16(buf, pos + 2) + 1) * 4;
    if (b0 >> 6 !== 2 || type < 192 || type > 223 || pos + size > end) {
      if (first) return null;
      break;
    }
    const count = b0 & 0x1f;
    if (type === 200 && size >= 28) {
      const ntpSeconds = readU32(buf, pos + 8);
      const ntpFraction = readU32(buf, pos + 12);
      info.senderReports.push({
        ssrc: readU32(buf, pos + 4),
        ntpSeconds,
        ntpFraction,
        ntpUnixMs: ntpToUnixMs(ntpSeconds, ntpFraction),
        rtpTimestamp: readU32(buf, pos + 16),
        packetCount: readU32(buf, pos + 20),
        octetCount: readU32(buf, pos + 24),
      });
    } else if (type === 203) {
      for (let i = 0; i < count && 8 + i * 4 <= size; i++) info.bye.push(readU32(buf, pos + 4 + i * 4));
    }
    first = false;
    pos += size;
  }
  return info;
}

export interface ReceptionReport {
  ssrc: number;
  /** 0..255: fraction of packets lost since the last report, times 256. */
  fractionLost: number;
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | seq). */
  highestSequence: number;
  jitter: number;
  /** Middle 32 bits of the last SR's NTP timestamp, 0 if none. */
  lastSr: number;
  /** Delay since that SR in 1/65536 s, 0 if none. */
  delaySinceLastSr: number;
}

/** The middle 32 bits of an NTP timestamp, as an RR's LSR field wants them. */
export function compactNtp(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/** Builds an RTCP Receiver Report (PT 201) with up to 31 report blocks. */
export function buildReceiverReport(ssrc: number, reports: ReceptionReport[] = []): Uint8Array {
  const blocks = reports.slice(0, 31);
  const out = new Uint8Array(8 + blocks.length * 24);
  const view = new DataView(out.buffer);
  out[0] = 0x80 | blocks.length;
  out[1] = 201;
  view.setUint16(2, out.length / 4 - 1);
  view.setUint32(4, ssrc >>> 0);
  blocks.forEach((r, i) => {
    const o = 8 + i * 24;
    view.setUint32(o, r.ssrc >>> 0);
    // Cumulative loss is a signed 24-bit field; clamp rather than wrap.
    const lost = Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(r.cumulativeLost)));
    view.setUint32(o + 4, (((r.fractionLost & 0xff) << 24) | (lost & 0xffffff)) >>> 0);
    view.setUint32(o + 8, r.highestSequence >>> 0);
    view.setUint32(o + 12, r.jitter >>> 0);
    view.setUint32(o + 16, r.lastSr >>> 0);
    view.setUint32(o + 20, r.delaySinceLastSr >>> 0);
  });
  return out;
}
