import { afterEach, describe, expect, it } from 'vitest';
import type { AccessUnit } from '../types.ts';
import { syntheticStream, TestPacketizer } from '../rtp/test-helpers.ts';
import type { RtspError } from './errors.ts';
import { RtspClient, type RtspClientOptions } from './rtsp-client.ts';
import { TestRtspServer, type TestServerOptions } from './test-server.ts';
import { parsePortRange } from './transport.ts';
import { boundUdpSockets } from './udp-sockets.ts';

/** Transport `auto`, UDP port ranges, reordering on the wire and UDP sockets left behind. */

function packets(count: number) {
  const stream = syntheticStream('h264', count, { gop: 10, firstTs: 1000, bigFrame: 6000, smallFrame: 1500 });
  const pz = new TestPacketizer('h264', { mtu: 1400, payloadType: 96 });
  return { stream, packets: stream.flatMap((au) => pz.packetize(au.nalus, au.ts)) };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const servers: TestRtspServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function server(opts: TestServerOptions): Promise<TestRtspServer> {
  const s = await TestRtspServer.start(opts);
  servers.push(s);
  return s;
}

function client(url: string, extra: Partial<RtspClientOptions> = {}) {
  const aus: AccessUnit[] = [];
  const errors: RtspError[] = [];
  let closed = 0;
  const c = new RtspClient({
    url,
    connectTimeoutMs: 2000,
    requestTimeoutMs: 2000,
    stallTimeoutMs: 2000,
    teardownTimeoutMs: 500,
    ...extra,
    onAccessUnit: (au) => aus.push(au),
    onError: (e) => errors.push(e),
    onClose: () => closed++,
  });
  return { c, aus, errors, closed: () => closed };
}

const setups = (srv: TestRtspServer) => srv.requests.filter((r) => r.method === 'SETUP').map((r) => (/client_port/.test(r.headers.transport ?? '') ? 'udp' : 'tcp'));

/** A random 100-port slice of this helper's range, so parallel runs rarely collide. */
function portRange() {
  const min = 40000 + Math.floor(Math.random() * 9) * 100;
  return { min, max: min + 99 };
}

describe('transport auto', () => {
  it('a server that refuses TCP (461): falls back to UDP on the same connection and plays', async () => {
    const { packets: pkts } = packets(20);
    const srv = await server({ packets: pkts, transports: ['udp'] });
    const h = client(srv.url(), { transport: 'auto' });
    const info = await h.c.start();
    expect(info.transport).toBe('udp');
    expect(setups(srv)).toEqual(['tcp', 'udp']);
    expect(srv.requests.filter((r) => r.method === 'OPTIONS')).toHaveLength(1); // one connection
    await until(() => h.aus.length === 20);
    await h.c.close();
    expect(h.errors).toEqual([]);
  });

  it('a server that refuses UDP: tries the remembered UDP first, then TCP, and plays', async () => {
    const srv = await server({ packets: packets(10).packets, transports: ['tcp'] });
    const before = boundUdpSockets().length;
    const h = client(srv.url(), { transport: 'auto', preferTransport: 'udp' });
    const info = await h.c.start();
    expect(info.transport).toBe('tcp');
    expect(setups(srv)).toEqual(['udp', 'tcp']);
    expect(boundUdpSockets().length).toBe(before); // the refused UDP pair is closed at once
    await until(() => h.aus.length === 10);
    await h.c.close();
  });

  it('a server that hangs up after refusing TCP: the attempt fails naming TCP, the next one plays over UDP', async () => {
    const srv = await server({ packets: packets(10).packets, transports: ['udp'], closeOnRefuse: true });
    const before = boundUdpSockets().length;
    const first = client(srv.url(), { transport: 'auto' });
    await first.c.start().catch(() => undefined);
    await until(() => first.closed() === 1);
    expect(first.c.refusedTransport).toBe('tcp');
    expect(boundUdpSockets().length).toBe(before); // the pair bound for the UDP try died with the connection
    const second = client(srv.url(), { transport: 'auto', preferTransport: 'udp' });
    expect((await second.c.start()).transport).toBe('udp');
    await until(() => second.aus.length === 10);
    await second.c.close();
  });

  it('a fixed transport does not fall back', async () => {
    const srv = await server({ packets: packets(2).packets, transports: ['udp'] });
    const h = client(srv.url(), { transport: 'tcp' });
    await expect(h.c.start()).rejects.toMatchObject({ reason: 'protocol', status: 461 });
    expect(setups(srv)).toEqual(['tcp']);
  });
});

describe('UDP', () => {
  it('binds its client ports inside the configured range, RTP even and RTCP the next', async () => {
    const range = portRange();
    const srv = await server({ packets: packets(5).packets });
    const h = client(srv.url(), { transport: 'udp', udpPorts: range });
    await h.c.start();
    const port = Number(/client_port=(\d+)-(\d+)/.exec(srv.requests.find((r) => r.method === 'SETUP')?.headers.transport ?? '')?.[1]);
    expect(port % 2).toBe(0);
    expect(port).toBeGreaterThanOrEqual(range.min);
    expect(port + 1).toBeLessThanOrEqual(range.max);
    expect(boundUdpSockets().map((s) => s.localPort)).toEqual(expect.arrayContaining([port, port + 1]));
    await until(() => h.aus.length === 5);
    await h.c.close();
  });

  it('puts packets reordered on the wire back in order: every frame, nothing lost, reordering counted', async () => {
    const { stream, packets: pkts } = packets(30);
    // Swap every 7th packet with the one after it.
    const order = pkts.map((_, i) => i);
    for (let i = 3; i + 1 < order.length; i += 7) [order[i], order[i + 1]] = [order[i + 1]!, order[i]!];
    const srv = await server({ packets: pkts, udpOrder: order });
    const h = client(srv.url(), { transport: 'udp' });
    await h.c.start();
    await until(() => h.aus.length === 30);
    expect(h.aus.map((a) => a.pts)).toEqual(stream.map((_, i) => 1000 + i * 3600));
    const st = h.c.stats;
    expect(st.lostPackets).toBe(0);
    expect(st.latePackets).toBe(0);
    expect(st.droppedAccessUnits).toBe(0);
    expect(st.reorderedPackets).toBe(Math.floor((pkts.length - 4) / 7) + 1);
    expect(st.rtcpCumulativeLost).toBe(0);
    await h.c.close();
  });

  it('duplicates on the wire are dropped and counted late, every frame still delivered once', async () => {
    const { packets: pkts } = packets(10);
    const order = pkts.flatMap((_, i) => (i % 5 === 2 ? [i, i] : [i]));
    const srv = await server({ packets: pkts, udpOrder: order });
    const h = client(srv.url(), { transport: 'udp' });
    await h.c.start();
    await until(() => h.aus.length === 10 && h.c.stats.packets + h.c.stats.latePackets === order.length);
    expect(h.c.stats.latePackets).toBe(order.length - pkts.length);
    expect(h.c.stats.lostPackets).toBe(0);
    await h.c.close();
  });

  it('a hole that never fills is given up after the wait and counted lost', async () => {
    const { packets: pkts } = packets(30);
    const order = pkts.map((_, i) => i).filter((i) => i !== 40); // packet 40 never sent
    const srv = await server({ packets: pkts, udpOrder: order });
    const h = client(srv.url(), { transport: 'udp', reorder: { maxDelayMs: 20 } });
    await h.c.start();
    await until(() => h.c.stats.packets === pkts.length - 1);
    expect(h.c.stats.lostPackets).toBe(1);
    expect(h.c.stats.rtcpCumulativeLost).toBe(1);
    await h.c.close();
  });

  it('keep-alive over UDP: GET_PARAMETER on the control connection, receiver reports to the server RTCP port', async () => {
    const srv = await server({ packets: packets(3).packets, sessionTimeoutS: 1 });
    const h = client(srv.url(), { transport: 'udp', keepAliveIntervalMs: 40, stallTimeoutMs: 5000 });
    await h.c.start();
    await until(() => h.aus.length === 3);
    const sent = packets(3).packets;
    await until(() => srv.requests.filter((r) => r.method === 'GET_PARAMETER').length >= 2 && srv.rtcpReceived >= 2);
    // The receiver report names the camera's SSRC and the last sequence number it sent, nothing lost.
    const rr = srv.lastUdpRtcp!;
    expect(rr[1]).toBe(201);
    expect(rr[0]! & 0x1f).toBe(1);
    expect(rr.readUInt32BE(8)).toBe(sent[0]!.readUInt32BE(8));
    expect(rr.readUInt32BE(12) & 0xffffff).toBe(0);
    expect(rr.readUInt32BE(16) & 0xffff).toBe(sent.at(-1)!.readUInt16BE(2));
    await h.c.close();
  });

  it('20 reconnects over UDP (the server hangs up mid-stream) and 20 refused SETUPs leave no UDP socket bound', async () => {
    const range = portRange();
    const dropping = await server({ behavior: 'close', packets: packets(20).packets, stopAfter: 40 });
    const refusing = await server({ packets: packets(2).packets, transports: ['tcp'] });
    const before = boundUdpSockets();
    const ports = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const h = client(dropping.url(), { transport: 'udp', udpPorts: range });
      await h.c.start();
      ports.add(boundUdpSockets().length - before.length);
      await until(() => h.closed() === 1); // the server closed: 'ended'
      expect(h.errors.map((e) => e.reason)).toEqual(['ended']);
      const r = client(refusing.url(), { transport: 'udp', udpPorts: range });
      await expect(r.c.start()).rejects.toMatchObject({ status: 461 });
    }
    expect([...ports]).toEqual([2]); // while playing: exactly our RTP/RTCP pair
    const after = boundUdpSockets();
    expect(after.map((s) => s.inode).sort()).toEqual(before.map((s) => s.inode).sort());
  });
});

describe('parsePortRange', () => {
  it('reads ranges and the OS fallback, and refuses nonsense', () => {
    expect(parsePortRange('40000-40999')).toEqual({ min: 40000, max: 40999 });
    expect(parsePortRange('ephemeral')).toBeNull();
    for (const bad of ['', '40000', '50000-40000', '80-90', '60000-70000', 'x-y']) expect(() => parsePortRange(bad)).toThrow();
  });
});
