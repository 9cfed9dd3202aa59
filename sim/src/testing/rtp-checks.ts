/** Checks a received RTP stream the way a strict depacketizer would. */
import type { RtpPacket } from './rtsp-client.ts';

export interface StreamReport {
  packets: number;
  frames: number;
  problems: string[];
  /** arrival time of each frame's last packet */
  frameArrivals: number[];
  tsSteps: number[];
  fuPackets: number;
}

export function checkRtpStream(packets: RtpPacket[], codec: 'h264' | 'h265' = 'h264'): StreamReport {
  const problems: string[] = [];
  const frameArrivals: number[] = [];
  const tsSteps: number[] = [];
  let fuOpen = false;
  let fuPackets = 0;
  packets.forEach((p, i) => {
    const prev = packets[i - 1];
    if (p.pt !== 96) problems.push(`packet ${i}: pt ${p.pt}`);
    if (prev) {
      if (p.seq !== ((prev.seq + 1) & 0xffff)) problems.push(`packet ${i}: seq ${prev.seq} → ${p.seq}`);
      if (p.ssrc !== prev.ssrc) problems.push(`packet ${i}: ssrc changed`);
      if (p.ts !== prev.ts) {
        if (!prev.marker) problems.push(`packet ${i - 1}: frame ended without marker`);
        tsSteps.push((p.ts - prev.ts) >>> 0);
      } else if (prev.marker) {
        problems.push(`packet ${i}: same timestamp after a marker`);
      }
    }
    if (p.marker) frameArrivals.push(p.at);
    const type = codec === 'h264' ? (p.payload[0] ?? 0) & 0x1f : ((p.payload[0] ?? 0) >> 1) & 0x3f;
    const fuType = codec === 'h264' ? 28 : 49;
    if (type === fuType) {
      fuPackets++;
      const fuh = p.payload[codec === 'h264' ? 1 : 2] ?? 0;
      const s = (fuh & 0x80) !== 0;
      const e = (fuh & 0x40) !== 0;
      if (s && fuOpen) problems.push(`packet ${i}: FU start inside a fragment`);
      if (!s && !fuOpen && i > 0) problems.push(`packet ${i}: FU continuation without start`);
      if (s && e) problems.push(`packet ${i}: FU with both S and E`);
      fuOpen = s || fuOpen ? !e : false;
      if (e && !p.marker && packets[i + 1]?.ts !== p.ts)
        problems.push(`packet ${i}: FU end without marker at frame end`);
    } else if (fuOpen) {
      problems.push(`packet ${i}: fragment interrupted`);
      fuOpen = false;
    }
  });
  return { packets: packets.length, frames: frameArrivals.length, problems, frameArrivals, tsSteps, fuPackets };
}
