/**
 * `npm run bench -- storm [--seconds 60] [--quiet 15] [--clients 32] [--stream main] [--cpu-prof <dir>]
 *                        [--search-clients 16] [--search-seconds 60]
 *                        [--api-concurrency N] [--api-low-concurrency N]` (the server's shedding limits)
 *
 * Does live video wait for the API? `kuzet demo` (own data dir, loopback, simulated
 * cameras); one live viewer over the WebSocket on a 25 fps stream. Its frame gaps
 * (client arrival to arrival), frames delivered against frames expected and latency
 * (server arrival stamp → client arrival) are measured first with no API load, then
 * while `--clients` signed-in clients (storm-load.ts, its own process) read camera
 * lists, audit log pages, uptime reports and camera details as fast as they are
 * answered; then while `--search-clients` use the residents' search box as people type
 * into it (issue 9: search must not stall live video). Prints quiet, storm and search
 * side by side; writes bench/results/storm.json.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { LIVE_FRAME_MEDIA } from '@kuzet/contracts';
import WebSocket from 'ws';
import { startServerProcess } from '../../server/src/testing/cli-process.ts';
import { measure } from './proc.ts';
import type { LoadResult } from './storm-load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    quiet: { type: 'string' },
    clients: { type: 'string' },
    'search-clients': { type: 'string' },
    'search-seconds': { type: 'string' },
    stream: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'api-concurrency': { type: 'string' },
    'api-low-concurrency': { type: 'string' },
  },
});
const STORM_S = Number(values.seconds ?? 60);
const QUIET_S = Number(values.quiet ?? Math.min(STORM_S, 15));
const CLIENTS = Number(values.clients ?? 32);
const SEARCH_CLIENTS = Number(values['search-clients'] ?? 16);
const SEARCH_S = Number(values['search-seconds'] ?? STORM_S);
const STREAM = values.stream === 'sub' ? 'sub' : 'main';
const FPS = 25;
const PASSWORD = 'bench-password-1';
const targets = { gapP99: 100, gapMax: 250, delivered: 0.99, rps: 100, apiP99: 300, shed: 0.01 };

interface Frame {
  at: number; // client arrival, ms since epoch (sub-ms)
  serverAt: number; // the server's arrival stamp of the frame
}

const now = () => performance.timeOrigin + performance.now();

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

function liveFigures(frames: Frame[], from: number, to: number) {
  const inWindow = frames.filter((f) => f.at >= from && f.at < to);
  const gaps: number[] = [];
  for (let i = 1; i < inWindow.length; i++) gaps.push(inWindow[i]!.at - inWindow[i - 1]!.at);
  // A stall at the window's edges counts too: from the window's start to the first frame, the last to its end.
  if (inWindow.length) gaps.push(inWindow[0]!.at - from, to - inWindow[inWindow.length - 1]!.at);
  const latency = inWindow.map((f) => f.at - f.serverAt);
  // The same frames' gaps as the server's media worker received them: jitter from the
  // camera side and the machine (not the main thread), to tell the two apart.
  const serverGaps: number[] = [];
  for (let i = 1; i < inWindow.length; i++) serverGaps.push(inWindow[i]!.serverAt - inWindow[i - 1]!.serverAt);
  const expected = ((to - from) / 1000) * FPS;
  return {
    windowS: (to - from) / 1000,
    frames: inWindow.length,
    expected: Math.round(expected),
    deliveredShare: inWindow.length / expected,
    gapP50Ms: pct(gaps, 50),
    gapP99Ms: pct(gaps, 99),
    gapMaxMs: gaps.length ? Math.max(...gaps) : NaN,
    latencyP50Ms: pct(latency, 50),
    latencyP99Ms: pct(latency, 99),
    serverArrivalGapP99Ms: pct(serverGaps, 99),
    serverArrivalGapMaxMs: serverGaps.length ? Math.max(...serverGaps) : NaN,
  };
}

function apiFigures(api: LoadResult, clients: number) {
  return {
    clients,
    requests: api.requests,
    rps: api.requests / api.seconds,
    servedRps: api.ok / api.seconds,
    p50Ms: pct(api.latenciesMs, 50),
    p99Ms: pct(api.latenciesMs, 99),
    errors: api.errors,
    shed: api.shed,
    shedShare: api.requests ? api.shed / api.requests : 0,
    shedReasons: api.shedReasons,
    errorSamples: api.errorSamples,
    byKind: Object.fromEntries(Object.entries(api.byKind).map(([k, v]) => [k, { n: v.n, shed: v.shed, p50Ms: pct(v.latenciesMs, 50), p99Ms: pct(v.latenciesMs, 99) }])),
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-storm-'));
  const env: Record<string, string> = {
    KUZET_DATA_DIR: dataDir,
    KUZET_DEMO_PASSWORD: PASSWORD,
    KUZET_LOG_LEVEL: 'warn',
    KUZET_SIM_CAMERAS: '12',
    KUZET_SIM_PORT: String(20000 + Math.floor(Math.random() * 20000)),
    KUZET_SIM_CACHE: path.join(os.tmpdir(), 'kuzet-sim-e2e-cache'),
  };
  if (values['api-concurrency']) env.KUZET_API_CONCURRENCY = values['api-concurrency'];
  if (values['api-low-concurrency']) env.KUZET_API_LOW_CONCURRENCY = values['api-low-concurrency'];
  // Profiles (main thread and every worker) are written when the server exits.
  const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : [];
  const server = await startServerProcess(['demo'], env, nodeArgs);
  let ws: WebSocket | null = null;
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const get = async <T>(p: string): Promise<T> => (await (await fetch(`${server.url}${p}`, { headers: { cookie } })).json()) as T;
    const complexId = (await get<{ items: { id: string }[] }>('/api/v1/complexes')).items[0]!.id;
    type Cam = { id: string; name: string; status: { stream: string; state: string; codec: string | null }[] };
    const cameras = (await get<{ items: Cam[] }>(`/api/v1/complexes/${complexId}/cameras?limit=200`)).items;
    // An H.264 camera (an H.265 one would go through the transcoder: another benchmark).
    let watched: Cam | undefined;
    const deadline = Date.now() + 300_000;
    while (!watched && Date.now() < deadline) {
      const list = (await get<{ items: Cam[] }>(`/api/v1/complexes/${complexId}/cameras?limit=200`)).items;
      watched = list.find((c) => c.status.some((s) => s.stream === STREAM && s.state === 'online' && s.codec === 'h264'));
      if (!watched) await new Promise((r) => setTimeout(r, 1000));
    }
    if (!watched) throw new Error('no simulated camera came online in 5 minutes');

    const frames: Frame[] = [];
    ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/cameras/${watched.id}/live?stream=${STREAM}`, { headers: { cookie, origin: server.url } });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const b = data as Buffer;
      if (b[0] !== LIVE_FRAME_MEDIA) return;
      frames.push({ at: now(), serverAt: b.readDoubleBE(2) });
    });
    ws.on('error', (err) => console.error('viewer:', err.message));
    while (frames.length < 2 * FPS) await new Promise((r) => setTimeout(r, 100));

    console.log(
      `storm benchmark: ${os.availableParallelism()} cores, ${cameras.length} simulated cameras, one viewer on "${watched.name}" (${STREAM}, ${FPS} fps), quiet ${QUIET_S} s, storm ${STORM_S} s × ${CLIENTS} clients, search ${SEARCH_S} s × ${SEARCH_CLIENTS} clients`,
    );
    const pids = () => [server.child.pid!];

    const from = now();
    const quietCpu = await measure(pids, QUIET_S * 1000);
    const quiet = liveFigures(frames, from, now());

    /** One loaded phase: `clients` of the `mix` (storm-load.ts) for `seconds`, the live viewer measured meanwhile. */
    const phase = async (mix: 'api' | 'search', clients: number, seconds: number) => {
      const load = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(import.meta.dirname, 'storm-load.ts'), '--url', server.url, '--clients', String(clients), '--seconds', String(seconds), '--password', PASSWORD, '--complex', complexId, '--camera', watched!.id, '--mix', mix],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      let started = now();
      const out = readline.createInterface({ input: load.stdout });
      const result = new Promise<LoadResult>((resolve, reject) => {
        out.on('line', (l) => {
          if (l === 'READY') {
            started = now();
            load.stdin.write('go\n');
          } else if (l.startsWith('RESULT ')) {
            // A throw in this handler would skip main's finally and orphan the server: reject instead.
            const file = l.slice(7);
            try {
              resolve(JSON.parse(fs.readFileSync(file, 'utf8')) as LoadResult);
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            } finally {
              fs.rmSync(file, { force: true });
            }
          }
        });
        load.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
      });
      // READY (or the generator's failure, e.g. a demo without residents).
      await Promise.race([new Promise<void>((resolve) => out.once('line', () => resolve())), result.then(() => undefined)]);
      const cpu = await measure(pids, seconds * 1000);
      const api = await result;
      const live = liveFigures(frames, started, now());
      return { live, cpu, api: apiFigures(api, clients) };
    };

    let storm: Awaited<ReturnType<typeof phase>> | null = null;
    if (STORM_S > 0 && CLIENTS > 0) storm = await phase('api', CLIENTS, STORM_S);
    let search: Awaited<ReturnType<typeof phase>> | null = null;
    if (SEARCH_S > 0 && SEARCH_CLIENTS > 0) search = await phase('search', SEARCH_CLIENTS, SEARCH_S);
    ws.close();

    const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '—');
    const na = '—';
    const row = (label: string, q: string, st: string, se: string, target: string, ok?: boolean) =>
      console.log(`${label.padEnd(44)}${q.padStart(10)}${st.padStart(10)}${se.padStart(10)}   ${target.padEnd(10)}${ok === undefined ? '' : ok ? 'ok' : 'MISSED'}`);
    const both = (fn: (p: NonNullable<typeof storm>) => string) => [storm ? fn(storm) : na, search ? fn(search) : na] as const;
    const meets = (fn: (p: NonNullable<typeof storm>) => boolean) => [storm, search].every((p) => !p || fn(p));
    console.log('');
    row('', 'quiet', 'storm', 'search', 'target');
    row('live frame gap p50, ms', f(quiet.gapP50Ms), ...both((p) => f(p.live.gapP50Ms)), '');
    row('live frame gap p99, ms', f(quiet.gapP99Ms), ...both((p) => f(p.live.gapP99Ms)), `≤ ${targets.gapP99}`, meets((p) => p.live.gapP99Ms <= targets.gapP99));
    row('live frame gap max, ms', f(quiet.gapMaxMs), ...both((p) => f(p.live.gapMaxMs)), `≤ ${targets.gapMax}`, meets((p) => p.live.gapMaxMs <= targets.gapMax));
    row('frames delivered / expected, %', f(quiet.deliveredShare * 100, 1), ...both((p) => f(p.live.deliveredShare * 100, 1)), `≥ ${targets.delivered * 100}`, meets((p) => p.live.deliveredShare >= targets.delivered));
    row('  frames (expected)', `${quiet.frames} (${quiet.expected})`, ...both((p) => `${p.live.frames} (${p.live.expected})`), '');
    row('  at the server (media worker) gap p99 / max, ms', `${f(quiet.serverArrivalGapP99Ms)}/${f(quiet.serverArrivalGapMaxMs)}`, ...both((p) => `${f(p.live.serverArrivalGapP99Ms)}/${f(p.live.serverArrivalGapMaxMs)}`), '');
    row('live latency p50 / p99, ms (server → viewer)', `${f(quiet.latencyP50Ms)}/${f(quiet.latencyP99Ms)}`, ...both((p) => `${f(p.live.latencyP50Ms)}/${f(p.live.latencyP99Ms)}`), '');
    row('clients', '', ...both((p) => String(p.api.clients)), '');
    row('API requests/s (all answers)', '', ...both((p) => f(p.api.rps)), `≥ ${targets.rps}`, !storm || storm.api.rps >= targets.rps);
    row('API served requests/s (2xx)', '', ...both((p) => f(p.api.servedRps)), '');
    row('API latency p50, ms', '', ...both((p) => f(p.api.p50Ms)), '');
    row('API latency p99, ms', '', ...both((p) => f(p.api.p99Ms)), `≤ ${targets.apiP99}`, meets((p) => p.api.p99Ms <= targets.apiP99));
    row('API errors', '', ...both((p) => String(p.api.errors)), '0', meets((p) => p.api.errors === 0));
    row('API refused with 503, %', '', ...both((p) => f(p.api.shedShare * 100, 2)), `≤ ${targets.shed * 100}`, meets((p) => p.api.shedShare <= targets.shed));
    row('server CPU (all threads), % of one core', f(quietCpu.cpuPct), ...both((p) => f(p.cpu.cpuPct)), '');
    row('  server CPU added per request, ms', '', ...both((p) => f((((p.cpu.cpuPct - quietCpu.cpuPct) / 100) * 1000) / p.api.rps, 2)), '');
    for (const p of [storm, search]) {
      if (!p) continue;
      if (p.api.shed) console.log(`  503 reasons: ${Object.entries(p.api.shedReasons).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      for (const [k, v] of Object.entries(p.api.byKind)) console.log(`  ${k.padEnd(16)} ${String(v.n).padStart(7)} requests, p50 ${f(v.p50Ms)} ms, p99 ${f(v.p99Ms)} ms, 503: ${v.shed}`);
      for (const e of p.api.errorSamples) console.log(`  error: ${e}`);
    }

    const outDir = path.resolve(import.meta.dirname, '../results');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, 'storm.json');
    const fig = (p: typeof storm) => (p ? { live: p.live, api: p.api, serverCpuPct: p.cpu.cpuPct } : null);
    const doc = { at: new Date().toISOString(), cores: os.availableParallelism(), stream: STREAM, fps: FPS, targets, quiet: { live: quiet, serverCpuPct: quietCpu.cpuPct }, storm: fig(storm), search: fig(search) };
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  } finally {
    ws?.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
