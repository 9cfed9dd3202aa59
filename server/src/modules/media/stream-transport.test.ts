import { afterEach, describe, expect, it } from 'vitest';
import { syntheticStream, TestPacketizer } from '../../../../packages/media/src/rtp/test-helpers.ts';
import { TestRtspServer, type TestServerOptions } from '../../../../packages/media/src/rtsp/test-server.ts';
import { boundUdpSockets } from '../../../../packages/media/src/rtsp/udp-sockets.ts';
import type { StatusUpdate } from './media.protocol.ts';
import { defaultTimings, StreamSession, type SessionNet } from './stream-session.ts';

/**
 * A camera's transport setting as the stream session uses it: `auto` falls back and
 * remembers what worked across reconnects, the status says which transport is in use,
 * and reconnecting over UDP leaves no port bound.
 */

const pkts = (() => {
  const stream = syntheticStream('h264', 20, { gop: 10, firstTs: 0, bigFrame: 3000, smallFrame: 800 });
  const pz = new TestPacketizer('h264', { mtu: 1400, payloadType: 96 });
  return stream.flatMap((au) => pz.packetize(au.nalus, au.ts));
})();

const servers: TestRtspServer[] = [];
const sessions: StreamSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function server(opts: TestServerOptions) {
  const s = await TestRtspServer.start(opts);
  servers.push(s);
  return s;
}

function session(url: string, net: SessionNet) {
  const seen: StatusUpdate[] = [];
  const timings = { ...defaultTimings, backoffStartMs: 5, backoffMaxMs: 10, connectMs: 2000, stallMs: 2000 };
  const s = new StreamSession('cam-1', 'main', url, () => seen.push({ ...s.status }), () => undefined, timings, net);
  sessions.push(s);
  s.start();
  return { s, seen };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const setups = (srv: TestRtspServer) => srv.requests.filter((r) => r.method === 'SETUP').map((r) => (/client_port/.test(r.headers.transport ?? '') ? 'udp' : 'tcp'));

describe('stream session transport', () => {
  it('auto behind a camera that hangs up on a TCP SETUP: the next attempt uses UDP, reports it, and keeps using it on reconnect', async () => {
    const srv = await server({ behavior: 'close', packets: pkts, stopAfter: 60, transports: ['udp'], closeOnRefuse: true });
    const { seen } = session(srv.url(), { transport: 'auto', rtpPorts: { min: 40000, max: 40999 } });
    await until(() => seen.some((st) => st.transport === 'udp'));
    await until(() => setups(srv).length >= 5); // the server hangs up after each burst: reconnects
    const s = setups(srv);
    expect(s[0]).toBe('tcp');
    expect(s.slice(1)).toEqual(s.slice(1).map(() => 'udp')); // remembered: TCP is not asked again
  });

  it('auto: UDP that sets up but never delivers a packet (a firewall) makes the next attempt ask for TCP first', async () => {
    const srv = await server({ behavior: 'stall', packets: pkts, stopAfter: 0, transports: ['udp'] });
    const timings = { ...defaultTimings, backoffStartMs: 5, backoffMaxMs: 10, connectMs: 2000, stallMs: 100, keyframeMs: 5000 };
    const s = new StreamSession('cam-2', 'main', srv.url(), () => undefined, () => undefined, timings, { transport: 'auto', rtpPorts: null });
    sessions.push(s);
    s.start();
    await until(() => setups(srv).length >= 4);
    expect(setups(srv).slice(0, 4)).toEqual(['tcp', 'udp', 'tcp', 'udp']);
  });

  it('a fixed transport is used as set, and the status says so', async () => {
    const srv = await server({ packets: pkts });
    const { s } = session(srv.url(), { transport: 'udp', rtpPorts: null });
    await until(() => s.status.transport === 'udp');
    expect(setups(srv)).toEqual(['udp']);
    s.setUrl(srv.url(), 'tcp'); // the setting changed: reconnect at once with it
    await until(() => s.status.transport === 'tcp');
    expect(setups(srv)).toEqual(['udp', 'tcp']);
  });

  it('20 reconnects over UDP leave no UDP socket bound', async () => {
    const srv = await server({ behavior: 'close', packets: pkts, stopAfter: 30 });
    const before = boundUdpSockets().map((x) => x.inode).sort();
    const { s } = session(srv.url(), { transport: 'udp', rtpPorts: { min: 40000, max: 40999 } });
    await until(() => srv.requests.filter((r) => r.method === 'PLAY').length >= 21, 30_000);
    await s.stop();
    await srv.waitForNoConnections();
    expect(setups(srv).every((t) => t === 'udp')).toBe(true);
    expect(boundUdpSockets().map((x) => x.inode).sort()).toEqual(before);
  });
});
