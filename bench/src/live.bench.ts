/**
 * `npm run bench -- live [--window 10] [--settle 6]`
 *
 * In headless Chromium against `kuzet demo` with simulated cameras:
 *  - time to first frame (tile opened → first frame presented) and live latency (the
 *    server received a frame → Chromium presented it, matched per frame through the
 *    player's fragment timestamps; median once caught up), for 1 tile and for a 16-tile
 *    wall plus one full-screen main stream;
 *  - the server's added CPU for that wall, per viewer;
 * ours (start at the GOP cache) against the baseline player that waits for the next
 * keyframe (go2rtc/Frigate behaviour), one after the other in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { startServerProcess } from '../../server/src/testing/cli-process.ts';
import { chromiumArgs } from '../../e2e/harness.ts';
import { measure, median } from './proc.ts';

const { values } = parseArgs({ options: { window: { type: 'string' }, settle: { type: 'string' } } });
const WINDOW = Number(values.window ?? 10) * 1000;
const SETTLE = Number(values.settle ?? 6) * 1000;
const PASSWORD = 'bench-password-1';

type Samples = Record<string, { arrival: number; presented: number }[]>;
type First = Record<string, { requestedAt: number; firstFrameAt: number }>;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-live-'));
  const server = await startServerProcess(['demo'], {
    KUZET_DATA_DIR: dataDir,
    KUZET_DEMO_PASSWORD: PASSWORD,
    KUZET_LOG_LEVEL: 'warn',
    KUZET_SIM_CAMERAS: '17',
    KUZET_SIM_PORT: String(20000 + Math.floor(Math.random() * 20000)),
    KUZET_SIM_CACHE: path.join(os.tmpdir(), 'kuzet-sim-e2e-cache'),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'], headless: true });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('login-username').fill('operator');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor();
    const cameras = await page.evaluate(async () => {
      const c = (await (await fetch('/api/v1/complexes')).json()) as { items: { id: string }[] };
      return ((await (await fetch(`/api/v1/complexes/${c.items[0]!.id}/cameras?limit=200`)).json()) as { items: { id: string; name: string }[] }).items;
    });
    const online = async () =>
      page.evaluate(async (id: string) => ((await (await fetch(`/api/v1/complexes/${id}/cameras?limit=200&state=online`)).json()) as { total: number }).total, await page.evaluate(async () => ((await (await fetch('/api/v1/complexes')).json()) as { items: { id: string }[] }).items[0]!.id));
    const deadline = Date.now() + 300_000;
    while ((await online()) < 17 && Date.now() < deadline) await page.waitForTimeout(1000);
    const layout = async (name: string, cells: string[]) =>
      page.evaluate(
        async ({ name, cells }) => {
          const s = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
          const id = crypto.randomUUID();
          await fetch(`/api/v1/me/layouts/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: JSON.stringify({ name, grid: cells.length, cells }) });
          return id;
        },
        { name, cells },
      );
    const one = await layout('bench-1', [cameras[0]!.id]);
    const sixteen = await layout('bench-16', cameras.slice(0, 16).map((c) => c.id));
    const fullCamera = cameras[16]!.id;

    console.log(`live benchmark: Chromium ${browser.version()}, ${cameras.length} simulated cameras, settle ${SETTLE / 1000} s, window ${WINDOW / 1000} s, ${os.availableParallelism()} cores`);
    const serverPids = () => [server.child.pid!];
    const idle = await measure(serverPids, WINDOW);

    const run = async (start: 'cache' | 'keyframe', scenario: '1' | '16+1') => {
      // One page: the wall, and for 16+1 the full-screen main stream open over it (the wall keeps playing beneath).
      const wall = await context.newPage();
      const pages: Page[] = [wall];
      const full = scenario === '16+1' ? `&camera=${fullCamera}` : '';
      await wall.goto(`${server.url}/monitoring?layout=${scenario === '1' ? one : sixteen}${full}&start=${start}`);
      const tiles = scenario === '1' ? 1 : 17;
      const firsts = async () => {
        const all: First = {};
        for (const [i, p] of pages.entries()) {
          const f = await p.evaluate(() => (globalThis as unknown as { __kuzetLiveFirstFrame?: First }).__kuzetLiveFirstFrame ?? {});
          for (const [k, v] of Object.entries(f)) all[`${i}:${k}`] = v;
        }
        return all;
      };
      const until = Date.now() + 60_000;
      while (Object.keys(await firsts()).length < tiles && Date.now() < until) await wall.waitForTimeout(200);
      const ff = Object.values(await firsts()).map((f) => f.firstFrameAt - f.requestedAt);
      await wall.waitForTimeout(SETTLE);
      const from = Date.now();
      const cpu = await measure(serverPids, WINDOW);
      const lat: number[] = [];
      for (const p of pages) {
        const s = await p.evaluate(() => (globalThis as unknown as { __kuzetLive?: Samples }).__kuzetLive ?? {});
        for (const list of Object.values(s)) {
          const mine = list.filter((x) => x.presented >= from).map((x) => x.presented - x.arrival);
          if (mine.length) lat.push(median(mine));
        }
      }
      for (const p of pages) await p.close();
      return { tiles, ttffMs: ff.length ? median(ff) : NaN, ttffMaxMs: ff.length ? Math.max(...ff) : NaN, playing: ff.length, latencyMs: lat.length ? median(lat) : NaN, latencyTiles: lat.length, serverCpuPct: cpu.cpuPct, perViewerPct: (cpu.cpuPct - idle.cpuPct) / tiles };
    };

    const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
    for (const scenario of ['1', '16+1'] as const) for (const start of ['cache', 'keyframe'] as const) {
      results[`${scenario}/${start}`] = await run(start, scenario);
      const r = results[`${scenario}/${start}`]!;
      console.log(`  ${scenario.padEnd(5)} ${start.padEnd(9)} first frame ${r.ttffMs.toFixed(0)} ms (max ${r.ttffMaxMs.toFixed(0)}, ${r.playing}/${r.tiles} tiles), latency ${r.latencyMs.toFixed(0)} ms over ${r.latencyTiles} tiles, server ${r.serverCpuPct.toFixed(1)} % (+${r.perViewerPct.toFixed(2)} %/viewer)`);
    }
    const row = (label: string, x: string, y: string, ratio: string) => console.log(`${label.padEnd(52)}${x.padStart(10)}${y.padStart(12)}  ${ratio}`);
    console.log('');
    row('', 'ours', 'no-GOP base', 'ratio');
    for (const sc of ['1', '16+1']) {
      const o = results[`${sc}/cache`]!;
      const b = results[`${sc}/keyframe`]!;
      row(`time to first frame, ${sc} tile(s), median ms (≤ 300)`, o.ttffMs.toFixed(0), b.ttffMs.toFixed(0), `${(b.ttffMs / o.ttffMs).toFixed(1)}×`);
      row(`live latency, ${sc} tile(s), median ms (≤ 500)`, o.latencyMs.toFixed(0), b.latencyMs.toFixed(0), `${(b.latencyMs / o.latencyMs).toFixed(2)}×`);
    }
    const w = results['16+1/cache']!;
    row('server CPU added by the 16+1 wall, % of one core (≤ 5)', (w.serverCpuPct - idle.cpuPct).toFixed(1), (results['16+1/keyframe']!.serverCpuPct - idle.cpuPct).toFixed(1), '');
    row('  per viewer, %', w.perViewerPct.toFixed(2), results['16+1/keyframe']!.perViewerPct.toFixed(2), '');
    row('server CPU with no viewer (17 cameras ingested), %', idle.cpuPct.toFixed(1), '', '');
    const out = path.resolve(import.meta.dirname, '../results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `live-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ windowS: WINDOW / 1000, settleS: SETTLE / 1000, idleServerCpuPct: idle.cpuPct, results }, null, 2));
    console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
