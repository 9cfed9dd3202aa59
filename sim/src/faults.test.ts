/** Every fault mode, observed by a raw client; other cameras stay healthy. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.ts';
import { checkRtpStream } from './testing/rtp-checks.ts';
import { TestRtspClient, basicAuth, udpReceiver } from './testing/rtsp-client.ts';
import { TEST_CACHE, memoryLog } from './testing/fixtures.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let sim: Simulator;
const url = (id: string, stream = 'sub'): string => `rtsp://127.0.0.1:${sim.rtspPort}/cam/${id}/${stream}`;
const AUTH = { kind: 'basic' as const, username: 'u', password: 'p' };

beforeAll(async () => {
  sim = await startSimulator({
    cameras: ['f1', 'f2', 'f3', 'f4', 'f5', 'ok'].map((id) => ({
      id,
      scene: 'quiet-day',
      codec: 'h264' as const,
      main: '360p' as const,
      auth: AUTH,
    })),
    loopSeconds: 2,
    cacheDir: TEST_CACHE,
    log: memoryLog().log,
  });
});
afterAll(async () => {
  await sim?.stop();
});
afterEach(() => {
  for (const id of ['f1', 'f2', 'f3', 'f4', 'f5']) sim.setFault(id, 'none');
});

const auth = (): ((m: string, u: string) => string) => () => basicAuth('u', 'p');

async function playing(id: string, stream = 'sub'): Promise<TestRtspClient> {
  const c = await TestRtspClient.connect(sim.rtspPort);
  await c.play(url(id, stream), { auth: auth() });
  return c;
}

/** A healthy neighbour keeps streaming while a fault is active. */
async function neighbourHealthy(): Promise<void> {
  const c = await playing('ok');
  await sleep(400);
  c.close();
  const rep = checkRtpStream(c.rtp(0));
  expect(rep.problems).toEqual([]);
  expect(rep.frames).toBeGreaterThanOrEqual(7);
}

describe('faults', () => {
  it('stall: sockets stay open and RTSP answers, but no media flows; healing resumes it', async () => {
    const c = await playing('f1');
    await sleep(200);
    sim.setFault('f1', 'stall');
    await sleep(60);
    const before = c.rtp(0).length;
    await sleep(500);
    expect(c.rtp(0).length).toBe(before);
    expect(c.endedAt).toBeUndefined();
    expect((await c.request('GET_PARAMETER', url('f1'), { Authorization: basicAuth('u', 'p') })).status).toBe(200);
    await neighbourHealthy();
    sim.setFault('f1', 'none');
    await sleep(300);
    expect(c.rtp(0).length).toBeGreaterThan(before);
    c.close();
  });

  it('garbage: random bytes instead of RTP, over TCP and UDP', async () => {
    const c = await playing('f2');
    const rx = await udpReceiver();
    const u = await TestRtspClient.connect(sim.rtspPort);
    await u.play(url('f2', 'main'), { udpPorts: rx.ports, auth: auth() });
    await sleep(200);
    const goodUdp = rx.rtp.length;
    sim.setFault('f2', 'garbage');
    await sleep(400);
    expect(c.garbageBytes).toBeGreaterThan(1000);
    // random datagrams rarely even parse as RTP v2; those that do are not our stream
    const after = rx.rtp.slice(goodUdp);
    expect(after.filter((p) => p.ssrc === rx.rtp[0]?.ssrc && p.pt === 96).length).toBeLessThanOrEqual(2);
    expect(rx.rtcp.length + after.length).toBeGreaterThan(3);
    await neighbourHealthy();
    c.close();
    u.close();
    await rx.close();
  });

  it('end: the stream is cut mid-frame (FIN); new sessions are cut after afterMs', async () => {
    const c = await playing('f3');
    await sleep(200);
    sim.setFault('f3', { kind: 'end', afterMs: 300 });
    await c.ended;
    expect(sim.sessions('f3')).toBe(0);
    const d = await playing('f3');
    const t = performance.now();
    await d.ended;
    expect(performance.now() - t).toBeGreaterThanOrEqual(250);
    expect(d.rtp(0).length).toBeGreaterThan(0);
    await neighbourHealthy();
  });

  it('offline: sessions dropped, requests for the camera get the connection closed unanswered', async () => {
    const c = await playing('f4');
    sim.setFault('f4', 'offline');
    await c.ended;
    const d = await TestRtspClient.connect(sim.rtspPort);
    await expect(d.request('DESCRIBE', url('f4'))).rejects.toThrow(/closed/);
    expect(sim.sessions('f4')).toBe(0);
    await neighbourHealthy();
    sim.setFault('f4', 'none');
    (await playing('f4')).close();
  });

  it('wrong_password: sessions dropped and the known credentials refused until healed', async () => {
    const c = await playing('f5');
    sim.setFault('f5', 'wrong_password');
    await c.ended;
    const d = await TestRtspClient.connect(sim.rtspPort);
    expect((await d.request('DESCRIBE', url('f5'), { Authorization: basicAuth('u', 'p') })).status).toBe(401);
    sim.setFault('f5', 'none');
    expect((await d.request('DESCRIBE', url('f5'), { Authorization: basicAuth('u', 'p') })).status).toBe(200);
    d.close();
  });

  it('faults can be set over HTTP', async () => {
    const post = (id: string, body: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${sim.httpPort}/cameras/${id}/fault`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    const r = await post('f1', '{"kind":"stall"}');
    expect(r.status).toBe(200);
    const cams = (await (await fetch(`http://127.0.0.1:${sim.httpPort}/cameras`)).json()) as Array<{
      id: string;
      fault: { kind: string };
      auth: unknown;
    }>;
    expect(cams.find((c) => c.id === 'f1')?.fault).toEqual({ kind: 'stall' });
    expect(JSON.stringify(cams)).not.toContain('"p"'); // no passwords
    expect((await post('f1', '{"fault":"none"}')).status).toBe(200);
    expect((await post('f1', '{"kind":"melt"}')).status).toBe(400);
    expect((await post('f1', 'not json')).status).toBe(400);
    expect((await post('zz', '{"kind":"stall"}')).status).toBe(404);
    expect(() => sim.setFault('f1', 'melt' as never)).toThrow();
  });
});
