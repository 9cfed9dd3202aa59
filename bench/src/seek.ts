/**
 * The seek part of `npm run bench -- recording` (`--only seek` runs it alone).
 *
 * 1. Real footage: `kuzet demo` with one simulated camera records until `FILES` whole
 *    one-minute files are closed, then stops.
 * 2. A day of index: 1440 rows for that camera, the Almaty day two days back, each a
 *    hard link to one of those real files (`<cameraId>/<day>/<startMs>.mp4`, as the recorder
 *    names them), chained end to start with the real files' durations and keyframe
 *    indexes — a day of footage without 40 GB of video.
 * 3. The server again (recording off: nothing else writes), our real playback routes:
 *    - the day's timeline, GET …/recordings/timeline (first request and then 20 more);
 *    - 20 seeds random points of the day: in headless Chromium, a fresh <video> + MediaSource,
 *      GET …/recordings/media?from=<point>&origin=<day start>, the body appended as it
 *      arrives until 5 s past the point are buffered (a player's buffer goal), currentTime =
 *      the point once it is buffered (paused); timed from the request to the first frame
 *      presented (requestVideoFrameCallback) at the point (its mediaTime within a frame).
 * Prints median and max, writes bench/results/recording-seek.json, removes its data dir.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultCacheDir } from '@kuzet/sim';
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../../e2e/harness.ts';
import { loadConfig } from '../../server/src/config/config.ts';
import { openDatabase } from '../../server/src/db/database.ts';
import { addDays, almatyDate, almatyDayStart } from '../../server/src/lib/almaty-time.ts';
import { freePort, startServerProcess, type ServerProcess } from '../../server/src/testing/cli-process.ts';
import { median } from './proc.ts';

const PASSWORD = 'bench-password-1';
const FILES = 3;
const ROWS = 1440;
const TIMELINE_REPEATS = 20;

export interface SeekOptions {
  points: number;
  seed: number;
  /** Where the data dir goes (its disk was checked by the caller). */
  base: string;
  results: string;
}

