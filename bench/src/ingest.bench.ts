/**
 * `npm run bench -- ingest [--small 10] [--large 100] [--warmup 6] [--window 10] [--runs 1]`
 *
 * Added CPU (% of one core) and memory per added 1080p 4 Mbps camera, measured at
 * `small` and `large` cameras and divided by the difference (performance.md), for:
 *  - ours: the media engine alone (RTSP → access units → GOP cache → fMP4 fragments, no disk),
 *  - the baseline: the anchors' recorder, one `ffmpeg -c copy` segmenter per camera,
 *  - the floor: handshake, then socket → memory → one file write a second.
 * One after the other in the same run, against the same simulator (whose CPU is printed too).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { measure, median } from './proc.ts';

const { values } = parseArgs({
  options: { small: { type: 'string' }, large: { type: 'string' }, warmup: { type: 'string' }, window: { type: 'string' }, runs: { type: 'string' } },
});
const SMALL = Number(values.small ?? 10);
const LARGE = Number(values.large ?? 100);
const WARMUP = Number(values.warmup ?? 6) * 1000;
const WINDOW = Number(values.window ?? 10) * 1000;
const RUNS = Number(values.runs ?? 1);
const QUOTA = 4 * 1024 * 1024 * 1024; // bytes the baseline may keep on disk at once
const here = import.meta.dirname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-'));
const tsx = ['--import', 'tsx'];

interface Proc {
  child: ChildProcess;
  lines: string[];
  waitFor(prefix: string, ms: number): Promise<string>;
}

function start(cmd: string, args: string[], input = false): Proc {
  const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of [...waiters]) {
      if (!l.startsWith(w.prefix)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(l);
    }
  });
  child.stderr!.on('data', () => undefined);
  return {
    child,
    lines,
    waitFor: (prefix, ms) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no "${prefix}" within ${ms} ms`)), ms);
        waiters.push({
          prefix,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      }),
  };
}

async function stop(...procs: ChildProcess[]): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGTERM');
          setTimeout(() => p.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
}

async function stats(p: Proc): Promise<Record<string, number>> {
  const before = p.lines.length;
  p.child.stdin!.write('stats\n');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const l = p.lines.slice(before).find((x) => x.startsWith('STATS '));
    if (l) return JSON.parse(l.slice(6)) as Record<string, number>;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no stats');
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir)) n += fs.statSync(path.join(dir, f)).size;
  return n;
}

interface Sample {
  cpuPct: number;
  rssMb: number;
  pssMb: number;
  simCpuPct: number;
  framesPerCam: number;
  mbPerCam: number;
}

type Pipeline = (n: number, port: number, simPid: number) => Promise<Sample>;

/**
 * A pipeline in one child process that prints `ready` once connected and answers "stats"
 * with a byte counter (and a frame counter when it parses frames).
 */
function childPipeline(script: string, ready: string, extra: string[] = []): Pipeline {
  return async (n, port, simPid) => {
    const p = start(process.execPath, [...tsx, path.join(here, script), '--cameras', String(n), '--port', String(port), ...extra], true);
    try {
      await p.waitFor(ready, 60_000);
      await new Promise((r) => setTimeout(r, WARMUP));
      const a = await stats(p);
      const [m, sim] = await Promise.all([measure(() => [p.child.pid!], WINDOW), measure(() => [simPid], WINDOW)]);
      const b = await stats(p);
      const frames = a.frames === undefined ? NaN : (b.frames! - a.frames) / n;
      return { ...m, simCpuPct: sim.cpuPct, framesPerCam: frames, mbPerCam: (b.bytes! - a.bytes!) / n / 1e6 };
    } finally {
      await stop(p.child);
    }
  };
}

const ours = childPipeline('engine-host.ts', 'ONLINE');

