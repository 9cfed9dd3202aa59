import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessUnit, VideoParameterSets } from '../types.ts';
import { syntheticStream, TestPacketizer } from '../rtp/test-helpers.ts';
import type { RtcpSenderReport } from '../rtp/rtcp.ts';
import { RtspError } from './errors.ts';
import { RtspClient, type RtspClientOptions } from './rtsp-client.ts';
import { TestRtspServer, type TestServerOptions } from './test-server.ts';

const H265_SDP = [
  'v=0',
  's=x',
  'm=video 0 RTP/AVP 97',
  'a=rtpmap:97 H265/90000',
  'a=fmtp:97 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwB4mZgJ;sprop-sps=QgEBAWAAAAMAkAAAAwAAAwB4oAPAgBDlmWZJMrwFoCAAAAMAIAAAAwMB;sprop-pps=RAHBcrRiQA==',
  'a=control:video',
  '',
].join('\r\n');

const FIRST_TS = 0xffffffff - 36000; // wraps after 10 frames

function packets(codec: 'h264' | 'h265', count: number) {
  const stream = syntheticStream(codec, count, { gop: 10, firstTs: FIRST_TS, bigFrame: 6000, smallFrame: 1500 });
  const pz = new TestPacketizer(codec, { mtu: 1400, payloadType: codec === 'h264' ? 96 : 97 });
  return { stream, packets: stream.flatMap((au) => pz.packetize(au.nalus, au.ts)) };
}

/** Sockets and UDP sockets alive in this process: the client must leave none. */
function handles(): number {
  return process.getActiveResourcesInfo().filter((t) => ['TCPSocketWrap', 'UDPWrap'].includes(t)).length;
}

/**
 * Timers still pending. getActiveResourcesInfo() does not list unref'd timers, so the
 * globals are wrapped for the duration of each test (vitest keeps its own references).
 */
const liveTimers = new Set<unknown>();
const realTimers = { setTimeout, setInterval, clearTimeout, clearInterval };
function trackTimers(): void {
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const t = realTimers.setTimeout(() => {
      liveTimers.delete(t);
      fn(...args);
    }, ms);
    liveTimers.add(t);
    return t;
  }) as unknown as typeof setTimeout;
  globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const t = realTimers.setInterval(fn, ms, ...args);
    liveTimers.add(t);
    return t;
  }) as unknown as typeof setInterval;
  const clear = (t: NodeJS.Timeout | string | number | undefined) => {
    liveTimers.delete(t);
    realTimers.clearTimeout(t);
  };
  globalThis.clearTimeout = clear as typeof clearTimeout;
  globalThis.clearInterval = clear as typeof clearInterval;
}
function restoreTimers(): void {
  Object.assign(globalThis, realTimers);
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const servers: TestRtspServer[] = [];
let baseline = 0;

beforeEach(() => {
  baseline = handles();
  liveTimers.clear();
  trackTimers();
});

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  await until(() => handles() <= baseline, 1000).catch(() => {
    throw new Error(`leaked handles: ${process.getActiveResourcesInfo().join(', ')}`);
  });
  restoreTimers();
  expect(liveTimers.size, 'timers left pending').toBe(0);
});

async function server(opts: TestServerOptions): Promise<TestRtspServer> {
  const s = await TestRtspServer.start(opts);
  servers.push(s);
  return s;
}

function client(url: string, extra: Partial<RtspClientOptions> = {}) {
  const aus: AccessUnit[] = [];
  const params: VideoParameterSets[] = [];
  const errors: RtspError[] = [];
  let closed = 0;
  const c = new RtspClient({
    url,
    // Generous defaults so a loaded CI machine does not flake; the failure tests set small ones.
    connectTimeoutMs: 2000,
    requestTimeoutMs: 2000,
    stallTimeoutMs: 2000,
    teardownTimeoutMs: 500,
    ...extra,
    onAccessUnit: (au) => aus.push(au),
    onParameterSets: (p) => params.push(p),
    onError: (e) => errors.push(e),
    onClose: () => closed++,
  });
  return { c, aus, params, errors, closed: () => closed };
}

async function failure(url: string, extra: Partial<RtspClientOptions> = {}): Promise<RtspError> {
  const h = client(url, extra);
  const err = await h.c.start().then(
    () => null,
    (e: unknown) => e,
  );
  if (!err) await until(() => h.errors.length > 0, 3000);
  const e = (err ?? h.errors[0]) as RtspError;
  expect(e).toBeInstanceOf(RtspError);
  expect(h.errors).toEqual([e]); // reported once, through onError too
  await until(() => h.closed() === 1);
  return e;
}