/** Seeded PRNG (mulberry32): the same points in every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function mp4Files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.mp4')) out.push(path.join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

/** In the page: sign in, time the timeline, and seek through a fresh MediaSource per point. */
export const PAGE_SCRIPT = String.raw`
window.__bench = {
  async signIn(password) {
    const r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password }) });
    if (!r.ok) throw new Error('sign-in failed: ' + r.status + ' ' + (await r.text()));
  },
  async timeline(url) {
    const t0 = performance.now();
    const r = await fetch(url);
    const body = await r.text();
    const ms = performance.now() - t0;
    let ranges = null;
    try { ranges = JSON.parse(body).ranges?.length ?? null; } catch {}
    return { status: r.status, ms, bytes: body.length, ranges, message: r.ok ? null : body.slice(0, 300) };
  },
  async seek(url, targetS, timeoutMs) {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.style.width = '640px';
    document.body.append(video);
    const abort = new AbortController();
    const out = { status: 0, firstByteMs: null, firstFrameMs: null, mediaTime: null, framesBefore: 0, bytes: 0, start: null, end: null, message: null };
    const t0 = performance.now();
    const done = new Promise((resolve) => {
      const onFrame = (now, meta) => {
        // A frame before the point would be the keyframe's; the seek shows the point's frame.
        if (meta.mediaTime < targetS - 0.045) { out.framesBefore++; video.requestVideoFrameCallback(onFrame); return; }
        out.firstFrameMs = meta.presentationTime - t0;
        out.mediaTime = meta.mediaTime;
        resolve();
      };
      video.requestVideoFrameCallback(onFrame);
      setTimeout(resolve, timeoutMs);
    });
    try {
      const ms = new MediaSource();
      video.src = URL.createObjectURL(ms);
      await new Promise((r) => ms.addEventListener('sourceopen', r, { once: true }));
      const res = await fetch(url, { signal: abort.signal });
      out.status = res.status;
      out.firstByteMs = performance.now() - t0;
      out.start = res.headers.get('x-kuzet-start');
      out.end = res.headers.get('x-kuzet-end');
      if (!res.ok) { out.message = (await res.text()).slice(0, 300); return out; }
      const reader = res.body.getReader();
      let sb = null;
      let head = new Uint8Array(0);
      const append = (chunk) => new Promise((resolve, reject) => {
        sb.addEventListener('updateend', resolve, { once: true });
        sb.addEventListener('error', reject, { once: true });
        sb.appendBuffer(chunk);
      });
      let started = false;
      const pump = (async () => {
        for (;;) {
          const { value, done: end } = await reader.read();
          if (end) break;
          out.bytes += value.byteLength;
          if (!sb) {
            const joined = new Uint8Array(head.length + value.length);
            joined.set(head); joined.set(value, head.length); head = joined;
            const at = indexOf(head, [0x61, 0x76, 0x63, 0x43]); // 'avcC': profile, compatibility, level follow its version byte
            if (at < 0 || head.length < at + 8) continue;
            const hex = (b) => b.toString(16).padStart(2, '0');
            sb = ms.addSourceBuffer('video/mp4; codecs="avc1.' + hex(head[at + 5]) + hex(head[at + 6]) + hex(head[at + 7]) + '"');
            await append(head);
          } else await append(value);
          // Seek once the point is buffered: an init segment without a duration makes the
          // element clamp an earlier seek to 0.
          if (!started && covered(video.buffered, targetS)) {
            started = true;
            video.currentTime = targetS; // paused: the frame presented is the point's own
          }
          // A player's buffer goal: 5 s past the point is enough to show it; reading on would
          // append minutes of video (up to 5 min per response) while the frame is decoded.
          if (started && aheadOf(video.buffered, targetS) >= 5) { await done; break; }
        }
      })().catch((e) => { if (!abort.signal.aborted) out.message = String(e); });
      await Promise.race([done, pump]);
      await done;
      return out;
    } catch (e) {
      out.message = String(e);
      return out;
    } finally {
      abort.abort();
      video.pause();
      URL.revokeObjectURL(video.src);
      video.remove();
    }
    function aheadOf(ranges, t) {
      for (let i = 0; i < ranges.length; i++) if (ranges.start(i) <= t && t < ranges.end(i)) return ranges.end(i) - t;
      return 0;
    }
    function covered(ranges, t) {
      for (let i = 0; i < ranges.length; i++) if (ranges.start(i) <= t && t < ranges.end(i)) return true;
      return false;
    }
    function indexOf(buf, pat) {
      outer: for (let i = 0; i + pat.length <= buf.length; i++) { for (let j = 0; j < pat.length; j++) if (buf[i + j] !== pat[j]) continue outer; return i; }
      return -1;
    }
  },
};
`;

interface SeekResult {
  status: number;
  firstByteMs: number | null;
  firstFrameMs: number | null;
  mediaTime: number | null;
  framesBefore: number;
  bytes: number;
  start: string | null;
  end: string | null;
  message: string | null;
}
interface TimelineResult {
  status: number;
  ms: number;
  bytes: number;
  ranges: number | null;
  message: string | null;
}
interface Bench {
  __bench: {
    signIn(p: string): Promise<void>;
    timeline(url: string): Promise<TimelineResult>;
    seek(url: string, targetS: number, timeoutMs: number): Promise<SeekResult>;
  };
}

