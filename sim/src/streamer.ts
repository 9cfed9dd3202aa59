/**
 * Media sessions and the pacer: one shared 10 ms timer sends every due frame of every
 * playing session. Each camera has its own clock (epoch), so all viewers of a camera see
 * the same frame at the same moment, starting from "now" like a real camera; RTP
 * timestamps and sequence numbers run on across loop iterations.
 *
 * Per frame and viewer the cost is one allocation, one memcpy of the precomputed packets
 * and a few header bytes patched; TCP gets the whole frame in one socket write.
 */
import { randomFillSync, randomInt } from 'node:crypto';
import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { FRAME_MS, type CameraRuntime, type StreamRuntime } from './camera.ts';
import { INTERLEAVE_HEADER } from './media/packetizer.ts';
import { isPictureFault } from './types.ts';

export type SessionTransport =
  { kind: 'tcp'; channels: [number, number] } | { kind: 'udp'; address: string; ports: [number, number] };

const TICK_MS = 10;
const SR_INTERVAL_MS = 5000;
/** behind by more than this (event loop stalled) → skip ahead rather than burst */
const MAX_CATCH_UP_FRAMES = 25;
/** a TCP viewer this far behind is congested: drop frames until the next keyframe */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const DEFAULT_END_AFTER_MS = 2000;

export class MediaSession {
  readonly ssrc = randomInt(0x7fffffff);
  readonly tsBase = randomInt(0x7fffffff);
  seq = randomInt(0xffff);
  /** next camera frame (not wrapped) to send */
  next = 0;
  playing = false;
  waitKey = false;
  playStartMono = 0;
  lastSeenMono: number;
  lastSrMono = 0;
  packets = 0;
  octets = 0;
  closed = false;

  constructor(
    readonly id: string,
    readonly camera: CameraRuntime,
    readonly stream: StreamRuntime,
    readonly transport: SessionTransport,
    /** the RTSP connection that owns the session (carries interleaved media for TCP) */
    readonly control: Socket,
    now: number,
  ) {
    this.lastSeenMono = now;
  }

  rtpTime(frame: number): number {
    return (this.tsBase + ((frame * 3600) % 0x100000000)) >>> 0;
  }
}

export interface UdpPair {
  rtp: UdpSocket;
  rtcp: UdpSocket;
}

export class Pacer {
  private readonly playing = new Set<MediaSession>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly udp: UdpPair,
    /** called when the pacer itself ends a session (fault `end`), so counts drop at once */
    private readonly onEnded: (s: MediaSession) => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  currentFrame(camera: CameraRuntime): number {
    return Math.floor((this.now() - camera.epochMono) / FRAME_MS);
  }

  /** Starts (or resumes) at the camera's current frame; returns the first frame to be sent. */
  play(s: MediaSession): number {
    s.next = this.currentFrame(s.camera);
    s.playing = true;
    s.playStartMono = this.now();
    s.lastSrMono = s.playStartMono - SR_INTERVAL_MS; // first sender report right after the first frame
    this.playing.add(s);
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
    return s.next;
  }

  pause(s: MediaSession): void {
    s.playing = false;
    this.playing.delete(s);
    if (this.playing.size === 0) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.playing.clear();
    this.stopTimer();
  }

  tick(): void {
    const now = this.now();
    for (const s of this.playing) {
      if (s.closed || s.control.destroyed) {
        this.pause(s);
        continue;
      }
      const fault = s.camera.fault;
      if (fault.kind === 'end' && now - s.playStartMono >= (fault.afterMs ?? DEFAULT_END_AFTER_MS)) {
        this.endMidFrame(s);
        continue;
      }
      const due = Math.floor((now - s.camera.epochMono) / FRAME_MS);
      if (due - s.next > MAX_CATCH_UP_FRAMES) {
        s.next = due;
        s.waitKey = true;
      }
      for (; s.next <= due && s.playing; s.next++) {
        if (fault.kind === 'stall' || fault.kind === 'offline') continue;
        if (fault.kind === 'garbage') this.sendGarbage(s);
        else this.sendFrame(s, s.next);
      }
      if (now - s.lastSrMono >= SR_INTERVAL_MS && (fault.kind === 'none' || isPictureFault(fault.kind)))
        this.sendSenderReport(s, now);
    }
  }

