/**
 * `npm run bench -- live [--rounds 5] [--settle 3] [--window 5]`
 *
 * In headless Chromium against `kuzet demo` with 17 simulated cameras, a 16-tile wall
 * (sub streams) with one camera full screen on its main stream over it, opened afresh
 * in each round, ours (start at the GOP cache, then catch up to the live edge) and the
 * baseline player that waits for the next live keyframe (go2rtc/Frigate behaviour),
 * one after the other in every round:
 *  - time to first picture: the tile asked for video → its first frame presented;
 *  - time to first picture less than 500 ms old (server arrival → presented): the GOP
 *    cache's first picture can be a GOP (2 s in the simulator) old;
 *  - time to first media bytes (where the first picture's time goes: network and
 *    server, or the page's decoding);
 *  - live latency: the server received a frame → Chromium presented it, matched per
 *    frame through the fragment's decode time (requestVideoFrameCallback's mediaTime),
 *    median per tile over the window after settling, then the median over tiles;
 *  - the server's CPU with the wall open.
 * Per round the median (and the max) over the 17 tiles; printed: the median over
 * rounds with the spread (min–max). Writes bench/results/live.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs } from '../../e2e/harness.ts';
import { startServerProcess } from '../../server/src/testing/cli-process.ts';
import { measure, median } from './proc.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, window: { type: 'string' }, settle: { type: 'string' } } });
const ROUNDS = Math.max(1, Number(values.rounds ?? 5));
const WINDOW = Number(values.window ?? 5) * 1000;
const SETTLE = Number(values.settle ?? 3) * 1000;
const PASSWORD = 'bench-password-1';
const TILES = 17;
const ROOT = path.resolve(import.meta.dirname, '../..');

type Samples = Record<string, { arrival: number; presented: number }[]>;
type First = Record<string, { requestedAt?: number; firstByteAt?: number; firstFrameAt?: number; firstFreshAt?: number }>;
type Start = 'cache' | 'keyframe';

interface Round {
  firstPictureMs: number;
  firstPictureMaxMs: number;
  freshPictureMs: number;
  freshPictureMaxMs: number;
  firstBytesMs: number;
  latencyMs: number;
  latencyTiles: number;
  serverCpuPct: number;
  /** Per tile ("full" = the main stream): ms from asking to first bytes / first picture / first picture < 500 ms old. */
  tiles: Record<string, { bytes: number; first: number; fresh: number }>;
}

const spread = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
type Spread = ReturnType<typeof spread>;
const fmt = (s: Spread) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;

