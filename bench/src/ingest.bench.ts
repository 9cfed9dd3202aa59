/**
 * `npm run bench -- ingest [--cameras 10,100] [--warmup 6] [--seconds 10] [--runs 1] [--only a,b]`
 *
 * Added CPU (% of one core) and PSS per added camera, measured at two camera counts and
 * divided by the difference (performance.md), one pipeline after the other against the
 * same simulator (1080p ~4 Mbps main + 640×360 ~0.5 Mbps sub streams):
 *  - ours-main / ours-main+sub: the media engine's worker threads (engine-host.ts);
 *  - gstreamer: one GStreamer process for all cameras (gst-ingest.py);
 *  - ffmpeg: the anchors' recorder, one `ffmpeg -c copy` segmenter per camera;
 *  - floor-main / floor-main+sub: handshake, then socket → memory, no parsing, no disk.
 * Every side is gated on "really receiving" (the kernel's per-connection byte counters
 * grow on every stream) before its warm-up and window; the work done is printed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sleep, start, stats, stop, type Proc } from './child.ts';
import { measure, median, withDescendants } from './proc.ts';
import { growth, tcpReceived } from './sockets.ts';

const { values } = parseArgs({
  options: { cameras: { type: 'string' }, warmup: { type: 'string' }, seconds: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' } },
});
const [SMALL, LARGE] = (values.cameras ?? '10,100').split(',').map(Number) as [number, number];
const WARMUP = Number(values.warmup ?? 6) * 1000;
const WINDOW = Number(values.seconds ?? 10) * 1000;
const RUNS = Number(values.runs ?? 1);
const QUOTA = 4 * 1024 * 1024 * 1024; // bytes the ffmpeg baseline may keep on disk at once
const GATE_MS = 120_000;
const here = import.meta.dirname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-'));
const tsx = ['--import', 'tsx'];

type Stream = 'main' | 'sub';
interface Sample {
  cameras: number;
  streams: number;
  /** Streams whose connection received bytes during the window (must equal `streams`). */
  flowing: number;
  cpuPct: number;
  rssMb: number;
  pssMb: number;
  simCpuPct: number;
  /** TCP bytes received per camera in the window (kernel counters). */
  mbInPerCam: number;
  /** Frames per camera in the window, as the pipeline counts them (NaN: it does not). */
  framesPerCam: number;
  /** Anything else the pipeline reports (floor: socket reads). */
  extra: Record<string, number>;
}

/** A running pipeline: its processes, a counter of its own work, and its readiness. */
interface Running {
  pids(): number[];
  work(): Promise<{ frames?: number; [k: string]: number | undefined }>;
  ready: Promise<unknown>;
  close(): Promise<void>;
  /** Throws when a guard (disk quota) stopped the pipeline. */
  check?(): void;
}
interface Phase {
  name: string;
  label: string;
  streams: Stream[];
  launch(n: number, port: number, streams: Stream[]): Running;
  /** Null when the tools it needs are present, else the line telling how to install them. */
  missing?(): string | null;
}

function childPhase(script: string, ready: string, extra: (n: number) => string[] = () => []): Phase['launch'] {
  return (n, port, streams) => {
    const p: Proc = start(process.execPath, [...tsx, path.join(here, script), '--cameras', String(n), '--port', String(port), '--streams', streams.join(','), ...extra(n)], true);
    return { pids: () => withDescendants(p.child.pid!), work: () => stats(p), ready: p.waitFor(ready, GATE_MS), close: () => stop(p.child) };
  };
}

const GST_PY = '/usr/bin/python3';
const gstreamer: Phase['launch'] = (n, port, streams) => {
  const p = start(GST_PY, [path.join(here, 'gst-ingest.py'), '--cameras', String(n), '--port', String(port), '--streams', streams.join(',')], true);
  return { pids: () => withDescendants(p.child.pid!), work: () => stats(p), ready: p.waitFor('PLAYING', GATE_MS), close: () => stop(p.child) };
};
function gstMissing(): string | null {
  const r = spawnSync(GST_PY, ['-c', "import gi; gi.require_version('Gst','1.0'); from gi.repository import Gst; Gst.init(None); m=[e for e in ('rtspsrc','rtph264depay','h264parse','fakesink') if not Gst.ElementFactory.find(e)]; print(' '.join(m))"], { encoding: 'utf8' });
  if (r.status !== 0 || r.stdout.trim()) return 'install GStreamer for Python: apt-get install python3-gi gstreamer1.0-plugins-good gstreamer1.0-plugins-bad';
  return null;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir)) n += fs.statSync(path.join(dir, f)).size;
  return n;
}