  private sendFrame(s: MediaSession, frame: number): void {
    const clip = s.camera.clipAt(s.stream, frame);
    const f = frame % clip.frameCount;
    if (s.waitKey && !clip.keyframe[f]) return;
    const t = s.transport;
    if (t.kind === 'tcp' && s.control.writableLength > MAX_QUEUED_BYTES) {
      s.waitKey = true; // congested viewer: drop, then resume cleanly at a keyframe
      return;
    }
    s.waitKey = false;
    const start = clip.frameStart[f] as number;
    const end = clip.frameStart[f + 1] as number;
    const out = Buffer.allocUnsafe(end - start);
    clip.data.copy(out, 0, start, end);
    const ts = s.rtpTime(frame);
    const ssrc = s.ssrc;
    const channel = t.kind === 'tcp' ? t.channels[0] : 0;
    const udpLoss = s.camera.config.udpLossPercent ?? 0;
    const p1 = clip.framePacket[f + 1] as number;
    for (let p = clip.framePacket[f] as number; p < p1; p++) {
      const o = (clip.packetStart[p] as number) - start;
      out[o + 1] = channel;
      out[o + 6] = s.seq >>> 8;
      out[o + 7] = s.seq & 0xff;
      out[o + 8] = ts >>> 24;
      out[o + 9] = (ts >>> 16) & 0xff;
      out[o + 10] = (ts >>> 8) & 0xff;
      out[o + 11] = ts & 0xff;
      out[o + 12] = ssrc >>> 24;
      out[o + 13] = (ssrc >>> 16) & 0xff;
      out[o + 14] = (ssrc >>> 8) & 0xff;
      out[o + 15] = ssrc & 0xff;
      s.seq = (s.seq + 1) & 0xffff;
      if (t.kind === 'udp' && udpLoss > 0 && s.camera.udpLossRand() * 100 < udpLoss) s.camera.udp.dropped++;
      else if (t.kind === 'udp') {
        s.camera.udp.sent++;
        const len = (clip.packetStart[p + 1] as number) - (clip.packetStart[p] as number) - INTERLEAVE_HEADER;
        this.udp.rtp.send(out, o + INTERLEAVE_HEADER, len, t.ports[0], t.address);
      }
    }
    if (t.kind === 'tcp') s.control.write(out);
    s.packets += p1 - (clip.framePacket[f] as number);
    s.octets += end - start - (p1 - (clip.framePacket[f] as number)) * 16;
  }

  private sendGarbage(s: MediaSession): void {
    const clip = s.stream.clip;
    const f = s.next % clip.frameCount;
    const size = Math.min(64 * 1024, (clip.frameStart[f + 1] as number) - (clip.frameStart[f] as number));
    const junk = randomFillSync(Buffer.allocUnsafe(Math.max(16, size)));
    const t = s.transport;
    if (t.kind === 'tcp') s.control.write(junk);
    else
      for (let o = 0; o < junk.length; o += 1200)
        this.udp.rtp.send(junk, o, Math.min(1200, junk.length - o), t.ports[0], t.address);
  }

  /** Cuts the stream the way a crashing camera does: half a frame, then FIN. */
  endMidFrame(s: MediaSession): void {
    const wasPlaying = s.playing;
    this.pause(s);
    s.closed = true;
    const clip = s.stream.clip;
    const f = s.next % clip.frameCount;
    const start = clip.frameStart[f] as number;
    const half = Math.max(1, Math.floor(((clip.frameStart[f + 1] as number) - start) / 2));
    if (wasPlaying && s.transport.kind === 'tcp' && !s.control.destroyed)
      s.control.end(Buffer.from(clip.data.subarray(start, start + half)));
    else s.control.end();
    this.onEnded(s);
  }

  private sendSenderReport(s: MediaSession, now: number): void {
    s.lastSrMono = now;
    const wall = Date.now();
    const sr = Buffer.alloc(INTERLEAVE_HEADER + 28);
    sr[0] = 0x24;
    sr[1] = s.transport.kind === 'tcp' ? s.transport.channels[1] : 0;
    sr.writeUInt16BE(28, 2);
    sr[4] = 0x80;
    sr[5] = 200;
    sr.writeUInt16BE(6, 6);
    sr.writeUInt32BE(s.ssrc, 8);
    sr.writeUInt32BE((Math.floor(wall / 1000) + 2208988800) >>> 0, 12);
    sr.writeUInt32BE(Math.floor(((wall % 1000) / 1000) * 0x100000000) >>> 0, 16);
    sr.writeUInt32BE((s.tsBase + Math.round(((now - s.camera.epochMono) * 90) % 0x100000000)) >>> 0, 20);
    sr.writeUInt32BE(s.packets >>> 0, 24);
    sr.writeUInt32BE(s.octets >>> 0, 28);
    const t = s.transport;
    if (t.kind === 'tcp') s.control.write(sr);
    else this.udp.rtcp.send(sr, INTERLEAVE_HEADER, 28, t.ports[1], t.address);
  }
}
