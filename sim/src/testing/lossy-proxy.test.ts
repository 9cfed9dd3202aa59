import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../index.ts';
import { TEST_CACHE, memoryLog } from './fixtures.ts';
import { startLossyProxy, type LossyProxy } from './lossy-proxy.ts';
import { checkRtpStream } from './rtp-checks.ts';
import { TestRtspClient, udpReceiver, type RtpPacket } from './rtsp-client.ts';

/** The lossy link of the damaged-stream tests and the `lossy` benchmark, checked on its own. */
let sim: Simulator;
let clean: LossyProxy;
let lossy: LossyProxy;

beforeAll(async () => {
  sim = await startSimulator({
    cameras: [
      { id: 'open', scene: 'yard-day', codec: 'h264', main: '360p' },
      { id: 'udp-lossy', scene: 'yard-day', codec: 'h264', main: '360p', udpLossPercent: 20 },
    ],
    loopSeconds: 2,
    cacheDir: TEST_CACHE,
    httpPort: false,
    log: memoryLog().log,
  });
  const target = { host: sim.host, port: sim.rtspPort };
  clean = await startLossyProxy({ target });
  lossy = await startLossyProxy({ target, lossPercent: 10, corruptPercent: 10, jumpPercent: 10, seed: 3 });
});
afterAll(async () => {
  await clean?.close();
  await lossy?.close();
  await sim?.stop();
});

/** Plays through `proxy` until `packets` RTP packets arrived; returns them. */
async function receive(proxy: LossyProxy, packets: number): Promise<RtpPacket[]> {
  const c = await TestRtspClient.connect(proxy.port);
  try {
    await c.play(proxy.url(`rtsp://127.0.0.1:${sim.rtspPort}/cam/open/main`));
    while (c.rtp(0).length < packets) await new Promise((r) => setTimeout(r, 50));
    return c.rtp(0);
  } finally {
    c.close();
  }
}

describe('lossy proxy', () => {
  it('passes RTSP and RTP through untouched at zero rates', async () => {
    const rep = checkRtpStream(await receive(clean, 150));
    expect(rep.problems).toEqual([]);
    expect(rep.tsSteps.every((s) => s === 3600)).toBe(true);
  });

  it('drops, corrupts and re-times RTP packets, never the framing or the RTP header', async () => {
    const before = { ...lossy.stats };
    const pkts = await receive(lossy, 600);
    // Every `$` frame still parsed as RTP version 2 of one stream: the damage stays in payloads.
    expect(new Set(pkts.map((p) => p.ssrc)).size).toBe(1);
    expect(pkts.every((p) => p.pt === 96)).toBe(true);
    const gaps = pkts.slice(1).reduce((n, p, i) => n + ((p.seq - pkts[i]!.seq - 1) & 0xffff), 0);
    const dropped = lossy.stats.dropped - before.dropped;
    expect(gaps).toBeGreaterThan(0);
    expect(gaps).toBeLessThanOrEqual(dropped); // the last drops may come after our last packet
    expect(lossy.stats.corrupted).toBeGreaterThan(before.corrupted);
    expect(lossy.stats.jumps).toBeGreaterThan(before.jumps);
    const steps = new Set(pkts.slice(1).map((p, i) => (p.ts - pkts[i]!.ts) >>> 0).filter((s) => s !== 0));
    expect([...steps].some((s) => s !== 3600 && s !== 7200)).toBe(true); // a jump, not just a lost frame
  });

  it('the simulator drops a share of UDP datagrams for a camera with udpLossPercent', async () => {
    const rx = await udpReceiver();
    const c = await TestRtspClient.connect(sim.rtspPort);
    try {
      await c.play(`rtsp://127.0.0.1:${sim.rtspPort}/cam/udp-lossy/main`, { udpPorts: rx.ports });
      while (rx.rtp.length < 300) await new Promise((r) => setTimeout(r, 50));
      const pkts = [...rx.rtp];
      const span = ((pkts.at(-1)!.seq - pkts[0]!.seq) & 0xffff) + 1;
      const lost = 1 - pkts.length / span;
      expect(lost).toBeGreaterThan(0.05);
      expect(lost).toBeLessThan(0.4);
      const u = sim.udpStats('udp-lossy');
      expect(u.dropped).toBeGreaterThan(0);
      expect(u.dropped / (u.sent + u.dropped)).toBeGreaterThan(0.1); // 20 % configured
      expect(u.dropped / (u.sent + u.dropped)).toBeLessThan(0.3);
      // Off while running: every datagram sent from then on.
      sim.setUdpLoss('udp-lossy', 0);
      const from = rx.rtp.length;
      while (rx.rtp.length < from + 200) await new Promise((r) => setTimeout(r, 50));
      const after = rx.rtp.slice(from + 20); // past any datagram already in flight
      const gaps = after.slice(1).filter((p, i) => ((p.seq - after[i]!.seq) & 0xffff) !== 1).length;
      expect(gaps).toBe(0);
    } finally {
      c.close();
      await rx.close();
    }
  });
});