/** One `ffmpeg -c copy` segmenter per stream; frames from its -progress lines, disk bounded by QUOTA. */
const ffmpeg: Phase['launch'] = (n, port, streams) => {
  const urls = Array.from({ length: n }, (_, i) => streams.map((s) => `rtsp://127.0.0.1:${port}/cam/b${i}/${s}`)).flat();
  const dirs = urls.map((_, i) => fs.mkdtempSync(path.join(tmp, `ff${i}-`)));
  const frames = urls.map(() => 0);
  const procs = urls.map((url, i) => {
    const p = start('ffmpeg', ['-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', '-stats_period', '2', '-rtsp_transport', 'tcp', '-i', url, '-f', 'segment', '-segment_time', '10', '-segment_format', 'mp4', '-reset_timestamps', '1', '-strftime', '1', '-c', 'copy', '-an', path.join(dirs[i]!, '%s.mp4')]);
    p.child.stdout!.on('data', () => {
      const m = /^frame=(\d+)/.exec(p.lines.findLast((l) => l.startsWith('frame=')) ?? '');
      if (m) frames[i] = Number(m[1]);
      if (p.lines.length > 100) p.lines.splice(0, p.lines.length - 20);
    });
    return p;
  });
  let overQuota = 0;
  const guard = setInterval(() => {
    const used = dirs.reduce((s, d) => s + dirBytes(d), 0);
    if (used <= QUOTA) return;
    overQuota = used;
    for (const p of procs) p.child.kill('SIGKILL');
  }, 1000);
  return {
    pids: () => withDescendants(...procs.flatMap((p) => (p.child.pid ? [p.child.pid] : []))),
    work: () => Promise.resolve({ frames: frames.reduce((a, b) => a + b, 0), diskBytes: dirs.reduce((s, d) => s + dirBytes(d), 0) }),
    ready: Promise.resolve(),
    check: () => {
      if (overQuota) throw new Error(`the ffmpeg baseline exceeded its disk quota (${overQuota} bytes); its ffmpegs were stopped`);
    },
    close: async () => {
      clearInterval(guard);
      await stop(...procs.map((p) => p.child));
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
};

const ALL: Phase[] = [
  { name: 'ours-main', label: 'ours, main', streams: ['main'], launch: childPhase('engine-host.ts', 'ONLINE') },
  { name: 'ours-main+sub', label: 'ours, main + sub (as the product runs)', streams: ['main', 'sub'], launch: childPhase('engine-host.ts', 'ONLINE') },
  { name: 'gstreamer', label: 'GStreamer, one process, main', streams: ['main'], launch: gstreamer, missing: gstMissing },
  { name: 'ffmpeg', label: 'ffmpeg -c copy, one per camera, main', streams: ['main'], launch: ffmpeg, missing: () => (spawnSync('ffmpeg', ['-version']).status === 0 ? null : 'install ffmpeg: apt-get install ffmpeg') },
  // Ingest writes nothing to disk, so neither does its floor (the recording benchmark's floor does).
  { name: 'floor-main', label: 'floor probe (no parsing, no disk), main', streams: ['main'], launch: childPhase('floor-probe.ts', 'PLAYING') },
  { name: 'floor-main+sub', label: 'floor probe, main + sub', streams: ['main', 'sub'], launch: childPhase('floor-probe.ts', 'PLAYING') },
];
const only = values.only?.split(',');
const PHASES = only ? ALL.filter((p) => only.includes(p.name)) : ALL;

/** Waits until every stream's connection receives bytes (kernel counters, 1 s apart). */
async function gate(r: Running, port: number, want: number): Promise<void> {
  const deadline = Date.now() + GATE_MS;
  let last = { flowing: 0, bytes: 0 };
  for (;;) {
    const a = tcpReceived(port, r.pids());
    await sleep(1000);
    r.check?.();
    last = growth(a, tcpReceived(port, r.pids()));
    if (last.flowing >= want) return;
    if (Date.now() > deadline) throw new Error(`only ${last.flowing} of ${want} streams received bytes within ${GATE_MS / 1000} s`);
  }
}

async function sample(phase: Phase, n: number, port: number, simPid: number): Promise<Sample> {
  const want = n * phase.streams.length;
  const r = phase.launch(n, port, phase.streams);
  try {
    await r.ready;
    await gate(r, port, want);
    await sleep(WARMUP);
    const [w0, net0] = [await r.work(), tcpReceived(port, r.pids())];
    const [m, sim] = await Promise.all([measure(r.pids, WINDOW), measure(() => [simPid], WINDOW)]);
    const [w1, net1] = [await r.work(), tcpReceived(port, r.pids())];
    r.check?.();
    const net = growth(net0, net1);
    if (net.flowing < want) throw new Error(`${phase.name}: only ${net.flowing} of ${want} streams received bytes during the window`);
    const extra: Record<string, number> = {};
    for (const k of Object.keys(w1)) if (k !== 'frames') extra[k] = ((w1[k] ?? 0) - (w0[k] ?? 0)) / n;
    const frames = w1.frames === undefined ? NaN : (w1.frames - (w0.frames ?? 0)) / n;
    return { cameras: n, streams: want, flowing: net.flowing, ...m, simCpuPct: sim.cpuPct, mbInPerCam: net.bytes / n / 1e6, framesPerCam: frames, extra };
  } finally {
    await r.close();
  }
}

/** The counters printed beside the cost (the engine's stats hold more). */
const WORK_KEYS = ['bytes', 'fragments', 'fragmentBytes', 'reads', 'diskBytes'];

const perCamera = (s: Sample, l: Sample) => ({
  cpuPct: (l.cpuPct - s.cpuPct) / (l.cameras - s.cameras),
  pssMb: (l.pssMb - s.pssMb) / (l.cameras - s.cameras),
  rssMb: (l.rssMb - s.rssMb) / (l.cameras - s.cameras),
});

async function main() {
  console.log(`ingest benchmark: ${SMALL} → ${LARGE} simulated cameras (1080p ~4 Mbps main, 640×360 ~0.5 Mbps sub), warm-up ${WARMUP / 1000} s, window ${WINDOW / 1000} s, ${RUNS} run(s), ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const sim = start(process.execPath, [...tsx, path.join(here, 'sim-host.ts'), '--cameras', String(LARGE)]);
  const port = Number((await sim.waitFor('READY', 600_000)).split(' ')[1]);
  const results: Record<string, { small: Sample; large: Sample }[]> = {};
  const skipped: Record<string, string> = {};
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const phase of PHASES) {
        const why = phase.missing?.();
        if (why) {
          skipped[phase.name] = `skipped: ${why}`;
          console.log(`  ${phase.name}: skipped — ${why}`);
          continue;
        }
        let small: Sample, large: Sample;
        try {
          small = await sample(phase, SMALL, port, sim.child.pid!);
          large = await sample(phase, LARGE, port, sim.child.pid!);
        } catch (err) {
          // One pipeline failing (a baseline that never received) must not hide the others' figures.
          skipped[phase.name] = `failed: ${err instanceof Error ? err.message : String(err)}`;
          console.log(`  run ${r + 1} ${phase.name}: ${skipped[phase.name]}`);
          continue;
        }
        (results[phase.name] ??= []).push({ small, large });
        const pc = perCamera(small, large);
        const frames = Number.isNaN(large.framesPerCam) ? 'n/a' : large.framesPerCam.toFixed(0);
        const extra = Object.entries(large.extra)
          .filter(([k]) => WORK_KEYS.includes(k))
          .map(([k, v]) => (/bytes/i.test(k) ? ` ${k} ${(v / 1e6).toFixed(2)} MB/cam` : ` ${k} ${v.toFixed(0)}/cam`))
          .join('');
        console.log(`  run ${r + 1} ${phase.name.padEnd(15)} ${SMALL}: ${small.cpuPct.toFixed(1)} % ${small.pssMb.toFixed(0)} MB PSS | ${LARGE}: ${large.cpuPct.toFixed(1)} % ${large.pssMb.toFixed(0)} MB PSS → ${pc.cpuPct.toFixed(3)} %/camera, ${pc.pssMb.toFixed(2)} MB PSS/camera | ${large.flowing}/${large.streams} streams receiving, ${large.mbInPerCam.toFixed(2)} MB in/cam, frames/cam ${frames}${extra} (sim ${large.simCpuPct.toFixed(1)} %)`);
      }
    }
  } finally {
    await stop(sim.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([k, runs]) => {
      const pcs = runs.map((x) => perCamera(x.small, x.large));
      const cpu = pcs.map((p) => p.cpuPct);
      return [k, { cpuPct: median(cpu), cpuSpread: [Math.min(...cpu), Math.max(...cpu)], pssMb: median(pcs.map((p) => p.pssMb)), rssMb: median(pcs.map((p) => p.rssMb)), work: runs.at(-1)!.large }];
    }),
  );
  const sec = WINDOW / 1000;
  console.log('');
  console.log(`${'per added camera'.padEnd(40)}${'CPU % core'.padStart(11)}${'(min–max)'.padStart(14)}${'PSS MB'.padStart(8)}${'RSS MB'.padStart(8)}${`MB in/${sec}s`.padStart(11)}${`frames/${sec}s`.padStart(12)}${'sim CPU %'.padStart(10)}`);
  for (const phase of PHASES) {
    const s = summary[phase.name];
    if (!s) {
      console.log(`${phase.label.padEnd(40)}  ${skipped[phase.name] ?? 'failed'}`);
      continue;
    }
    const f = Number.isNaN(s.work.framesPerCam) ? 'n/a' : s.work.framesPerCam.toFixed(0);
    console.log(`${phase.label.padEnd(40)}${s.cpuPct.toFixed(3).padStart(11)}${`${s.cpuSpread[0]!.toFixed(3)}–${s.cpuSpread[1]!.toFixed(3)}`.padStart(14)}${s.pssMb.toFixed(2).padStart(8)}${s.rssMb.toFixed(2).padStart(8)}${s.work.mbInPerCam.toFixed(2).padStart(11)}${f.padStart(12)}${s.work.simCpuPct.toFixed(1).padStart(10)}`);
  }
  const ratios: Record<string, number> = {};
  const ratio = (a: string, b: string) => {
    const x = summary[a];
    const y = summary[b];
    if (!x || !y) return;
    ratios[`${a} ÷ ${b}`] = x.cpuPct / y.cpuPct;
    console.log(`  ${`${a} ÷ ${b}`.padEnd(38)} CPU ${(x.cpuPct / y.cpuPct).toFixed(2)}×   PSS ${(x.pssMb / y.pssMb).toFixed(2)}×`);
  };
  console.log('\nratios (same streams on both sides)');
  ratio('ours-main', 'gstreamer');
  ratio('ours-main', 'ffmpeg');
  ratio('ours-main', 'floor-main');
  ratio('ours-main+sub', 'floor-main+sub');
  const ms = summary['ours-main+sub'];
  if (ms) {
    const ok = ms.cpuPct <= 0.25 && ms.pssMb <= 2;
    console.log(`\ntarget, ingest of main + sub per camera ≤ 0.25 % of a core and ≤ 2 MB PSS: ${ms.cpuPct.toFixed(3)} %, ${ms.pssMb.toFixed(2)} MB → ${ok ? 'met' : 'MISSED'}`);
  }
  const out = path.resolve(here, '../results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, 'ingest.json');
  const meta = { at: new Date().toISOString(), cameras: [SMALL, LARGE], warmupS: WARMUP / 1000, windowS: sec, runs: RUNS, cores: os.availableParallelism(), loadavg: os.loadavg() };
  fs.writeFileSync(file, JSON.stringify({ ...meta, summary, ratios, skipped, results }, null, 2));
  console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
