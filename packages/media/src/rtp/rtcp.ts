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

/**
 * Reception statistics of one source for its Receiver Reports (RFC 3550 A.1, A.3,
 * A.8): the extended highest sequence number with wrap cycles, cumulative and
 * fractional loss, and interarrival jitter. Fed with every RTP packet in arrival
 * order (before any reordering), a few additions per packet.
 */
export class ReceiverStatistics {
  /** Packets received (duplicates included, as A.3 counts them). */
  received = 0;
  private baseSeq = -1;
  private maxSeq = 0;
  /** Sequence number wraps, times 65536. */
  private cycles = 0;
  private badSeq = -1;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit = NaN;
  /** Interarrival jitter in timestamp units, kept fractional (A.8 rounds only on output). */
  private jitterValue = 0;

  /** `arrivalMs` on any steady clock; `clockRate` converts it to timestamp units. */
  constructor(private readonly clockRate: number) {}

  update(seq: number, timestamp: number, arrivalMs: number): void {
    if (this.baseSeq < 0) {
      this.restart(seq);
    } else {
      const delta = (seq - this.maxSeq) & 0xffff;
      if (delta < 3000) {
        if (seq < this.maxSeq) this.cycles += 0x10000; // in order, with permissible gap: wrapped
        this.maxSeq = seq;
      } else if (delta <= 0x10000 - 100) {
        // A very large jump: believe it only if the next packet follows (a restarted sender).
        if (seq === this.badSeq) this.restart(seq);
        else {
          this.badSeq = (seq + 1) & 0xffff;
          return;
        }
      }
      // else: duplicate or reordered, counted as received below
    }
    this.received++;
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - timestamp;
    if (!Number.isNaN(this.transit)) {
      // Differences modulo 2^32 so a timestamp wrap is one small step, not a huge one.
      let d = transit - this.transit;
      if (d >= 0x8000_0000 || d < -0x8000_0000) d = ((d % 0x1_0000_0000) + 0x1_0000_0000 + 0x8000_0000) % 0x1_0000_0000 - 0x8000_0000;
      this.jitterValue += (Math.abs(d) - this.jitterValue) / 16;
    }
    this.transit = transit;
  }

  private restart(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.cycles = 0;
    this.badSeq = -1;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.transit = NaN;
  }

  /** Extended highest sequence number received: cycles << 16 | max seq. */
  get extendedHighest(): number {
    return this.baseSeq < 0 ? 0 : this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.baseSeq < 0 ? 0 : this.extendedHighest - this.baseSeq + 1;
  }

  /** Packets expected but not received (negative with duplicates). */
  get cumulativeLost(): number {
    return this.expected - this.received;
  }

  /** Jitter in timestamp units (RFC 3550 A.8), as the RR carries it. */
  get jitter(): number {
    return Math.trunc(this.jitterValue);
  }

  /**
   * The report block's loss fields. Moves the interval: each call covers the packets
   * since the previous one, so call it once per report sent.
   */
  nextInterval(): { fractionLost: number; cumulativeLost: number; highestSequence: number; jitter: number } {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return { fractionLost: Math.min(255, fractionLost), cumulativeLost: this.cumulativeLost, highestSequence: this.extendedHighest >>> 0, jitter: this.jitter };
  }
}
