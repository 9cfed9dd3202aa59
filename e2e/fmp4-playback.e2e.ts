import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamSession } from '../server/src/modules/media/stream-session.ts';
import { chromiumArgs } from './harness.ts';

/**
 * The fMP4 the media engine produces (a StreamSession: RTSP → access units → one
 * fragment per frame, as in the server's workers) plays in Chromium through Media
 * Source Extensions, on a small test page.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><video id="v" muted autoplay playsinline></video>
<script>
window.result = { frames: 0, error: null, width: 0 };
(async () => {
  try {
    const info = await (await fetch('/info')).json();
    const ms = new MediaSource();
    const v = document.getElementById('v');
    v.src = URL.createObjectURL(ms);
    await new Promise((r) => ms.addEventListener('sourceopen', r, { once: true }));
    const type = 'video/mp4; codecs="' + info.codec + '"';
    if (!MediaSource.isTypeSupported(type)) throw new Error('unsupported ' + type);
    const sb = ms.addSourceBuffer(type);
    const append = (buf) => new Promise((res, rej) => { sb.addEventListener('updateend', res, { once: true }); sb.addEventListener('error', rej, { once: true }); sb.appendBuffer(buf); });
    await append(await (await fetch('/init')).arrayBuffer());
    for (let i = 0; i < info.fragments; i++) await append(await (await fetch('/frag/' + i)).arrayBuffer());
    ms.endOfStream();
    v.currentTime = sb.buffered.start(0);
    const count = () => v.requestVideoFrameCallback(() => { window.result.frames++; window.result.width = v.videoWidth; count(); });
    count();
    v.addEventListener('error', () => (window.result.error = 'video error ' + (v.error && v.error.message)));
    await v.play();
  } catch (e) { window.result.error = String(e); }
})();
</script>`;

describe('engine fMP4 in Chromium', { timeout: 120_000 }, () => {
  let sim: Simulator;
  let browser: Browser;
  beforeAll(async () => {
    sim = await startSimulator({
      cameras: [{ id: 'play', scene: 'yard-day', codec: 'h264', main: '720p', stampId: 7 }],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sim?.stop();
  });

  it('plays the live fragments of a simulated camera through MSE', async () => {
    let init: { codec: string; data: Uint8Array } | null = null;
    const frags: Uint8Array[] = [];
    const session = new StreamSession('play', 'sub', sim.url('play', 'sub'), () => undefined, () => undefined);
    session.start();
    const deadline = Date.now() + 30_000;
    while (!session.subscriberCount && Date.now() < deadline) {
      if (session.status.state === 'online') {
        session.subscribe({ id: 1, init: (codec, data) => (init = { codec, data: new Uint8Array(data) }), fragment: (d) => frags.push(new Uint8Array(d)) });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    while (frags.length < 75 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await session.stop();
    expect(init).not.toBeNull();
    const server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      if (url === '/favicon.ico') return void res.writeHead(204).end();
      if (url === '/info') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ codec: init!.codec, fragments: frags.length }));
      if (url === '/init') return void res.writeHead(200).end(init!.data);
      const m = /^\/frag\/(\d+)$/.exec(url);
      if (m && frags[Number(m[1])]) return void res.writeHead(200).end(frags[Number(m[1])]);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { result: { frames: number; error: string | null } }).result.frames >= 25 || (window as unknown as { result: { error: string | null } }).result.error !== null, undefined, { timeout: 30_000 });
    const result = await page.evaluate(() => (window as unknown as { result: { frames: number; error: string | null; width: number } }).result);
    server.close();
    expect(result.error).toBeNull();
    expect(result.frames).toBeGreaterThanOrEqual(25);
    expect(result.width).toBe(640);
    expect(errors).toEqual([]);
  });
});
