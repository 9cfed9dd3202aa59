import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessUnit } from '../types.ts';
import { RtspClient, type RtspTransport } from './rtsp-client.ts';
import { boundUdpSockets } from './udp-sockets.ts';
import type { RtspError } from './errors.ts';

/**
 * Interop with a real, independent RTSP server: GStreamer's gst-rtsp-server (Debian's
 * gir1.2-gst-rtsp-server-1.0 under /usr/bin/python3). Every client gets FRAMES frames
 * at 25 fps from the first one, so count and timestamps are known exactly.
 */
const FRAMES = 50;
const SCRIPT = path.resolve(import.meta.dirname, '../../interop/gst-rtsp-server.py');
const INSTALL = 'apt-get install -y python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad';

function checkGstreamer(): void {
  const r = spawnSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import GstRtspServer"], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`GStreamer's RTSP server is missing for the interop tests. Install it: ${INSTALL}\n${r.stderr}`);
}

async function freeBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const ok = await Promise.all([0, 1, 2, 3, 4].map((d) => portFree(base + d)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

interface Received {
  aus: AccessUnit[];
  error: RtspError | null;
  /** The transport the session played over (null when it never played). */
  transport: RtspTransport | null;
}

function receive(url: string, transport: RtspTransport | 'auto'): Promise<Received> {
  return new Promise((resolve) => {
    const aus: AccessUnit[] = [];
    let settled = false;
    let used: RtspTransport | null = null;
    const done = (error: RtspError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void client.close().then(() => resolve({ aus, error, transport: used }));
    };
    const client = new RtspClient({
      url,
      transport,
      stallTimeoutMs: 3000,
      onAccessUnit: (au) => {
        aus.push({ ...au, nalus: au.nalus.map((n) => new Uint8Array(n)) });
        if (aus.length === FRAMES) setTimeout(() => done(null), 300); // a little longer: nothing more may come
      },
      onError: (e) => done(e),
    });
    const timer = setTimeout(() => done(null), 20_000);
    void client.start().then((info) => (used = info.transport), () => undefined);
  });
}

function expectExactStream(r: Received, codec: 'h264' | 'h265') {
  expect(r.error?.reason ?? null, r.error?.message).not.toBe('auth_failed');
  expect(r.aus.length).toBe(FRAMES);
  expect(r.aus.every((a) => a.codec === codec)).toBe(true);
  expect(r.aus[0]!.keyframe).toBe(true);
  expect(r.aus.filter((a) => a.keyframe).length).toBe(FRAMES / 25);
  const steps = r.aus.slice(1).map((a, i) => a.pts - r.aus[i]!.pts);
  expect(new Set(steps)).toEqual(new Set([3600])); // 25 fps on the 90 kHz clock, none lost or repeated
}

describe('interop with GStreamer RTSP server', { timeout: 60_000 }, () => {
  let server: ChildProcess;
  let base = 0;
  beforeAll(async () => {
    checkGstreamer();
    base = await freeBase();
    server = spawn('/usr/bin/python3', [SCRIPT, String(base), String(FRAMES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      server.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      server.stdout!.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
      server.once('exit', (code) => reject(new Error(`gst-rtsp-server exited (${code}): ${err}`)));
    });
  }, 60_000);
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('H.264 over TCP interleaved', async () => expectExactStream(await receive(`rtsp://127.0.0.1:${base}/h264`, 'tcp'), 'h264'));
  it('H.264 over UDP', async () => expectExactStream(await receive(`rtsp://127.0.0.1:${base}/h264`, 'udp'), 'h264'));
  it('H.264 with Basic auth', async () => expectExactStream(await receive(`rtsp://kuzet:s3cret-pw@127.0.0.1:${base + 1}/h264`, 'tcp'), 'h264'));
  it('H.264 with Digest auth', async () => expectExactStream(await receive(`rtsp://kuzet:s3cret-pw@127.0.0.1:${base + 2}/h264`, 'udp'), 'h264'));
  it('H.265 over TCP', async () => expectExactStream(await receive(`rtsp://127.0.0.1:${base}/h265`, 'tcp'), 'h265'));
  it('wrong credentials: auth_failed, with the password nowhere in the message', async () => {
    const r = await receive(`rtsp://kuzet:Wr0ng-Secret@127.0.0.1:${base + 2}/h264`, 'tcp');
    expect(r.error?.reason).toBe('auth_failed');
    expect(r.error?.message).not.toContain('Wr0ng-Secret');
  });

  it('transport auto behind a server that refuses TCP (UDP only): plays over UDP', async () => {
    const r = await receive(`rtsp://127.0.0.1:${base + 3}/h264`, 'auto');
    expect(r.transport).toBe('udp');
    expectExactStream(r, 'h264');
  });
  it('transport auto behind a server that refuses UDP (TCP only): plays over TCP', async () => {
    const r = await receive(`rtsp://127.0.0.1:${base + 4}/h264`, 'auto');
    expect(r.transport).toBe('tcp');
    expectExactStream(r, 'h264');
  });
  it('a fixed transport the server refuses fails with its 461', async () => {
    const r = await receive(`rtsp://127.0.0.1:${base + 3}/h264`, 'tcp');
    expect([r.error?.reason, r.error?.status]).toEqual(['protocol', 461]);
  });
  it('20 UDP sessions, each closed while playing, and 20 refused UDP SETUPs leave no UDP socket bound', async () => {
    const before = boundUdpSockets().map((s) => s.inode).sort();
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve, reject) => {
        const c = new RtspClient({
          url: `rtsp://127.0.0.1:${base}/h264`,
          transport: 'udp',
          udpPorts: { min: 40000, max: 40999 },
          onAccessUnit: () => void c.close().then(() => resolve()),
          onError: (e) => reject(e),
        });
        void c.start();
      });
      const refused = new RtspClient({ url: `rtsp://127.0.0.1:${base + 4}/h264`, transport: 'udp' });
      await expect(refused.start()).rejects.toMatchObject({ status: 461 });
    }
    expect(boundUdpSockets().map((s) => s.inode).sort()).toEqual(before);
  });
});