describe('RtspClient streaming', () => {
  it('plays H.264 over TCP interleaved with frames straddling reads', async () => {
    const { stream, packets: pkts } = packets('h264', 30);
    const srv = await server({ packets: pkts, writeSize: 777, senderReport: true });
    const srs: RtcpSenderReport[] = [];
    const h = client(srv.url(), { onSenderReport: (sr) => srs.push(sr) });
    const info = await h.c.start();
    expect(info).toMatchObject({ codec: 'h264', transport: 'tcp', payloadType: 96, clockRate: 90000 });
    await until(() => h.aus.length === 30);
    expect(h.aus.map((a) => a.pts)).toEqual(stream.map((_, i) => FIRST_TS + i * 3600));
    expect(h.aus.map((a) => a.keyframe)).toEqual(stream.map((s) => s.keyframe));
    expect(Buffer.from(h.aus[29]!.nalus[0]!)).toEqual(Buffer.from(stream[29]!.nalus[0]!));
    expect(h.params[0]?.codec).toBe('h264'); // seeded from sprop-parameter-sets
    expect(srs).toHaveLength(1);
    expect(h.c.stats).toMatchObject({ lostPackets: 0, droppedAccessUnits: 0, accessUnits: 30 });
    // The SETUP went to the control URL resolved against Content-Base, PLAY to the session URL.
    const setup = srv.requests.find((r) => r.method === 'SETUP');
    expect(setup?.uri).toBe(`${srv.url()}/trackID=1`);
    await h.c.close();
    expect(srv.requests.at(-1)?.method).toBe('TEARDOWN');
    await srv.waitForNoConnections();
    expect(srv.openConnections).toBe(0);
    expect(h.errors).toEqual([]);
    expect(h.closed()).toBe(1);
  });

  it('plays H.265 over UDP', async () => {
    const { stream, packets: pkts } = packets('h265', 20);
    const srv = await server({ packets: pkts, sdp: H265_SDP, senderReport: true });
    const srs: RtcpSenderReport[] = [];
    const h = client(srv.url(), { transport: 'udp', onSenderReport: (sr) => srs.push(sr) });
    const info = await h.c.start();
    expect(info.transport).toBe('udp');
    await until(() => h.aus.length === 20);
    expect(h.aus.map((a) => a.pts)).toEqual(stream.map((s, i) => FIRST_TS + i * 3600));
    expect(h.aus.every((a) => a.codec === 'h265')).toBe(true);
    expect(h.params[0]?.vps).toBeDefined();
    await until(() => srs.length === 1);
    const transport = srv.requests.find((r) => r.method === 'SETUP')?.headers.transport ?? '';
    const port = Number(/client_port=(\d+)-(\d+)/.exec(transport)?.[1]);
    expect(port % 2).toBe(0);
    await h.c.close();
    await srv.waitForNoConnections();
  });

  it('sends keep-alives (GET_PARAMETER) and RTCP receiver reports', async () => {
    const srv = await server({ packets: packets('h264', 3).packets, sessionTimeoutS: 1 });
    const h = client(srv.url(), { keepAliveIntervalMs: 40, stallTimeoutMs: 5000 });
    await h.c.start();
    await until(() => srv.requests.filter((r) => r.method === 'GET_PARAMETER').length >= 2);
    expect(srv.rtcpReceived).toBeGreaterThanOrEqual(2);
    expect(srv.requests.find((r) => r.method === 'GET_PARAMETER')?.headers.session).toBe('12345678');
    await h.c.close();
  });
});

