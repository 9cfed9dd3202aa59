/** SDP for DESCRIBE and parsing of the SETUP Transport header. */
import type { PacketizedClip } from '../media/packetizer.ts';
import { RTP_PAYLOAD_TYPE } from '../media/packetizer.ts';

export interface SdpInput {
  clip: PacketizedClip;
  sessionId: string;
  title: string;
  info: string;
  kbps: number;
}

export function buildSdp({ clip, sessionId, title, info, kbps }: SdpInput): string {
  const pt = RTP_PAYLOAD_TYPE;
  const b64 = (b: Buffer): string => b.toString('base64');
  const { sps, pps, vps } = clip.params;
  const media =
    clip.codec === 'h264'
      ? [
          `a=rtpmap:${pt} H264/90000`,
          `a=fmtp:${pt} packetization-mode=1;profile-level-id=${sps.subarray(1, 4).toString('hex').toUpperCase()};sprop-parameter-sets=${b64(sps)},${b64(pps)}`,
        ]
      : [
          `a=rtpmap:${pt} H265/90000`,
          `a=fmtp:${pt} sprop-vps=${vps ? b64(vps) : ''};sprop-sps=${b64(sps)};sprop-pps=${b64(pps)}`,
        ];
  return [
    'v=0',
    `o=- ${sessionId} 1 IN IP4 127.0.0.1`,
    `s=${title}`,
    `i=${info}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=tool:kuzet-sim',
    'a=type:broadcast',
    'a=control:*',
    'a=range:npt=now-',
    `m=video 0 RTP/AVP ${pt}`,
    `b=AS:${kbps}`,
    ...media,
    'a=framerate:25',
    'a=control:trackID=0',
    '',
  ].join('\r\n');
}

export type TransportSpec =
  { kind: 'tcp'; channels: [number, number] } | { kind: 'udp'; clientPorts: [number, number] };

/** The first alternative we can serve: unicast RTP over TCP (interleaved) or UDP. */
export function parseTransport(header: string | undefined): TransportSpec | undefined {
  if (!header) return undefined;
  for (const alt of header.split(',')) {
    const parts = alt.split(';').map((s) => s.trim());
    const proto = (parts[0] ?? '').toUpperCase();
    const params = new Map(
      parts.slice(1).map((p) => {
        const eq = p.indexOf('=');
        return eq < 0 ? [p.toLowerCase(), ''] : [p.slice(0, eq).toLowerCase(), p.slice(eq + 1)];
      }),
    );
    if (params.has('multicast')) continue;
    const range = (v: string | undefined, max: number): [number, number] | undefined => {
      const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(v ?? '');
      if (!m) return undefined;
      const a = Number(m[1]);
      const b = m[2] !== undefined ? Number(m[2]) : a + 1;
      return a <= max && b <= max ? [a, b] : undefined;
    };
    if (proto === 'RTP/AVP/TCP') {
      const ch = params.has('interleaved') ? range(params.get('interleaved'), 255) : [0, 1];
      if (ch) return { kind: 'tcp', channels: ch as [number, number] };
    } else if (proto === 'RTP/AVP' || proto === 'RTP/AVP/UDP') {
      const ports = range(params.get('client_port'), 65535);
      if (ports && ports[0] > 0) return { kind: 'udp', clientPorts: ports };
    }
  }
  return undefined;
}