export async function runSeek(opts: SeekOptions): Promise<void> {
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`\nseek benchmark: ${ROWS} one-minute index rows of one camera's day over ${FILES} real recorded files (hard links), ${opts.points} seeded points (seed ${opts.seed}), load average ${load()}`);
  const dataDir = fs.mkdtempSync(path.join(opts.base, 'kuzet-bench-seek-'));
  let simPort = await freePort();
  while (!(await portFree(simPort + 1))) simPort = await freePort();
  const env = {
    KUZET_DATA_DIR: dataDir,
    KUZET_DEMO_PASSWORD: PASSWORD,
    KUZET_LOG_LEVEL: 'warn',
    KUZET_SIM_CAMERAS: '1',
    KUZET_SIM_PORT: String(simPort),
    // The benchmark simulator's cache and loop length: its clips are encoded once per machine
    // (a fresh cache would encode the scene before the server answers).
    KUZET_SIM_CACHE: defaultCacheDir(),
    KUZET_SIM_LOOP_SECONDS: '10',
    KUZET_RECORDING_SEGMENT_SECONDS: '60',
  };
  const config = loadConfig({}, { ...env, KUZET_LOG_LEVEL: 'silent' });
  const root = config.recordings.dir;
  let server: ServerProcess | null = null;
  try {
    // 1. Real footage from our recorder.
    server = await startServerProcess(['demo'], { ...env, KUZET_RECORDING: 'on' });
    const deadline = Date.now() + (FILES + 2) * 60_000 + 60_000;
    let last = -1;
    while (mp4Files(root).length < FILES + 1) {
      if (Date.now() > deadline) throw new Error(`the recorder wrote ${mp4Files(root).length} file(s) under ${root} in ${FILES + 3} minutes (is the recorder on this branch?)`);
      const n = mp4Files(root).length;
      if (n !== last) console.log(`  recording real footage: ${n} file(s) so far (${FILES} whole ones wanted)`);
      last = n;
      await new Promise((r) => setTimeout(r, 5000));
    }
    await server.stop();
    server = null;

    // 2. A day of index rows over hard links to those files.
    const handle = await openDatabase(config.database);
    let cameraId: string;
    let dayStart: number;
    try {
      const real = (await handle.db.selectFrom('recordingSegments').selectAll().where('state', 'in', ['closed', 'recovered']).orderBy('startAt').execute()).filter(
        (r) => r.endAt.getTime() - r.startAt.getTime() >= 50_000,
      );
      if (!real.length) throw new Error('the recorder indexed no whole one-minute file');
      const sources = real.slice(0, FILES);
      const first = sources[0]!;
      cameraId = first.cameraId;
      const day = addDays(almatyDate(new Date()), -2);
      dayStart = almatyDayStart(day).getTime();
      let at = dayStart;
      const rows = [];
      for (let i = 0; i < ROWS; i++) {
        const src = sources[i % sources.length]!;
        const dur = src.endAt.getTime() - src.startAt.getTime();
        const rel = `${cameraId}/${almatyDate(new Date(at))}/${at}.mp4`;
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.linkSync(path.join(root, src.path), path.join(root, rel));
        rows.push({
          complexId: src.complexId,
          cameraId,
          stream: 'main',
          path: rel,
          startAt: new Date(at),
          endAt: new Date(at + dur),
          bytes: src.bytes,
          codec: src.codec,
          width: src.width,
          height: src.height,
          keyframes: JSON.stringify(src.keyframes),
          state: 'closed' as const,
        });
        at += dur;
      }
      for (let i = 0; i < rows.length; i += 200) await handle.db.insertInto('recordingSegments').values(rows.slice(i, i + 200)).execute();
      const secs = sources.map((s) => ((s.endAt.getTime() - s.startAt.getTime()) / 1000).toFixed(1));
      console.log(`  ${ROWS} rows from ${day} 00:00 Almaty over ${sources.length} real files (${secs.join(', ')} s, ${sources.map((s) => (s.bytes / 1e6).toFixed(1)).join(', ')} MB)`);
    } finally {
      await handle.close();
    }

    // 3. Our server's playback routes, in Chromium.
    server = await startServerProcess(['demo'], { ...env, KUZET_RECORDING: 'off' });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'], headless: true });
    try {
      const page = await (await browser.newContext({ viewport: { width: 800, height: 600 } })).newPage();
      await page.goto(`${server.url}/api/health`);
      await page.evaluate(PAGE_SCRIPT);
      await page.evaluate((p) => (globalThis as unknown as Bench).__bench.signIn(p), PASSWORD);
      const iso = (ms: number) => new Date(ms).toISOString();
      const api = `/api/v1/cameras/${cameraId}/recordings`;

      const tlUrl = `${api}/timeline?from=${encodeURIComponent(iso(dayStart))}&to=${encodeURIComponent(iso(dayStart + 86_400_000))}`;
      const timeline: TimelineResult[] = [];
      for (let i = 0; i <= TIMELINE_REPEATS; i++) timeline.push(await page.evaluate((u) => (globalThis as unknown as Bench).__bench.timeline(u), tlUrl));
      const tlOk = timeline.filter((t) => t.status === 200);
      const tlMs = tlOk.slice(1).map((t) => t.ms);
      if (!tlOk.length) console.log(`  timeline: not measured — ${timeline[0]!.status} ${timeline[0]!.message ?? ''}`);
      else console.log(`  timeline of the day (${tlOk[0]!.ranges} range(s), ${(tlOk[0]!.bytes / 1024).toFixed(1)} KB): first ${tlOk[0]!.ms.toFixed(0)} ms, then median ${median(tlMs).toFixed(0)} ms, max ${Math.max(...tlMs).toFixed(0)} ms over ${tlMs.length} (target ≤ 100 ms)`);

      const random = rng(opts.seed);
      const points = Array.from({ length: opts.points }, () => dayStart + Math.floor(random() * (86_400_000 - 60_000)));
      const seeks: (SeekResult & { at: string })[] = [];
      for (const p of points) {
        const url = `${api}/media?from=${encodeURIComponent(iso(p))}&origin=${encodeURIComponent(iso(dayStart))}`;
        const r = await page.evaluate(([u, t]) => (globalThis as unknown as Bench).__bench.seek(u, t, 10_000), [url, (p - dayStart) / 1000] as [string, number]);
        seeks.push({ ...r, at: iso(p) });
        const off = r.mediaTime === null ? '' : `, frame at ${(r.mediaTime * 1000 - (p - dayStart)).toFixed(0)} ms from the point`;
        console.log(`  seek ${iso(p)}: ${r.status} ${r.firstFrameMs === null ? `no frame (${r.message ?? 'timeout'})` : `first frame ${r.firstFrameMs.toFixed(0)} ms`} (first byte ${r.firstByteMs?.toFixed(0) ?? '—'} ms, ${(r.bytes / 1e6).toFixed(2)} MB read${off}, response starts ${r.start ?? '—'})`);
        if (r.status === 404 && seeks.length === 1 && /route/i.test(r.message ?? '')) break; // the route is not on this branch
      }
      const shown = seeks.filter((s) => s.firstFrameMs !== null).map((s) => s.firstFrameMs!);
      const summary = {
        timeline: tlOk.length ? { firstMs: tlOk[0]!.ms, medianMs: median(tlMs), maxMs: Math.max(...tlMs), ranges: tlOk[0]!.ranges, target: '≤ 100 ms', met: Math.max(...tlMs) <= 100 } : null,
        seek: shown.length ? { points: seeks.length, shown: shown.length, medianMs: median(shown), maxMs: Math.max(...shown), target: 'median ≤ 300 ms, max ≤ 1000 ms', met: shown.length === seeks.length && median(shown) <= 300 && Math.max(...shown) <= 1000 } : null,
      };
      if (summary.seek) console.log(`\nseek, request → first frame at the point presented: median ${summary.seek.medianMs.toFixed(0)} ms, max ${summary.seek.maxMs.toFixed(0)} ms over ${shown.length}/${seeks.length} points (target median ≤ 300, max ≤ 1000) → ${summary.seek.met ? 'met' : 'MISSED'}`);
      else console.log(`\nseek: not measured — ${seeks[0]?.status ?? ''} ${seeks[0]?.message ?? ''}`);
      if (summary.timeline) console.log(`timeline of a day: median ${summary.timeline.medianMs.toFixed(0)} ms, max ${summary.timeline.maxMs.toFixed(0)} ms (target ≤ 100) → ${summary.timeline.met ? 'met' : 'MISSED'}`);
      fs.writeFileSync(opts.results, JSON.stringify({ at: new Date().toISOString(), chromium: browser.version(), rows: ROWS, files: FILES, seed: opts.seed, loadavg: os.loadavg(), summary, timeline, seeks }, null, 2));
      console.log(`written ${path.relative(process.cwd(), opts.results)} (load average ${load()})`);
    } finally {
      await browser.close();
    }
  } finally {
    if (server) await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
