/**
 * Just enough SDP (RFC 4566) for an RTSP ingest: media sections, rtpmap, fmtp and
 * control attributes, and the choice of the video track. Lenient and never throws:
 * cameras write SDP with every imaginable quirk.
 */
import type { VideoCodec } from '../types.ts';

export interface RtpMap {
  /** Encoding name as written, e.g. 'H264'. */
  encoding: string;
  clockRate: number;
  channels: number | null;
}

export interface SdpMedia {
  /** 'video', 'audio', 'application', ... */
  type: string;
  port: number;
  protocol: string;
  formats: number[];
  control: string | null;
  rtpmap: Map<number, RtpMap>;
  /** fmtp parameters per payload type; names lower-cased. */
  fmtp: Map<number, Record<string, string>>;
}

export interface SdpSession {
  /** Session-level a=control, if any. */
  control: string | null;
  media: SdpMedia[];
}

const MAX_MEDIA = 64;

export function parseSdp(text: string): SdpSession {
  const session: SdpSession = { control: null, media: [] };
  let media: SdpMedia | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length < 2 || line[1] !== '=') continue;
    const value = line.slice(2);
    if (line[0] === 'm') {
      if (session.media.length >= MAX_MEDIA) break;
      const [type = '', port = '', protocol = '', ...formats] = value.split(/\s+/);
      media = {
        type: type.toLowerCase(),
        port: Number.parseInt(port, 10) || 0,
        protocol,
        formats: formats.map((f) => Number.parseInt(f, 10)).filter((f) => f >= 0 && f < 128),
        control: null,
        rtpmap: new Map(),
        fmtp: new Map(),
      };
      session.media.push(media);
    } else if (line[0] === 'a') {
      const colon = value.indexOf(':');
      const name = (colon < 0 ? value : value.slice(0, colon)).toLowerCase();
      const arg = colon < 0 ? '' : value.slice(colon + 1).trim();
      if (name === 'control') {
        if (media) media.control = arg;
        else session.control = arg;
      } else if (media && (name === 'rtpmap' || name === 'fmtp')) {
        const m = /^(\d+)\s+(.*)$/.exec(arg);
        if (!m) continue;
        const pt = Number(m[1]);
        if (name === 'rtpmap') media.rtpmap.set(pt, parseRtpMap(m[2] as string));
        else media.fmtp.set(pt, parseFmtp(m[2] as string));
      }
    }
  }
  return session;
}

function parseRtpMap(s: string): RtpMap {
  const [encoding = '', rate = '', channels] = s.trim().split('/');
  return {
    encoding: encoding.trim(),
    clockRate: Number.parseInt(rate, 10) || 0,
    channels: channels === undefined ? null : Number.parseInt(channels, 10) || null,
  };
}

function parseFmtp(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(';')) {
    const eq = part.indexOf('='); // base64 values contain '=': split at the first only
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Decodes a comma-separated list of base64 NAL units (sprop-parameter-sets, sprop-sps, ...). */
export function decodeSprop(value: string | undefined): Uint8Array[] {
  if (!value) return [];
  return value
    .split(',')
    .map((b) => new Uint8Array(Buffer.from(b.trim(), 'base64')))
    .filter((n) => n.length > 0);
}

export interface VideoTrack {
  codec: VideoCodec;
  payloadType: number;
  clockRate: number;
  /** The media's a=control, unresolved. */
  control: string | null;
  /** Out-of-band parameter sets from fmtp, to seed the depacketizer. */
  parameterSets: Uint8Array[];
  /** H.264 profile-level-id (hex) when given. */
  profileLevelId: string | null;
  media: SdpMedia;
}

/**
 * The first video track we can depacketize: H.264 in packetization mode 0 or 1, or
 * H.265 without DONL (sprop-max-don-diff absent or 0). Null if there is none.
 */
export function findVideoTrack(sdp: SdpSession): VideoTrack | null {
  for (const media of sdp.media) {
    if (media.type !== 'video') continue;
    for (const pt of media.formats) {
      const map = media.rtpmap.get(pt);
      const enc = map?.encoding.toUpperCase();
      const fmtp = media.fmtp.get(pt) ?? {};
      const clockRate = map?.clockRate || 90000;
      if (enc === 'H264') {
        if (Number(fmtp['packetization-mode'] ?? 0) > 1) continue;
        return {
          codec: 'h264',
          payloadType: pt,
          clockRate,
          control: media.control,
          parameterSets: decodeSprop(fmtp['sprop-parameter-sets']),
          profileLevelId: fmtp['profile-level-id'] ?? null,
          media,
        };
      }
      if (enc === 'H265' || enc === 'HEVC') {
        if (Number(fmtp['sprop-max-don-diff'] ?? 0) > 0) continue;
        return {
          codec: 'h265',
          payloadType: pt,
          clockRate,
          control: media.control,
          parameterSets: [
            ...decodeSprop(fmtp['sprop-vps']),
            ...decodeSprop(fmtp['sprop-sps']),
            ...decodeSprop(fmtp['sprop-pps']),
          ],
          profileLevelId: null,
          media,
        };
      }
    }
  }
  return null;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Resolves a control attribute against the base (Content-Base, else Content-Location,
 * else the DESCRIBE URL). Relative controls are appended with a '/' as ffmpeg and
 * live555 do, not RFC 3986-resolved: cameras send a base without a trailing slash
 * ("rtsp://cam/stream1" + "trackID=1") and expect "rtsp://cam/stream1/trackID=1".
 */
export function resolveControlUrl(base: string, control: string | null): string {
  if (control === null || control === '' || control === '*') return base;
  if (ABSOLUTE.test(control)) return control;
  if (control.startsWith('/')) {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(base);
    return (m ? m[1] : '') + control;
  }
  return base + (base.endsWith('/') ? '' : '/') + control;
}
