/**
 * RTP/RTCP intake for the one video track of a session, whatever the transport:
 * RTP packets are parsed into one reused object and fed to the depacketizer; RTCP
 * sender reports are remembered for the receiver reports we send back.
 */
import type { AccessUnit, VideoParameterSets } from '../types.ts';
import type { DepacketizerOptions, DepacketizerStats, RtpDepacketizer } from '../rtp/depacketizer.ts';
import { H264Depacketizer } from '../rtp/h264-depacketizer.ts';
import { H265Depacketizer } from '../rtp/h265-depacketizer.ts';
import { buildReceiverReport, compactNtp, parseRtcp, type RtcpSenderReport } from '../rtp/rtcp.ts';
import { createRtpPacket, parseRtpPacket } from '../rtp/rtp-packet.ts';
import type { VideoTrack } from './sdp.ts';

export interface MediaReceiverOptions {
  depacketizer?: Pick<DepacketizerOptions, 'maxNaluBytes' | 'maxAccessUnitBytes' | 'waitForKeyframe' | 'onDrop'>;
  onAccessUnit: (au: AccessUnit) => void;
  onParameterSets?: (ps: VideoParameterSets) => void;
  onSenderReport?: (sr: RtcpSenderReport) => void;
  onBye: () => void;
}

export interface MediaStats extends DepacketizerStats {
  /** RTP packets that failed to parse or carried another payload type. */
  badPackets: number;
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
  }

  get stats(): MediaStats {
    return { ...this.depack.stats, badPackets: this.badPackets };
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
    this.depack.push(p, now);
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
        fractionLost: 0,
        cumulativeLost: this.depack.stats.lostPackets,
        highestSequence: this.pkt.sequenceNumber, // wrap cycles not tracked: informative only
        jitter: 0,
        lastSr: this.lastSr?.compact ?? 0,
        delaySinceLastSr: this.lastSr ? Math.round(((Date.now() - this.lastSr.at) / 1000) * 65536) : 0,
      },
    ]);
  }
}