async function main() {
  // The server serves the console from web/dist: a fresh clone has none yet.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-web-build.mjs')], { stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-live-'));
  const server = await startServerProcess(['demo'], {
    KUZET_DATA_DIR: dataDir,
    KUZET_DEMO_PASSWORD: PASSWORD,
    KUZET_LOG_LEVEL: process.env.KUZET_BENCH_LOG_LEVEL ?? 'warn',
    KUZET_SIM_CAMERAS: String(TILES),
    KUZET_SIM_PORT: String(20000 + Math.floor(Math.random() * 20000)),
    KUZET_SIM_CACHE: path.join(os.tmpdir(), 'kuzet-sim-e2e-cache'),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'], headless: true });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const { wallLayout, fullCamera } = await prepare(context, server.url);
    console.log(`live benchmark: Chromium ${browser.version()}, a 16-tile wall + 1 full screen, ${ROUNDS} rounds, settle ${SETTLE / 1000} s, window ${WINDOW / 1000} s, ${os.availableParallelism()} cores`);
    const serverPids = () => [server.child.pid!];
    const idle = await measure(serverPids, Math.min(WINDOW, 5000));

    const run = async (start: Start): Promise<Round> => {
      const page = await context.newPage();
      await page.goto(`${server.url}/monitoring?layout=${wallLayout}&camera=${fullCamera}&start=${start}`);
      const firsts = () => page.evaluate(() => (globalThis as unknown as { __kuzetLiveFirstFrame?: First }).__kuzetLiveFirstFrame ?? {});
      const until = Date.now() + 60_000;
      const all = (key: 'firstFrameAt' | 'firstFreshAt') => async () => Object.values(await firsts()).filter((f) => f[key] !== undefined).length >= TILES;
      while (!(await all('firstFrameAt')()) && Date.now() < until) await page.waitForTimeout(100);
      while (!(await all('firstFreshAt')()) && Date.now() < until) await page.waitForTimeout(100);
      const byTile = await firsts();
      const f = Object.values(byTile);
      const ms = (x: First[string], key: 'firstByteAt' | 'firstFrameAt' | 'firstFreshAt') => (x[key] !== undefined && x.requestedAt !== undefined ? Math.round(x[key]! - x.requestedAt) : Number.NaN);
      const tiles = Object.fromEntries(Object.entries(byTile).map(([k, x]) => [k, { bytes: ms(x, 'firstByteAt'), first: ms(x, 'firstFrameAt'), fresh: ms(x, 'firstFreshAt') }]));
      const since = (key: 'firstByteAt' | 'firstFrameAt' | 'firstFreshAt') => f.flatMap((x) => (x[key] !== undefined && x.requestedAt !== undefined ? [x[key]! - x.requestedAt] : []));
      await page.waitForTimeout(SETTLE);
      const from = Date.now();
      const cpu = await measure(serverPids, WINDOW);
      const samples = await page.evaluate(() => (globalThis as unknown as { __kuzetLive?: Samples }).__kuzetLive ?? {});
      const lat: number[] = [];
      for (const list of Object.values(samples)) {
        const mine = list.filter((x) => x.presented >= from).map((x) => x.presented - x.arrival);
        if (mine.length) lat.push(median(mine));
      }
      await page.close();
      const first = since('firstFrameAt');
      const fresh = since('firstFreshAt');
      if (first.length < TILES || fresh.length < TILES) console.log(`  (only ${first.length}/${TILES} tiles showed a picture, ${fresh.length} a fresh one, within 60 s)`);
      return {
        firstPictureMs: median(first),
        firstPictureMaxMs: Math.max(...first),
        freshPictureMs: median(fresh),
        freshPictureMaxMs: Math.max(...fresh),
        firstBytesMs: median(since('firstByteAt')),
        latencyMs: lat.length ? median(lat) : Number.NaN,
        latencyTiles: lat.length,
        serverCpuPct: cpu.cpuPct,
        tiles,
      };
    };

    const rounds: Record<Start, Round[]> = { cache: [], keyframe: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const start of ['cache', 'keyframe'] as const) {
        const r = await run(start);
        rounds[start].push(r);
        console.log(
          `  round ${i + 1} ${start.padEnd(8)} first picture ${r.firstPictureMs.toFixed(0)} ms (max ${r.firstPictureMaxMs.toFixed(0)}), < 500 ms old ${r.freshPictureMs.toFixed(0)} ms (max ${r.freshPictureMaxMs.toFixed(0)}), first bytes ${r.firstBytesMs.toFixed(0)} ms, latency ${r.latencyMs.toFixed(0)} ms over ${r.latencyTiles} tiles, server ${r.serverCpuPct.toFixed(1)} %`,
        );
      }
    }
    // KUZET_BENCH_LOG_LEVEL=debug: the server's own split of each wall's start (authorize, audit).
    if (process.env.KUZET_BENCH_LOG_LEVEL) for (const line of server.output().split('\n')) if (line.includes('live views start')) console.log(`  server: ${line}`);
    const summary = (start: Start) => {
      const rs = rounds[start];
      return {
        firstPictureMs: spread(rs.map((r) => r.firstPictureMs)),
        firstPictureMaxMs: spread(rs.map((r) => r.firstPictureMaxMs)),
        freshPictureMs: spread(rs.map((r) => r.freshPictureMs)),
        freshPictureMaxMs: spread(rs.map((r) => r.freshPictureMaxMs)),
        firstBytesMs: spread(rs.map((r) => r.firstBytesMs)),
        latencyMs: spread(rs.map((r) => r.latencyMs)),
        serverCpuPct: spread(rs.map((r) => r.serverCpuPct)),
      };
    };
    const ours = summary('cache');
    const base = summary('keyframe');
    const row = (label: string, o: Spread, b: Spread, ratio: string) => console.log(`${label.padEnd(50)}${fmt(o).padStart(18)}${fmt(b).padStart(20)}  ${ratio}`);
    console.log(`\nmedian over ${ROUNDS} rounds (min–max), 16 + 1 tiles`);
    console.log(`${''.padEnd(50)}${'ours'.padStart(18)}${'no-cache base'.padStart(20)}  ratio`);
    row('time to first picture, median ms (≤ 300)', ours.firstPictureMs, base.firstPictureMs, `${(base.firstPictureMs.median / ours.firstPictureMs.median).toFixed(1)}× faster`);
    row('time to first picture, max over tiles ms (≤ 600)', ours.firstPictureMaxMs, base.firstPictureMaxMs, '');
    row('first picture < 500 ms old, median ms', ours.freshPictureMs, base.freshPictureMs, `${(base.freshPictureMs.median / ours.freshPictureMs.median).toFixed(1)}× faster`);
    row('first picture < 500 ms old, max over tiles ms', ours.freshPictureMaxMs, base.freshPictureMaxMs, '');
    row('first media bytes, median ms', ours.firstBytesMs, base.firstBytesMs, '');
    row('live latency, median ms (within 50 of the base)', ours.latencyMs, base.latencyMs, `${(ours.latencyMs.median - base.latencyMs.median).toFixed(0)} ms more (${(ours.latencyMs.median / base.latencyMs.median).toFixed(2)}×)`);
    row('server CPU with the wall open, % of one core', ours.serverCpuPct, base.serverCpuPct, `(no viewer: ${idle.cpuPct.toFixed(1)} %)`);
    const out = path.join(ROOT, 'bench/results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, 'live.json');
    fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), rounds: ROUNDS, windowS: WINDOW / 1000, settleS: SETTLE / 1000, idleServerCpuPct: idle.cpuPct, ours, baseline: base, perRound: rounds }, null, 2));
    console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Signs in, waits for the 17 cameras to be online, saves the wall's layout. */
async function prepare(context: BrowserContext, url: string): Promise<{ wallLayout: string; fullCamera: string }> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('login-username').fill('operator');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  const complexId = await page.evaluate(async () => ((await (await fetch('/api/v1/complexes')).json()) as { items: { id: string }[] }).items[0]!.id);
  const cameras = await page.evaluate(async (id: string) => ((await (await fetch(`/api/v1/complexes/${id}/cameras?limit=200`)).json()) as { items: { id: string }[] }).items, complexId);
  const online = () => page.evaluate(async (id: string) => ((await (await fetch(`/api/v1/complexes/${id}/cameras?limit=200&state=online`)).json()) as { total: number }).total, complexId);
  const deadline = Date.now() + 300_000;
  while ((await online()) < TILES && Date.now() < deadline) await page.waitForTimeout(1000);
  const wallLayout = await page.evaluate(async (cells: string[]) => {
    const s = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
    const id = crypto.randomUUID();
    await fetch(`/api/v1/me/layouts/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: JSON.stringify({ name: 'bench-16', grid: 16, cells }) });
    return id;
  }, cameras.slice(0, 16).map((c) => c.id));
  await page.close();
  return { wallLayout, fullCamera: cameras[16]!.id };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
