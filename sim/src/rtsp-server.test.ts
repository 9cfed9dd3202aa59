import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.ts';
import { checkRtpStream } from './testing/rtp-checks.ts';
import { TestRtspClient, basicAuth, digestAuth, udpReceiver } from './testing/rtsp-client.ts';
import { TEST_CACHE, memoryLog } from './testing/fixtures.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let sim: Simulator;
const base = (): string => `rtsp://127.0.0.1:${sim.rtspPort}`;

beforeAll(async () => {
  sim = await startSimulator({
    cameras: [
      { id: 'open', scene: 'yard-day', codec: 'h264', main: '360p' },
      {
        id: 'basic',
        scene: 'yard-day',
        codec: 'h264',
        main: '360p',
        auth: { kind: 'basic', username: 'op', password: 'p@ss:1' },
      },
      {
        id: 'digest',
        scene: 'yard-day',
        codec: 'h264',
        main: '360p',
        auth: { kind: 'digest', username: 'admin', password: 'secret' },
      },
      { id: 'hevc', scene: 'entrance-day', codec: 'h265', main: '360p' },
    ],
    loopSeconds: 2,
    cacheDir: TEST_CACHE,
    sessionTimeoutMs: 1200,
    log: memoryLog().log,
  });
});
afterAll(async () => {
  await sim?.stop();
});

describe('RTSP requests', () => {
  it('answers OPTIONS and DESCRIBE with a sane H.264 SDP', async () => {
    const c = await TestRtspClient.connect(sim.rtspPort);
    try {
      const o = await c.request('OPTIONS', `${base()}/cam/open/main`);
      expect(o.status).toBe(200);
      expect(o.headers.get('public')).toContain('DESCRIBE');
      const d = await c.request('DESCRIBE', `${base()}/cam/open/main`, { Accept: 'application/sdp' });
      expect(d.status).toBe(200);
      expect(d.headers.get('content-type')).toBe('application/sdp');
      expect(d.headers.get('content-base')).toBe(`${base()}/cam/open/main/`);
      expect(d.body).toContain('m=video 0 RTP/AVP 96');
      expect(d.body).toContain('a=rtpmap:96 H264/90000');
      expect(d.body).toContain('a=control:trackID=0');
      expect(d.body).toContain('a=range:npt=now-');
      const fmtp =
        /a=fmtp:96 packetization-mode=1;profile-level-id=([0-9A-F]{6});sprop-parameter-sets=([^,]+),(\S+)/.exec(d.body);
      expect(fmtp).not.toBeNull();
      const sps = Buffer.from(fmtp![2]!, 'base64');
      const pps = Buffer.from(fmtp![3]!, 'base64');
      expect(sps[0]! & 0x1f).toBe(7);
      expect(pps[0]! & 0x1f).toBe(8);
      expect(fmtp![1]).toBe(sps.subarray(1, 4).toString('hex').toUpperCase());
    } finally {
      c.close();
    }
  });

  it('describes H.265 with sprop-vps/sps/pps', async () => {
    const c = await TestRtspClient.connect(sim.rtspPort);
    const d = await c.request('DESCRIBE', `${base()}/cam/hevc/sub`);
    c.close();
    expect(d.body).toContain('a=rtpmap:96 H265/90000');
    expect(d.body).toMatch(/a=fmtp:96 sprop-vps=\S+;sprop-sps=\S+;sprop-pps=\S+/);
  });

  it('404 for unknown cameras and paths, 454/461/501 for bad requests, and survives junk', async () => {
    const c = await TestRtspClient.connect(sim.rtspPort);
    expect((await c.request('DESCRIBE', `${base()}/cam/nope/main`)).status).toBe(404);
    expect((await c.request('DESCRIBE', `${base()}/cam/open/third`)).status).toBe(404);
    expect((await c.request('DESCRIBE', `${base()}/other`)).status).toBe(404);
    expect((await c.request('PLAY', `${base()}/cam/open/main`, { Session: 'DEADBEEF' })).status).toBe(454);
    expect(
      (await c.request('SETUP', `${base()}/cam/open/main/trackID=0`, { Transport: 'RTP/AVP;multicast' })).status,
    ).toBe(461);
    expect((await c.request('RECORD', `${base()}/cam/open/main`)).status).toBe(501);
    c.close();
    const junk = await TestRtspClient.connect(sim.rtspPort);
    junk.socket.write('\x16\x03\x01 this is not rtsp\r\n\r\n');
    await junk.ended;
    const big = await TestRtspClient.connect(sim.rtspPort);
    big.socket.write(`OPTIONS * RTSP/1.0\r\nX: ${'a'.repeat(20000)}`);
    await big.ended;
    const ok = await TestRtspClient.connect(sim.rtspPort);
    expect((await ok.request('OPTIONS', '*')).status).toBe(200);
    ok.close();
  });
});

