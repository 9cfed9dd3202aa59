import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamSession } from '../server/src/modules/media/stream-session.ts';
import { Recorder } from '../server/src/modules/recording/recorder.ts';
import type { RecorderReport, SegmentReport } from '../server/src/modules/recording/recorder.protocol.ts';
import { chromiumArgs } from './harness.ts';

/**
 * Acceptance 1 of issue 8, "they play in Chromium": files the recorder wrote (the
 * worker-side Recorder on a StreamSession of a simulated camera, as in a media worker)
 * play in Chromium both as a plain <video src> over HTTP and appended whole through Media
 * Source Extensions: frames are presented (requestVideoFrameCallback), currentTime
 * advances, the duration is the file's, and no error is raised. The frame stamp is read
 * back from the presented pixels, so the picture really is the camera's.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><video id="v" muted playsinline></video><canvas id="c"></canvas>
<script>
window.play = async (file, mode) => {
  const r = (window.result = { frames: 0, error: null, width: 0, duration: 0, currentTime: 0, stampRow: null, done: false });
  const v = document.getElementById('v');
  v.addEventListener('error', () => (r.error = 'video error ' + (v.error && v.error.code) + ' ' + (v.error && v.error.message)));
  try {
    if (mode === 'src') v.src = file;
    else {
      const info = await (await fetch(file + '.json')).json();
      const ms = new MediaSource();
      v.src = URL.createObjectURL(ms);
      await new Promise((res) => ms.addEventListener('sourceopen', res, { once: true }));
      const type = 'video/mp4; codecs="' + info.codec + '"';
      if (!MediaSource.isTypeSupported(type)) throw new Error('unsupported ' + type);
      const sb = ms.addSourceBuffer(type);
      const buf = await (await fetch(file)).arrayBuffer();
      await new Promise((res, rej) => { sb.addEventListener('updateend', res, { once: true }); sb.addEventListener('error', () => rej(new Error('append failed')), { once: true }); sb.appendBuffer(buf); });
      ms.endOfStream();
    }
    if (v.readyState < 1) await new Promise((res, rej) => { v.addEventListener('loadedmetadata', res, { once: true }); v.addEventListener('error', () => rej(new Error(r.error)), { once: true }); });
    r.duration = v.duration;
    const count = () => v.requestVideoFrameCallback(() => { r.frames++; r.width = v.videoWidth; if (r.frames < 200) count(); });
    count();
    await v.play();
    await new Promise((res) => { const t = setInterval(() => { if (r.frames >= 30 || r.error || v.ended) { clearInterval(t); res(); } }, 50); });
    v.pause();
    r.currentTime = v.currentTime;
    // The top-left strip of the presented frame, gray, for the stamp decoder.
    const c = document.getElementById('c');
    c.width = v.videoWidth; c.height = v.videoHeight;
    const g = c.getContext('2d', { willReadFrequently: true });
    g.drawImage(v, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    const gray = new Array(c.width * c.height);
    for (let i = 0; i < gray.length; i++) gray[i] = px[i * 4 + 1];
    r.stampRow = gray;
  } catch (e) { r.error = String(e && e.message || e); }
  r.done = true;
};
</script>`;

interface Result {
  frames: number;
  error: string | null;
  width: number;
  duration: number;
  currentTime: number;
  stampRow: number[] | null;
}

describe('recorded files in Chromium', { timeout: 120_000 }, () => {
  let sim: Simulator;
  let browser: Browser;
  let server: http.Server;
  let base = '';
  let root = '';
  const closed: SegmentReport[] = [];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-rec-e2e-'));
    sim = await startSimulator({
      cameras: [{ id: 'rec', scene: 'yard-day', codec: 'h264', main: '360p', stampId: 909 }],
      httpPort: false,
      loopSeconds: 2,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    // The recorder as a media worker runs it: a consumer of the main stream's session, 5 s files.
    const reports: RecorderReport[] = [];
    const recorder = new Recorder('cam-e2e', { root, segmentSeconds: 5 }, (r) => reports.push(r));
    const session = new StreamSession('cam-e2e', 'main', sim.url('rec', 'main'), () => undefined, () => undefined);
    session.addConsumer(recorder);
    session.start();
    const deadline = Date.now() + 60_000;
    while (reports.filter((r) => r.kind === 'segment' && r.state === 'closed').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await recorder.stop('recording_off');
    session.removeConsumer(recorder);
    await session.stop();
    closed.push(...reports.filter((r): r is SegmentReport => r.kind === 'segment' && r.state === 'closed'));
    expect(closed.length).toBeGreaterThanOrEqual(2);

    server = http.createServer((req, res) => {
      const url = decodeURIComponent(req.url ?? '/');
      if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      if (url === '/favicon.ico') return void res.writeHead(204).end();
      const json = url.endsWith('.json');
      const rel = url.slice(1).replace(/\.json$/, '');
      const seg = closed.find((s) => s.path === rel);
      if (!seg) return void res.writeHead(404).end();
      if (json) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ codec: seg.codec }));
      const body = fs.readFileSync(path.join(root, rel));
      // Range support, as the playback API and any static server give it.
      const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
      if (m) {
        const start = Number(m[1]);
        const end = m[2] ? Number(m[2]) : body.length - 1;
        res.writeHead(206, { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${body.length}`, 'content-length': end - start + 1 });
        return void res.end(body.subarray(start, end + 1));
      }
      res.writeHead(200, { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await sim?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  for (const mode of ['src', 'mse'] as const) {
    it(`plays recorded files ${mode === 'src' ? 'as <video src> over HTTP' : 'appended whole through MSE'}`, async () => {
      const { decodeStamp } = await import('@kuzet/sim');
      for (const seg of closed.slice(0, 2)) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.goto(`${base}/`);
        // Started, then watched the way the live test does (polling on animation frames keeps the page painting).
        await page.evaluate(([file, m]) => void (window as unknown as { play(f: string, m: string): Promise<void> }).play(file!, m!), [`/${seg.path}`, mode]);
        await page.waitForFunction(() => (window as unknown as { result?: { done: boolean } }).result?.done === true, undefined, { timeout: 30_000 });
        const r = await page.evaluate(() => (window as unknown as { result: Result }).result);
        await page.close();
        expect(r.error, seg.path).toBeNull();
        expect(r.frames, seg.path).toBeGreaterThanOrEqual(30);
        expect(r.width).toBe(640);
        expect(r.currentTime).toBeGreaterThan(0.5);
        expect(Math.abs(r.duration - (seg.endMs - seg.startMs) / 1000)).toBeLessThanOrEqual(0.1);
        const stamp = decodeStamp({ width: 640, height: 360, data: Uint8Array.from(r.stampRow!) });
        expect(stamp?.id).toBe(909);
        expect(errors).toEqual([]);
      }
    });
  }
});
