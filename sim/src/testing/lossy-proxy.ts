/**
 * A lossy link for tests and benchmarks: an RTSP-aware TCP proxy between a camera and
 * the engine. RTSP requests and answers pass through untouched; on the interleaved
 * RTP frames (`$` channel length) coming from the camera it drops a share of the RTP
 * packets, corrupts a share (bytes of the payload flipped, never the `$` framing nor the
 * RTP header, so the damage lands where a decoder must cope with it) and makes the RTP
 * timestamp jump now and then (at a frame boundary; the offset then stays, as after an
 * encoder restart — small jumps of a few seconds and big ones beyond the depacketizer's
 * confirmation threshold, both directions). RTCP (odd channels) and everything from
 * the client pass through. Seeded: the same seed and packet order give the same damage.
 *
 * Only TCP interleaved media is touched: a UDP session through it gets its RTSP
 * proxied and its media straight from the camera, unharmed.
 */
import net from 'node:net';

export interface LossRates {
  /** % of RTP packets dropped. */
  lossPercent: number;
  /** % of RTP packets whose payload gets 1–3 bytes flipped. */
  corruptPercent: number;
  /** % of the RTP packets carrying parameter sets (SPS/PPS/VPS, STAP-A/AP) corrupted; default corruptPercent. */
  corruptParameterSetPercent?: number;
  /** % of frames after which the timestamp jumps. */
  jumpPercent: number;
}

export interface LossyProxyOptions extends Partial<LossRates> {
  /** Where the camera's RTSP server listens. */
  target: { host: string; port: number };
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  seed?: number;
}

export interface LossyProxyStats {
  connections: number;
  rtpPackets: number;
  dropped: number;
  corrupted: number;
  corruptedParameterSets: number;
  jumps: number;
}

export interface LossyProxy {
  host: string;
  port: number;
  /** The same RTSP URL (credentials, path) through the proxy. */
  url(cameraUrl: string): string;
  /** Changes the rates from now on (e.g. 100 % loss). */
  configure(rates: Partial<LossRates>): void;
  readonly stats: LossyProxyStats;
  close(): Promise<void>;
}

const MAX_HEAD = 64 * 1024;

/** Mulberry32. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startLossyProxy(options: LossyProxyOptions): Promise<LossyProxy> {
  const rand = prng(options.seed ?? 1);
  const rates: LossRates = {
    lossPercent: options.lossPercent ?? 0,
    corruptPercent: options.corruptPercent ?? 0,
    corruptParameterSetPercent: options.corruptParameterSetPercent,
    jumpPercent: options.jumpPercent ?? 0,
  };
  const stats: LossyProxyStats = { connections: 0, rtpPackets: 0, dropped: 0, corrupted: 0, corruptedParameterSets: 0, jumps: 0 };
  const sockets = new Set<net.Socket>();
  const host = options.host ?? '127.0.0.1';

  const server = net.createServer((client) => {
    stats.connections++;
    const upstream = net.connect(options.target.port, options.target.host);
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    const link = new LinkState(rates, stats, rand);
    upstream.on('data', (chunk: Buffer) => {
      const out = link.feed(chunk);
      if (out.length > 0 && !client.write(out)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    host,
    port,
    url: (cameraUrl) => {
      const u = new URL(cameraUrl);
      u.hostname = host;
      u.port = String(port);
      return u.toString();
    },
    configure: (r) => Object.assign(rates, r),
    stats,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The camera → client half of one connection: splits RTSP from `$` frames and damages RTP. */
class LinkState {
  private pending: Buffer = Buffer.alloc(0);
  private h265 = false;
  private frameEnded = true;
  private tsOffset = 0;

  constructor(
    private readonly rates: LossRates,
    private readonly stats: LossyProxyStats,
    private readonly rand: () => number,
  ) {}