describe('RtspClient authentication', () => {
  const password = 'p@ss:w/rd';
  const creds = `admin:${encodeURIComponent(password)}`;

  it.each([
    ['basic', false],
    ['digest', true],
    ['digest', false],
    ['both', true],
  ] as const)('authenticates with %s (qop=%s)', async (scheme, qop) => {
    const srv = await server({
      auth: { scheme, username: 'admin', password, qop },
      packets: packets('h264', 2).packets,
    });
    const h = client(srv.url('/stream', creds));
    await h.c.start();
    await until(() => h.aus.length === 2);
    const authz = srv.requests.filter((r) => r.headers.authorization).map((r) => r.headers.authorization ?? '');
    expect(authz[0]?.split(' ')[0]).toBe(scheme === 'basic' ? 'Basic' : 'Digest');
    expect(srv.requests.filter((r) => !r.headers.authorization)).toHaveLength(1); // one 401, then auth on all
    await h.c.close();
  });

  it('fails with auth_failed on a wrong password without leaking it', async () => {
    const srv = await server({ auth: { scheme: 'digest', username: 'admin', password: 'right' } });
    const e = await failure(srv.url('/stream', 'admin:wr0ngSecret'));
    expect(e.reason).toBe('auth_failed');
    expect(`${e.message} ${e.stack}`).not.toContain('wr0ngSecret');
    expect(srv.requests).toHaveLength(2); // tried once with credentials, then gave up
  });

  it('fails with auth_failed when credentials are required but missing', async () => {
    const srv = await server({ auth: { scheme: 'basic', username: 'a', password: 'b' } });
    expect((await failure(srv.url())).reason).toBe('auth_failed');
  });
});

describe('RtspClient failures', () => {
  it('refused', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    expect((await failure(`rtsp://u:secret@127.0.0.1:${port}/x`)).reason).toBe('refused');
  });

  it('timeout when the server accepts but never answers', async () => {
    const srv = await server({ behavior: 'silent' });
    expect((await failure(srv.url(), { requestTimeoutMs: 200 })).reason).toBe('timeout');
    await srv.waitForNoConnections();
    expect(srv.openConnections).toBe(0);
  });

  it('stalled when media stops but the socket stays open', async () => {
    const srv = await server({ behavior: 'stall', packets: packets('h264', 20).packets, stopAfter: 8 });
    const e = await failure(srv.url(), { stallTimeoutMs: 150 });
    expect(e.reason).toBe('stalled');
    await srv.waitForNoConnections();
    expect(srv.openConnections).toBe(0);
  });

  it('ended when the server closes mid-stream', async () => {
    const srv = await server({ behavior: 'close', packets: packets('h264', 20).packets, stopAfter: 8 });
    expect((await failure(srv.url())).reason).toBe('ended');
  });

  it('garbage when the server answers with junk', async () => {
    const srv = await server({ behavior: 'garbage' });
    expect((await failure(srv.url())).reason).toBe('garbage');
  });

  it('not_found on 404', async () => {
    const srv = await server({ behavior: 'not_found' });
    const e = await failure(srv.url());
    expect([e.reason, e.status]).toEqual(['not_found', 404]);
  });

  it('unsupported_codec when the SDP has no H.264/H.265 video', async () => {
    const sdp = 'v=0\r\nm=video 0 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\nm=audio 0 RTP/AVP 0\r\n';
    const srv = await server({ sdp });
    const e = await failure(srv.url());
    expect(e.reason).toBe('unsupported_codec');
    expect(e.message).toContain('video/JPEG');
  });

  it('follows a redirect, keeping credentials for the same host', async () => {
    const target = await server({
      auth: { scheme: 'basic', username: 'u', password: 'p' },
      packets: packets('h264', 2).packets,
    });
    const srv = await server({ behavior: 'redirect', redirectTo: target.url('/real') });
    const h = client(srv.url('/stream', 'u:p'));
    const info = await h.c.start();
    expect(info.url).toBe(target.url('/real'));
    await until(() => h.aus.length === 2);
    await h.c.close();
  });

  it('gives up after too many redirects', async () => {
    const srv = await server({ behavior: 'redirect', redirectTo: '/loop' });
    const e = await failure(srv.url());
    expect([e.reason, e.message]).toEqual(['protocol', 'too many redirects']);
    expect(srv.requests.filter((r) => r.method === 'DESCRIBE')).toHaveLength(4); // first + 3 redirects
  });

  it('close() during the handshake rejects start without onError and releases everything', async () => {
    const srv = await server({ behavior: 'silent' });
    const h = client(srv.url(), { requestTimeoutMs: 5000 });
    const started = h.c.start();
    await until(() => srv.openConnections === 1);
    await h.c.close();
    await expect(started).rejects.toMatchObject({ reason: 'ended' });
    expect(h.errors).toEqual([]);
    expect(h.closed()).toBe(1);
    await srv.waitForNoConnections();
    expect(srv.openConnections).toBe(0);
  });
});
