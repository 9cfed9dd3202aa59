export { parseRtpPacket, createRtpPacket, type RtpPacket } from './rtp-packet.ts';
export {
  parseRtcp,
  buildReceiverReport,
  ReceiverStatistics,
  compactNtp,
  ntpToUnixMs,
  type RtcpInfo,
  type RtcpSenderReport,
  type ReceptionReport,
} from './rtcp.ts';
export { RtpDepacketizer, type DepacketizerOptions, type DepacketizerStats, type DropReason } from './depacketizer.ts';
export { H264Depacketizer } from './h264-depacketizer.ts';
export { H265Depacketizer } from './h265-depacketizer.ts';
export { ReorderBuffer, type ReorderBufferOptions, type ReorderStats } from './reorder-buffer.ts';
