/** RTSP header helpers (Transport, Session, Public) and the UDP port pair for RTP/RTCP. */
import dgram from 'node:dgram';

/** Parses one Transport spec: 'RTP/AVP/TCP;unicast;interleaved=0-1' → { 'rtp/avp/tcp': '', ... }. */
export function parseTransport(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  const first = header.split(',')[0] ?? ''; // a server answers with one; take the first
  for (const part of first.split(';')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key)
      out.set(
        key,
        eq < 0
          ? ''
          : part
              .slice(eq + 1)
              .trim()
              .replace(/^"|"$/g, ''),
      );
  }
  return out;
}

/** '0-1' → [0, 1]; '5000' → [5000, 5001]; null when absent or invalid. */
export function parsePair(v: string | undefined, max: number): [number, number] | null {
  const m = v === undefined ? null : /^(\d+)(?:-(\d+))?$/.exec(v);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a + 1 : Number(m[2]);
  return a <= max && b <= max ? [a, b] : null;
}

/** 'abc123;timeout=30' → { id: 'abc123', timeoutS: 30 }; default timeout 60 s (RFC 2326). */
export function parseSession(header: string | undefined): { id: string; timeoutS: number } | null {
  if (!header) return null;
  const [id = '', ...params] = header.split(';');
  if (!id.trim()) return null;
  let timeoutS = 60;
  for (const p of params) {
    const m = /^\s*timeout\s*=\s*(\d+)\s*$/i.exec(p);
    if (m && Number(m[1]) > 0) timeoutS = Number(m[1]);
  }
  return { id: id.trim(), timeoutS };
}

export interface UdpPair {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  /** The even RTP port; RTCP is port + 1. */
  port: number;
}

function bind(sock: dgram.Socket, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = () => resolve(false);
    sock.once('error', onError);
    sock.bind(port, () => {
      sock.off('error', onError);
      resolve(true);
    });
  });
}

const closeQuietly = (s: dgram.Socket) => {
  try {
    s.close();
  } catch {
    // already closed
  }
};

/**
 * SO_RCVBUF of an RTP socket. A camera sends a keyframe as a burst (a 1080p IDR is
 * ~110 datagrams, ~150 kB, sent within a millisecond or two); Linux's default of 208 kB
 * counts each datagram's kernel overhead too and overflowed on a busy machine, losing
 * ~4 % of the packets on top of the network's. The kernel caps it at net.core.rmem_max.
 */
const RTP_RECV_BUFFER = 2 * 1024 * 1024;

/** Client ports for RTP/RTCP: an inclusive range, or null for the OS's ephemeral ports. */
export type UdpPortRange = { min: number; max: number } | null;

/**
 * Binds two UDP sockets on an even/odd port pair (RFC 3550 §11). With a range, pairs
 * are tried from a random even port of it onwards (wrapping), so sessions that start
 * together do not race for the same pair; without one, the OS picks a port and we keep
 * it if it is even and the next one is free. Every socket of a failed try is closed.
 */
export async function bindUdpPair(type: 'udp4' | 'udp6', range: UdpPortRange = null, attempts = 64): Promise<UdpPair | null> {
  const lo = range ? range.min + (range.min % 2) : 0;
  const pairs = range ? Math.floor((range.max - lo + 1) / 2) : 0;
  if (range && pairs <= 0) return null;
  const first = range ? Math.floor(Math.random() * pairs) : 0;
  const tries = range ? Math.min(pairs, Math.max(attempts, 512)) : attempts;
  for (let n = 0; n < tries; n++) {
    const want = range ? lo + ((first + n) % pairs) * 2 : 0;
    const rtp = dgram.createSocket({ type, recvBufferSize: RTP_RECV_BUFFER });
    if (!(await bind(rtp, want))) {
      closeQuietly(rtp);
      continue;
    }
    const port = rtp.address().port;
    if (port % 2 === 0 && port < 65535) {
      const rtcp = dgram.createSocket(type);
      if (await bind(rtcp, port + 1)) return { rtp, rtcp, port };
      closeQuietly(rtcp);
    }
    closeQuietly(rtp);
  }
  return null;
}

/** '40000-40999' → { min: 40000, max: 40999 }; 'ephemeral' or '0' → null; throws on anything else. */
export function parsePortRange(text: string): UdpPortRange {
  const t = text.trim().toLowerCase();
  if (t === 'ephemeral' || t === '0') return null;
  const m = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(t);
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min < 1024 || max > 65535 || max - min < 1) throw new Error(`not a UDP port range (e.g. 50000-59999, or 'ephemeral'): ${text}`);
  return { min, max };
}

export function closeUdpPair(pair: UdpPair | null): void {
  if (!pair) return;
  closeQuietly(pair.rtp);
  closeQuietly(pair.rtcp);
}
