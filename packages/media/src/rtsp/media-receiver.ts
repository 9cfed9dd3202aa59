/**
 * RTP/RTCP intake for the one video track of a session, whatever the transport:
 * RTP packets are parsed into one reused object and fed to the depacketizer; RTCP
 * sender reports are remembered for the receiver reports we send back, which carry
 * real reception statistics (RFC 3550 A.1/A.3/A.8). Over UDP (`reorder`) packets
 * pass a small reorder buffer first; over TCP they cannot be out of order.
 */
import type { AccessUnit, VideoParameterSets } from '../types.ts';
import type { DepacketizerOptions, DepacketizerStats, RtpDepacketizer } from '../rtp/depacketizer.ts';
import { H264Depacketizer } from '../rtp/h264-depacketizer.ts';
import { H265Depacketizer } from '../rtp/h265-depacketizer.ts';
import { ReorderBuffer, type ReorderBufferOptions } from '../rtp/reorder-buffer.ts';
import { buildReceiverReport, compactNtp, parseRtcp, ReceiverStatistics, type RtcpSenderReport } from '../rtp/rtcp.ts';
import { createRtpPacket, parseRtpPacket } from '../rtp/rtp-packet.ts';
import type { VideoTrack } from './sdp.ts';

export interface MediaReceiverOptions {
  depacketizer?: Pick<DepacketizerOptions, 'maxNaluBytes' | 'maxAccessUnitBytes' | 'waitForKeyframe' | 'onDrop'>;
  onAccessUnit: (au: AccessUnit) => void;
  onParameterSets?: (ps: VideoParameterSets) => void;
  onSenderReport?: (sr: RtcpSenderReport) => void;
  onBye: () => void;
  /** UDP: put packets back in sequence order (capacity, wait). Absent: fed as they come. */
  reorder?: Omit<ReorderBufferOptions, 'emit'>;
}

export interface MediaStats extends DepacketizerStats {
  /** RTP packets that failed to parse or carried another payload type. */
  badPackets: number;
  /** UDP: packets that came after a later one and were put back in order. */
  reorderedPackets: number;
  /** Packets expected but not received, as the RTCP receiver report states it (RFC 3550 A.3). */
  rtcpCumulativeLost: number;
  /** Interarrival jitter, milliseconds (RFC 3550 A.8). */
  jitterMs: number;
}

export class MediaReceiver {
  /** Arrival time of the latest valid RTP packet (the stall watchdog reads it). */
  lastMediaAt = 0;
  private badPackets = 0;
  private mediaSsrc = -1;
  private lastSr: { compact: number; at: number } | null = null;
  private readonly pkt = createRtpPacket();
  private readonly depack: RtpDepacketizer;
  private readonly ssrc = (Math.random() * 0x1_0000_0000) >>> 0;
  private readonly reception: ReceiverStatistics;
  private readonly reorder: ReorderBuffer | null;
  private reorderTimer: NodeJS.Timeout | null = null;
  private reorderDue = 0;
  private closed = false;

  constructor(
    private readonly track: VideoTrack,
    private readonly opts: MediaReceiverOptions,
  ) {
    const dopts: DepacketizerOptions = {
      ...opts.depacketizer,
      onAccessUnit: opts.onAccessUnit,
      onParameterSets: opts.onParameterSets,
    };
    this.depack = track.codec === 'h264' ? new H264Depacketizer(dopts) : new H265Depacketizer(dopts);
    this.depack.seedParameterSets(track.parameterSets);
    this.reception = new ReceiverStatistics(track.clockRate);
    this.reorder = opts.reorder ? new ReorderBuffer({ ...opts.reorder, emit: (buf, at) => this.deliver(buf, 0, buf.length, at) }) : null;
  }

  get stats(): MediaStats {
    return {
      ...this.depack.stats,
      // Late packets the reorder buffer dropped never reach the depacketizer: count them here.
      latePackets: this.depack.stats.latePackets + (this.reorder?.stats.late ?? 0),
      badPackets: this.badPackets,
      reorderedPackets: this.reorder?.stats.reordered ?? 0,
      rtcpCumulativeLost: this.reception.cumulativeLost,
      jitterMs: Math.round((this.reception.jitter / this.track.clockRate) * 1000 * 10) / 10,
    };
  }

  /** Stops the reorder timer; held packets are dropped with the session. */
  close(): void {
    this.closed = true;
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderTimer = null;
  }

  /** Bytes held by the depacketizer for the access unit in progress. */
  get bufferedBytes(): number {
    return this.depack.bufferedBytes;
  }

  rtp(buf: Uint8Array, offset: number, length: number, now: number): void {
    const p = parseRtpPacket(buf, offset, length, this.pkt);
    if (!p || p.payloadType !== this.track.payloadType) {
      this.badPackets++;
      return;
    }
    this.lastMediaAt = now;
    this.mediaSsrc = p.ssrc;
    this.reception.update(p.sequenceNumber, p.timestamp, now);
    if (!this.reorder) {
      this.depack.push(p, now);
      return;
    }
    this.reorder.push(offset === 0 && length === buf.length ? buf : buf.subarray(offset, offset + length), p.sequenceNumber, now);
    this.armReorder();
  }

  /** A packet the reorder buffer releases: parsed again (the reused object moved on). */
  private deliver(buf: Uint8Array, offset: number, length: number, at: number): void {
    const p = parseRtpPacket(buf, offset, length, this.pkt);
    if (p && !this.closed) this.depack.push(p, at);
  }

  /** One timer while packets wait for a hole to fill; none in the in-order case. */
  private armReorder(): void {
    const due = this.reorder?.deadline ?? null;
    if (due === null || this.closed) return;
    if (this.reorderTimer && this.reorderDue <= due) return;
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderDue = due;
    this.reorderTimer = setTimeout(() => {
      this.reorderTimer = null;
      this.reorder?.expire(Date.now());
      this.armReorder();
    }, Math.max(1, due - Date.now())).unref();
  }

  rtcp(buf: Uint8Array, offset: number, length: number): void {
    const info = parseRtcp(buf, offset, length);
    if (!info) return;
    for (const sr of info.senderReports) {
      this.lastSr = { compact: compactNtp(sr.ntpSeconds, sr.ntpFraction), at: Date.now() };
      this.opts.onSenderReport?.(sr);
    }
    if (info.bye.length > 0) this.opts.onBye();
  }

  /** An RR with one report block: some cameras stop sending without RTCP from the receiver. */
  receiverReport(): Uint8Array {
    if (this.mediaSsrc < 0) return buildReceiverReport(this.ssrc);
    return buildReceiverReport(this.ssrc, [
      {
        ssrc: this.mediaSsrc,
        ...this.reception.nextInterval(),
        lastSr: this.lastSr?.compact ?? 0,
        delaySinceLastSr: this.lastSr ? Math.round(((Date.now() - this.lastSr.at) / 1000) * 65536) : 0,
      },
    ]);
  }
}
