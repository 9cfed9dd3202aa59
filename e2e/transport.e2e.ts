import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';
import { saveLayout } from './live-helpers.ts';

/**
 * Acceptance 1 of issue 7: cameras behind an independent RTSP server (GStreamer's)
 * that refuses TCP, and one that refuses UDP, both with transport `auto`, play live
 * in Chromium, and the camera card says which transport each one uses.
 */
const SCRIPT = path.resolve(import.meta.dirname, '../packages/media/interop/gst-rtsp-server.py');
const INSTALL = 'apt-get install -y python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function freeBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    if ((await Promise.all([0, 1, 2, 3, 4].map((d) => portFree(base + d)))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

/** A hash of the pixels the <video> shows now (null before the first decoded frame). */
function pictureHash(page: Page, selector: string): Promise<number | null> {
  return page.evaluate((sel) => {
    const v = document.querySelector(sel) as HTMLVideoElement | null;
    if (!v || !v.videoWidth) return null;
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(v, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i += 4) h = Math.imul(h ^ d[i]!, 16777619);
    return h >>> 0;
  }, selector);
}

describe('camera transport against GStreamer RTSP servers restricted to one transport', { timeout: 240_000 }, () => {
  let h: Harness;
  let gst: ChildProcess;
  let base = 0;
  beforeAll(async () => {
    const probe = spawnSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import GstRtspServer"], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`GStreamer's RTSP server is missing for this test. Install it: ${INSTALL}\n${probe.stderr}`);
    base = await freeBase();
    // FRAMES 0: a live stream without end. PORT+3 refuses TCP, PORT+4 refuses UDP.
    gst = spawn('/usr/bin/python3', [SCRIPT, String(base), '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      gst.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      gst.stdout!.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
      gst.once('exit', (code) => reject(new Error(`gst-rtsp-server exited (${code}): ${err}`)));
    });
    h = await startHarness({ simCameras: 0 });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    gst?.kill('SIGKILL');
  });

  it('plays a UDP-only and a TCP-only camera live with transport auto; the card says UDP and TCP', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'admin');
    const servers = [
      { name: 'GStreamer UDP-only', url: `rtsp://127.0.0.1:${base + 3}/h264`, expected: 'UDP' },
      { name: 'GStreamer TCP-only', url: `rtsp://127.0.0.1:${base + 4}/h264`, expected: 'TCP' },
    ];
    const cameras = await page.evaluate(async (list) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
      const complexes = (await (await fetch('/api/v1/complexes')).json()) as { items: { id: string }[] };
      const out: { id: string; transport: string }[] = [];
      for (const s of list) {
        const r = await fetch(`/api/v1/complexes/${complexes.items[0]!.id}/cameras`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          // The wall plays sub streams: the same mount serves both (a session each). No transport: the default, auto.
          body: JSON.stringify({ name: s.name, type: 'yard', mainUrl: s.url, subUrl: s.url }),
        });
        if (!r.ok) throw new Error(`create camera: ${r.status} ${await r.text()}`);
        out.push((await r.json()) as { id: string; transport: string });
      }
      return out;
    }, servers);
    expect(cameras.map((c) => c.transport)).toEqual(['auto', 'auto']);

    const layout = await saveLayout(page, 'transports', 4, [cameras[0]!.id, cameras[1]!.id, null, null]);
    await page.goto(`${h.url}/monitoring?layout=${layout}`);
    for (let i = 0; i < 2; i++) {
      await expect.poll(() => page.getByTestId(`tile-${i}`).getAttribute('data-state'), { timeout: 60_000, interval: 300 }).toBe('playing');
      const video = `[data-testid="tile-video-${i}"]`;
      let first: number | null = null;
      await expect.poll(async () => (first = await pictureHash(page, video)), { timeout: 15_000, interval: 200 }).not.toBeNull();
      // The test pattern's ball moves: a later picture differs from the first.
      await expect.poll(() => pictureHash(page, video), { timeout: 15_000, interval: 200 }).not.toBe(first);
    }

    for (let i = 0; i < 2; i++) {
      await page.goto(`${h.url}/cameras?camera=${cameras[i]!.id}`);
      for (const stream of ['main', 'sub']) {
        await expect.poll(() => page.getByTestId(`camera-detail-transport-${stream}`).textContent(), { timeout: 15_000, interval: 300 }).toBe(servers[i]!.expected);
      }
      expect(await page.getByTestId('camera-detail-transport-setting').textContent()).toContain('Авто');
    }
    expect(errors).toEqual([]);
  });
});