describe('media', () => {
  it('TCP interleaved: paced 25 fps, continuous seq/timestamps across the loop seam, markers, FU-A', async () => {
    const c = await TestRtspClient.connect(sim.rtspPort);
    const t0 = performance.now();
    await c.play(`${base()}/cam/open/sub`);
    await sleep(2600); // more than one 2 s loop
    const elapsed = performance.now() - t0;
    c.close();
    const rep = checkRtpStream(c.rtp(0));
    expect(rep.problems).toEqual([]);
    expect(rep.frames).toBeGreaterThanOrEqual(Math.floor((elapsed / 40) * 0.85));
    expect(rep.frames).toBeLessThanOrEqual(Math.ceil(elapsed / 40) + 2);
    expect(rep.tsSteps.every((s) => s === 3600)).toBe(true);
    expect(rep.fuPackets).toBeGreaterThan(0);
    const arr = rep.frameArrivals;
    const span = (arr.at(-1)! - arr[0]!) / (arr.length - 1);
    expect(span).toBeGreaterThan(36);
    expect(span).toBeLessThan(44);
    const sr = c.interleaved.filter((p) => p.channel === 1);
    expect(sr.length).toBeGreaterThanOrEqual(1);
    expect(sr[0]!.data[1]).toBe(200);
  });

  it('UDP: RTP to the client port with the same guarantees', async () => {
    const rx = await udpReceiver();
    const c = await TestRtspClient.connect(sim.rtspPort);
    try {
      await c.play(`${base()}/cam/open/main`, { udpPorts: rx.ports });
      expect(sim.sessions('open', 'main')).toBe(1);
      await sleep(1000); // below the 1.2 s session timeout of this simulator
      const rep = checkRtpStream(rx.rtp);
      expect(rep.problems).toEqual([]);
      expect(rep.frames).toBeGreaterThanOrEqual(20);
      expect(rep.tsSteps.every((s) => s === 3600)).toBe(true);
      expect(rx.rtcp.some((m) => m[1] === 200)).toBe(true);
    } finally {
      c.close();
      await rx.close();
    }
  });

  it('H.265 over TCP: FU packets well-formed', async () => {
    const c = await TestRtspClient.connect(sim.rtspPort);
    await c.play(`${base()}/cam/hevc/main`);
    await sleep(1000);
    c.close();
    const rep = checkRtpStream(c.rtp(0), 'h265');
    expect(rep.problems).toEqual([]);
    expect(rep.frames).toBeGreaterThan(20);
  });
});