const baseline: Pipeline = async (n, port, simPid) => {
  const dirs = Array.from({ length: n }, (_, i) => fs.mkdtempSync(path.join(tmp, `ff${i}-`)));
  const procs = dirs.map((dir, i) =>
    spawn('ffmpeg', ['-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', `rtsp://127.0.0.1:${port}/cam/b${i}/main`, '-f', 'segment', '-segment_time', '10', '-segment_format', 'mp4', '-reset_timestamps', '1', '-strftime', '1', '-c', 'copy', '-an', path.join(dir, '%s.mp4')], { stdio: 'ignore' }),
  );
  const pids = () => procs.map((p) => p.pid!).filter(Boolean);
  let overQuota = 0;
  const guard = setInterval(() => {
    const used = dirs.reduce((s, d) => s + dirBytes(d), 0);
    if (used <= QUOTA) return;
    overQuota = used;
    for (const p of procs) p.kill('SIGKILL');
  }, 1000);
  try {
    await new Promise((r) => setTimeout(r, WARMUP + 2000));
    const before = dirs.reduce((s, d) => s + dirBytes(d), 0);
    const [m, sim] = await Promise.all([measure(pids, WINDOW), measure(() => [simPid], WINDOW)]);
    const after = dirs.reduce((s, d) => s + dirBytes(d), 0);
    if (overQuota) throw new Error(`the baseline exceeded its disk quota (${overQuota} bytes); its ffmpegs were stopped`);
    // ffmpeg reports no frame counter here: frames are the stream's 25 fps over the window when bytes flowed.
    return { ...m, simCpuPct: sim.cpuPct, framesPerCam: after > before ? 25 * (WINDOW / 1000) : 0, mbPerCam: (after - before) / n / 1e6 };
  } finally {
    clearInterval(guard);
    await stop(...procs);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
};

const floor = childPipeline('floor-probe.ts', 'PLAYING', ['--file', path.join(tmp, 'floor.bin')]);

function perCamera(small: Sample, large: Sample) {
  const d = LARGE - SMALL;
  return { cpuPct: (large.cpuPct - small.cpuPct) / d, rssMb: (large.rssMb - small.rssMb) / d, pssMb: (large.pssMb - small.pssMb) / d };
}

async function main() {
  console.log(`ingest benchmark: ${SMALL} → ${LARGE} simulated 1080p H.264 cameras, warm-up ${WARMUP / 1000} s, window ${WINDOW / 1000} s, ${RUNS} run(s), ${os.availableParallelism()} cores`);
  const sim = start(process.execPath, [...tsx, path.join(here, 'sim-host.ts'), '--cameras', String(LARGE)]);
  const port = Number((await sim.waitFor('READY', 600_000)).split(' ')[1]);
  const simPid = sim.child.pid!;
  const results: Record<string, { small: Sample; large: Sample }[]> = { ours: [], baseline: [], floor: [] };
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const [name, fn] of [['ours', ours], ['baseline', baseline], ['floor', floor]] as const) {
        const small = await fn(SMALL, port, simPid);
        const large = await fn(LARGE, port, simPid);
        results[name]!.push({ small, large });
        const pc = perCamera(small, large);
        console.log(`  run ${r + 1} ${name.padEnd(8)} ${SMALL}: ${small.cpuPct.toFixed(1)} % ${small.rssMb.toFixed(0)} MB | ${LARGE}: ${large.cpuPct.toFixed(1)} % ${large.rssMb.toFixed(0)} MB → ${pc.cpuPct.toFixed(3)} %/camera, ${pc.rssMb.toFixed(2)} MB/camera (sim ${large.simCpuPct.toFixed(1)} %)`);
      }
    }
  } finally {
    await stop(sim.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([k, runs]) => {
      const pcs = runs.map((x) => perCamera(x.small, x.large));
      return [k, { cpuPct: median(pcs.map((p) => p.cpuPct)), cpuSpread: [Math.min(...pcs.map((p) => p.cpuPct)), Math.max(...pcs.map((p) => p.cpuPct))], rssMb: median(pcs.map((p) => p.rssMb)), pssMb: median(pcs.map((p) => p.pssMb)), work: runs.at(-1)!.large }];
    }),
  ) as Record<'ours' | 'baseline' | 'floor', { cpuPct: number; cpuSpread: number[]; rssMb: number; pssMb: number; work: Sample }>;
  const { ours: o, baseline: b, floor: f } = summary;
  const row = (label: string, x: string, y: string, ratio: string) => console.log(`${label.padEnd(44)}${x.padStart(12)}${y.padStart(12)}  ${ratio}`);
  console.log('');
  row('per added 1080p 4 Mbps camera', 'ours', 'baseline', 'ratio');
  row('CPU, % of one core (target ≤ 0.3)', o.cpuPct.toFixed(3), b.cpuPct.toFixed(3), `${(b.cpuPct / o.cpuPct).toFixed(1)}×`);
  row('RSS, MB (target ≤ 5)', o.rssMb.toFixed(2), b.rssMb.toFixed(2), `${(b.rssMb / o.rssMb).toFixed(1)}×`);
  row('PSS, MB', o.pssMb.toFixed(2), b.pssMb.toFixed(2), `${(b.pssMb / o.pssMb).toFixed(1)}×`);
  row('floor probe CPU, % (ours ÷ floor)', o.cpuPct.toFixed(3), f.cpuPct.toFixed(3), `${(o.cpuPct / f.cpuPct).toFixed(2)}× floor`);
  row(`work per camera in ${WINDOW / 1000} s: MB in`, o.work.mbPerCam.toFixed(2), b.work.mbPerCam.toFixed(2), '');
  row(`work per camera in ${WINDOW / 1000} s: frames`, o.work.framesPerCam.toFixed(0), `~${b.work.framesPerCam.toFixed(0)}`, '');
  row(`simulator CPU at ${LARGE} cameras, %`, o.work.simCpuPct.toFixed(1), b.work.simCpuPct.toFixed(1), '');
  const out = path.resolve(here, '../results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ small: SMALL, large: LARGE, warmupS: WARMUP / 1000, windowS: WINDOW / 1000, runs: RUNS, summary, results }, null, 2));
  console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