  feed(chunk: Buffer): Buffer {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    for (;;) {
      if (buf.length === 0) break;
      if (buf[0] === 0x24) {
        if (buf.length < 4) break;
        const len = buf.readUInt16BE(2);
        if (buf.length < 4 + len) break;
        const frame = this.frame(buf.subarray(0, 4 + len));
        if (frame) out.push(frame);
        buf = buf.subarray(4 + len);
        continue;
      }
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (buf.length > MAX_HEAD) {
          out.push(buf); // not RTSP as we know it: pass it on as it is
          buf = Buffer.alloc(0);
        }
        break;
      }
      const head = buf.subarray(0, headEnd).toString('latin1');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const total = headEnd + 4 + (m ? Number(m[1]) : 0);
      if (buf.length < total) break;
      const message = buf.subarray(0, total);
      if (/H265\/|HEVC/i.test(message.toString('latin1'))) this.h265 = true; // the SDP of DESCRIBE
      out.push(message);
      buf = buf.subarray(total);
    }
    this.pending = Buffer.from(buf); // own the rest: the chunk's memory is not ours to keep
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }

  /** One `$` frame: RTCP and odd channels untouched; RTP maybe dropped, corrupted, re-timed. */
  private frame(frame: Buffer): Buffer | null {
    if ((frame[1] as number) % 2 === 1 || frame.length < 4 + 12) return frame;
    this.stats.rtpPackets++;
    const rtp = frame.subarray(4);
    const startsFrame = this.frameEnded;
    this.frameEnded = ((rtp[1] as number) & 0x80) !== 0; // the marker bit of the original stream
    if (startsFrame && this.chance(this.rates.jumpPercent)) {
      this.tsOffset = (this.tsOffset + this.jump()) >>> 0;
      this.stats.jumps++;
    }
    if (this.chance(this.rates.lossPercent)) {
      this.stats.dropped++;
      return null;
    }
    const out = Buffer.from(frame); // ours to change (the chunk may be shared with the socket)
    const r = out.subarray(4);
    if (this.tsOffset !== 0) r.writeUInt32BE((r.readUInt32BE(4) + this.tsOffset) >>> 0, 4);
    const payload = payloadStart(r);
    if (payload < r.length) {
      const ps = this.carriesParameterSets(r[payload] as number);
      const rate = ps ? (this.rates.corruptParameterSetPercent ?? this.rates.corruptPercent) : this.rates.corruptPercent;
      if (this.chance(rate)) {
        const flips = 1 + Math.floor(this.rand() * 3);
        for (let i = 0; i < flips; i++) {
          const at = payload + Math.floor(this.rand() * (r.length - payload));
          r[at] = (r[at] as number) ^ (1 + Math.floor(this.rand() * 255));
        }
        this.stats.corrupted++;
        if (ps) this.stats.corruptedParameterSets++;
      }
    }
    return out;
  }

  private chance(percent: number): boolean {
    return percent > 0 && this.rand() * 100 < percent;
  }

  /** ±0.5–5 s, or ±1000–10000 s (beyond the ~745 s a depacketizer takes on trust), at 90 kHz. */
  private jump(): number {
    const big = this.rand() < 0.5;
    const seconds = big ? 1000 + this.rand() * 9000 : 0.5 + this.rand() * 4.5;
    const ticks = Math.round(seconds * 90_000);
    return this.rand() < 0.5 ? ticks : -ticks;
  }

  private carriesParameterSets(first: number): boolean {
    if (this.h265) {
      const t = (first >> 1) & 0x3f;
      return t === 48 || (t >= 32 && t <= 34);
    }
    const t = first & 0x1f;
    return t === 24 || t === 7 || t === 8;
  }
}

/** Offset of the RTP payload (after CSRCs and a header extension), or the length when none. */
function payloadStart(r: Buffer): number {
  let o = 12 + ((r[0] as number) & 0x0f) * 4;
  if (((r[0] as number) & 0x10) !== 0 && r.length >= o + 4) o += 4 + r.readUInt16BE(o + 2) * 4;
  return Math.min(o, r.length);
}