describe('sessions', () => {
  it('counts sessions per stream, programmatically and over HTTP; teardown and disconnect release them', async () => {
    const waitCount = async (n: number): Promise<void> => {
      for (let i = 0; i < 50 && sim.sessions('open', 'sub') !== n; i++) await sleep(20);
      expect(sim.sessions('open', 'sub')).toBe(n);
    };
    await waitCount(0);
    const a = await TestRtspClient.connect(sim.rtspPort);
    const b = await TestRtspClient.connect(sim.rtspPort);
    const sa = await a.play(`${base()}/cam/open/sub`);
    await b.play(`${base()}/cam/open/sub`);
    expect(sim.sessions('open', 'sub')).toBe(2);
    expect(sim.sessions('open', 'main')).toBe(0);
    const http = (await (await fetch(`http://127.0.0.1:${sim.httpPort}/sessions`)).json()) as {
      total: number;
      streams: Array<{ cameraId: string; stream: string; sessions: number; playing: number }>;
    };
    expect(http.streams.find((s) => s.cameraId === 'open' && s.stream === 'sub')).toEqual({
      cameraId: 'open',
      stream: 'sub',
      sessions: 2,
      playing: 2,
    });
    expect((await a.request('TEARDOWN', `${base()}/cam/open/sub`, { Session: sa })).status).toBe(200);
    expect(sim.sessions('open', 'sub')).toBe(1);
    b.close();
    await waitCount(0);
    a.close();
  });

  it('drops a UDP session without keep-alives after the timeout; keep-alives hold it', async () => {
    const rx1 = await udpReceiver();
    const rx2 = await udpReceiver();
    const quiet = await TestRtspClient.connect(sim.rtspPort);
    const alive = await TestRtspClient.connect(sim.rtspPort);
    try {
      await quiet.play(`${base()}/cam/hevc/sub`, { udpPorts: rx1.ports });
      const sid = await alive.play(`${base()}/cam/hevc/sub`, { udpPorts: rx2.ports });
      expect(sim.sessions('hevc', 'sub')).toBe(2);
      for (let i = 0; i < 8; i++) {
        await sleep(300);
        await alive.request('GET_PARAMETER', `${base()}/cam/hevc/sub`, { Session: sid });
      }
      expect(sim.sessions('hevc', 'sub')).toBe(1);
      const before = rx1.rtp.length;
      await sleep(200);
      expect(rx1.rtp.length).toBe(before);
    } finally {
      quiet.close();
      alive.close();
      await rx1.close();
      await rx2.close();
    }
  });
});

describe('authentication', () => {
  it('Basic: 401 with a challenge, 200 with the right credentials, 401 with wrong ones', async () => {
    const c = await TestRtspClient.connect(sim.rtspPort);
    const url = `${base()}/cam/basic/main`;
    const r1 = await c.request('DESCRIBE', url);
    expect(r1.status).toBe(401);
    expect(r1.headers.get('www-authenticate')).toBe('Basic realm="kuzet-sim"');
    expect((await c.request('DESCRIBE', url, { Authorization: basicAuth('op', 'p@ss:1') })).status).toBe(200);
    expect((await c.request('DESCRIBE', url, { Authorization: basicAuth('op', 'nope') })).status).toBe(401);
    expect((await c.request('DESCRIBE', url, { Authorization: 'Basic !!!' })).status).toBe(401);
    expect((await c.request('OPTIONS', url)).status).toBe(200);
    c.close();
  });

  it('Digest: qop=auth and RFC 2069 answers accepted, wrong password / forged nonce refused, session continues without re-auth', async () => {
    const c = await TestRtspClient.connect(sim.rtspPort);
    const url = `${base()}/cam/digest/sub`;
    const r1 = await c.request('DESCRIBE', url);
    expect(r1.status).toBe(401);
    const ch = r1.headers.get('www-authenticate') ?? '';
    expect(ch).toMatch(/^Digest realm="kuzet-sim", nonce="[0-9a-f]+", algorithm=MD5, qop="auth"$/);
    expect(
      (await c.request('DESCRIBE', url, { Authorization: digestAuth(ch, 'DESCRIBE', url, 'admin', 'secret') })).status,
    ).toBe(200);
    expect(
      (await c.request('DESCRIBE', url, { Authorization: digestAuth(ch, 'DESCRIBE', url, 'admin', 'secret', false) }))
        .status,
    ).toBe(200);
    expect(
      (await c.request('DESCRIBE', url, { Authorization: digestAuth(ch, 'DESCRIBE', url, 'admin', 'wrong') })).status,
    ).toBe(401);
    expect(
      (await c.request('DESCRIBE', url, { Authorization: digestAuth(ch, 'SETUP', url, 'admin', 'secret') })).status,
    ).toBe(401);
    const forged = ch.replace(
      /nonce="([0-9a-f]+)"/,
      (_m, n: string) => `nonce="${n.slice(0, -1)}${n.endsWith('0') ? '1' : '0'}"`,
    );
    expect(
      (await c.request('DESCRIBE', url, { Authorization: digestAuth(forged, 'DESCRIBE', url, 'admin', 'secret') }))
        .status,
    ).toBe(401);
    await c.play(url, { auth: (m, u) => digestAuth(ch, m, u, 'admin', 'secret') });
    expect(sim.sessions('digest', 'sub')).toBe(1);
    c.close();
  });
});
