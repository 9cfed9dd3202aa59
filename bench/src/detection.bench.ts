/**
 * `npm run bench -- detection [--cameras 2,10] [--warmup 6] [--seconds 10] [--sub-gop 1]
 *   [--quiet-minutes 10] [--quality-seconds <default: quiet minutes>] [--only cpu,quality]
 *   [--zone-cams 6] [--tamper-cams 5] [--noisy-cams 2] [--headlight-cams 2] [--ir-cams 2]
 *   [--sides ours,ours-ingest,ffmpeg-decode,ffmpeg-keyframes] [--scenes quiet,busy] [--oracle]`
 *
 * Issue 10's benchmark, against the camera simulator's ground truth (sim/README.md).
 *
 * 1. CPU (% of one core) and PSS per added camera (measured at two camera counts, the
 *    difference divided by the cameras added: performance.md), on a quiet scene
 *    (`quiet-night`: still, night noise) and a busy one (`yard-day`: people walking most of
 *    the loop), one side after the other against the same simulator:
 *     - ours: the server's MediaService (main + sub of every camera, as the product ingests
 *       them) + DetectionService, one include zone over the picture (detection-host.ts);
 *     - ours-ingest: the same with no detector: what detection adds is ours − ours-ingest;
 *     - ffmpeg-decode: the anchors' detect recipe, per camera `ffmpeg -rtsp_transport tcp -i
 *       <sub> -an -vf fps=5,scale=320:180 -pix_fmt gray -f rawvideo -` (every frame decoded);
 *     - ffmpeg-keyframes: the same with `-skip_frame nokey` (keyframes only).
 *    Every side is gated on really receiving (the kernel's byte counters of every stream's
 *    connection grow) before its warm-up and checked again over the window.
 * 2. Quality and latency (ours only): a mixed set of cameras for `--quality-seconds`:
 *    playground-night / basement-night with their truth zones (zone entries, and a figure
 *    passing outside the zone), tamper cameras cycling cover → defocus → turn (8 s on, 8 s
 *    off, staggered) via the simulator's HTTP API, quiet-noisy-night, headlights-night and
 *    ir-switch (negatives, a zone over the whole picture). An event matches a zone entry when
 *    it is a motion event of that zone, overlaps the truth's time, starts within 2 s of it,
 *    and one of its boxes intersects the figure's box (the figure's boxes within ±0.5 s of
 *    the box's time). A tamper event matches when its cause is the truth's, it overlaps the
 *    truth's time and starts within 5 s of it (tamper must persist ≥ 3 s before it can be
 *    told from a passing change: detection-api.md). Alert latency: the figure's box first
 *    touches the zone → the DetectionReport 'start' reaches the sink, at the sub stream's
 *    keyframe interval used (`--sub-gop`). Static noisy scene: every event on the
 *    quiet-noisy-night cameras over the whole run is false.
 * Every simulated frame carries the frame stamp at the top-left (changes every frame, like an
 * OSD clock): the zones exclude it.
 * Prints ours vs each baseline and the ratio, and writes bench/results/detection.json.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { commandFor } from '@kuzet/ffmpeg';
import { cameraFrameAt, type CameraTruth, type SimCamera } from '@kuzet/sim';
import { sleep, start, stop, type Proc } from './child.ts';
import type { BenchZone, HostCamera } from './detection-host.ts';
import { measure, withDescendants } from './proc.ts';
import { growth, tcpReceived } from './sockets.ts';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string' },
    warmup: { type: 'string' },
    seconds: { type: 'string' },
    'sub-gop': { type: 'string' },
    'quiet-minutes': { type: 'string' },
    'quality-seconds': { type: 'string' },
    only: { type: 'string' },
    'zone-cams': { type: 'string' },
    'tamper-cams': { type: 'string' },
    'noisy-cams': { type: 'string' },
    'headlight-cams': { type: 'string' },
    'ir-cams': { type: 'string' },
    loop: { type: 'string' },
    oracle: { type: 'boolean' },
    sides: { type: 'string' },
    scenes: { type: 'string' },
  },
});
/** --oracle: the host reports the simulator's truth instead of running the detector (checks the scoring). */
const ORACLE = values.oracle === true;
const [SMALL, LARGE] = (values.cameras ?? '2,10').split(',').map(Number) as [number, number];
const WARMUP = Number(values.warmup ?? 6) * 1000;
const WINDOW = Number(values.seconds ?? 10) * 1000;
const SUB_GOP = Number(values['sub-gop'] ?? 1) as 1 | 2;
const QUIET_MIN = Number(values['quiet-minutes'] ?? 10);
const QUALITY_S = Number(values['quality-seconds'] ?? QUIET_MIN * 60);
const LOOP_S = Number(values.loop ?? 10);
const ONLY = values.only?.split(',') ?? ['cpu', 'quality'];
const COUNTS = {
  zone: Number(values['zone-cams'] ?? 6),
  tamper: Number(values['tamper-cams'] ?? 5),
  noisy: Number(values['noisy-cams'] ?? 2),
  headlights: Number(values['headlight-cams'] ?? 2),
  ir: Number(values['ir-cams'] ?? 2),
};
const GATE_MS = 120_000;
const here = import.meta.dirname;
const tsx = ['--import', 'tsx'];
const FFMPEG = commandFor('ffmpeg');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bench-detect-'));
const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** The frame stamp strip (sim/README.md: x < 44B, y < 3B; B = 8 px at 640×360): masked. */
const STAMP: [number, number][] = [
  [0, 0],
  [0.57, 0],
  [0.57, 0.08],
  [0, 0.08],
];
const zone = (id: string, polygon: [number, number][], kind: 'include' | 'exclude' = 'include'): BenchZone => ({
  id,
  kind,
  polygon,
  sensitivity: 5,
  minObjectSize: 0.004,
  schedule: { kind: 'always' },
  cooldownSeconds: 0,
  enabled: true,
});
const wholePicture = (): BenchZone[] => [
  zone(randomUUID(), [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ]),
  zone(randomUUID(), STAMP, 'exclude'),
];

// ---------------------------------------------------------------- simulator

interface SimProc {
  proc: Proc;
  rtsp: number;
  http: number;
}
async function startSim(cameras: SimCamera[], name: string): Promise<SimProc> {
  const spec = path.join(tmp, `${name}-sim.json`);
  fs.writeFileSync(spec, JSON.stringify(cameras));
  const proc = start(process.execPath, [...tsx, path.join(here, 'detection-sim.ts'), '--spec', spec, '--loop', String(LOOP_S)]);
  const [, rtsp, http] = (await proc.waitFor('READY', 900_000)).split(' ');
  return { proc, rtsp: Number(rtsp), http: Number(http) };
}
async function simGet<T>(sim: SimProc, p: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${sim.http}${p}`);
  if (!res.ok) throw new Error(`sim GET ${p}: ${res.status}`);
  return (await res.json()) as T;
}
async function simFault(sim: SimProc, id: string, kind: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${sim.http}/cameras/${id}/fault`, { method: 'POST', body: JSON.stringify({ kind }) });
  if (!res.ok) throw new Error(`sim fault ${id} ${kind}: ${res.status} ${await res.text()}`);
}

// ---------------------------------------------------------------- the sides

interface HostReport {
  eventKey: string;
  cameraId: string;
  kind: 'motion' | 'tamper';
  zoneId: string | null;
  cause: string | null;
  phase: 'start' | 'update' | 'end';
  startedAt: number;
  endedAt: number | null;
  peakScore: number;
  boxes: { at: number; box: Box }[];
  snapshotBytes: number;
  label: string | null;
  recvAt: number;
}
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Running {
  pids(): number[];
  /** streams each camera pulls (ours: main + sub; ffmpeg: the sub) */
  streamsPerCam: number;
  ready: Promise<unknown>;
  frames?(): number;
  close(): Promise<void>;
  /** why the side cannot be measured (ours without a detector), if so */
  unavailable?(): string | null;
}

function host(
  cams: HostCamera[],
  port: number,
  detect: boolean,
  onReport?: (r: HostReport) => void,
  simHttp?: number,
): Running & { proc: Proc; ids: Map<string, string>; noDetector: () => string | null } {
  const file = path.join(tmp, `host-${randomUUID()}.json`);
  fs.writeFileSync(file, JSON.stringify(cams));
  const mode = !detect ? 'off' : ORACLE && simHttp ? 'oracle' : 'on';
  const args = [...tsx, path.join(here, 'detection-host.ts'), '--port', String(port), '--cameras', file, '--detect', mode];
  if (simHttp) args.push('--sim-http', String(simHttp));
  const proc = start(process.execPath, args, true);
  let err = '';
  proc.child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-3000)));
  const ids = new Map<string, string>();
  let reason: string | null = null;
  let seen = 0;
  const scan = (): void => {
    for (; seen < proc.lines.length; seen++) {
      const l = proc.lines[seen]!;
      if (l.startsWith('CAMERA ')) {
        const [, simId, id] = l.split(' ');
        ids.set(id!, simId!);
      } else if (l.startsWith('NODETECTOR ')) reason = l.slice(11);
      else if (l.startsWith('REPORT ') && onReport) onReport(JSON.parse(l.slice(7)) as HostReport);
    }
    // the host's line buffer is trimmed by child.ts past 10 000 lines: keep our cursor valid
    if (proc.lines.length > 5000) {
      proc.lines.splice(0, seen);
      seen = 0;
    }
  };
  const timer = setInterval(scan, 50);
  const ready = proc.waitFor('ONLINE', GATE_MS).then(
    () => scan(),
    (e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; host stderr: ${err.trim().split('\n').slice(-5).join(' | ')}`);
    },
  );
  return {
    proc,
    ids,
    streamsPerCam: 2,
    pids: () => withDescendants(proc.child.pid!),
    ready,
    noDetector: () => (scan(), reason),
    unavailable: () => (detect ? (scan(), reason) : null),
    close: async () => {
      scan();
      clearInterval(timer);
      await stop(proc.child);
      scan();
    },
  };
}

function ffmpegSide(keyframesOnly: boolean): (cams: string[], port: number) => Running {
  return (cams, port) => {
    const frames = cams.map(() => 0);
    const procs = cams.map((id, i) => {
      const args = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
      if (keyframesOnly) args.push('-skip_frame', 'nokey');
      args.push('-rtsp_transport', 'tcp', '-i', `rtsp://127.0.0.1:${port}/cam/${id}/sub`, '-an');
      args.push('-vf', keyframesOnly ? 'scale=320:180' : 'fps=5,scale=320:180', '-pix_fmt', 'gray', '-vsync', '0', '-f', 'rawvideo', '-');
      // raw frames are drained and counted here (not line-split)
      const child = spawn(FFMPEG, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      let bytes = 0;
      child.stdout.on('data', (d: Buffer) => {
        bytes += d.length;
        frames[i] = Math.floor(bytes / (320 * 180));
      });
      return child;
    });
    return {
      streamsPerCam: 1,
      pids: () => withDescendants(...procs.flatMap((c) => (c.pid ? [c.pid] : []))),
      ready: Promise.resolve(),
      frames: () => frames.reduce((a, b) => a + b, 0),
      close: () => stop(...procs),
    };
  };
}

// ---------------------------------------------------------------- 1. CPU

interface Sample {
  cameras: number;
  flowing: number;
  cpuPct: number;
  pssMb: number;
  rssMb: number;
  simCpuPct: number;
  framesPerCam: number;
  reports: number;
}
const ALL_SIDES = ['ours', 'ours-ingest', 'ffmpeg-decode', 'ffmpeg-keyframes'] as const;
type Side = (typeof ALL_SIDES)[number];
const SIDES = ALL_SIDES.filter((s) => !values.sides || values.sides.split(',').includes(s));
const LABEL: Record<Side, string> = {
  ours: 'ours: ingest main+sub + detection',
  'ours-ingest': 'ours: ingest main+sub, no detector',
  'ffmpeg-decode': 'ffmpeg full decode of the sub (fps=5 gray)',
  'ffmpeg-keyframes': 'ffmpeg keyframes only (-skip_frame nokey)',
};

async function sample(side: Side, ids: string[], sim: SimProc): Promise<Sample> {
  let reports = 0;
  const r: Running =
    side === 'ours' || side === 'ours-ingest'
      ? host(ids.map((id) => ({ id, zones: wholePicture() })), sim.rtsp, side === 'ours', () => reports++)
      : ffmpegSide(side === 'ffmpeg-keyframes')(ids, sim.rtsp);
  const n = ids.length;
  try {
    await r.ready;
    const why = r.unavailable?.();
    if (why) throw new Unavailable(why);
    const want = n * r.streamsPerCam;
    const deadline = Date.now() + GATE_MS;
    for (;;) {
      const a = tcpReceived(sim.rtsp, r.pids());
      await sleep(2000);
      const g = growth(a, tcpReceived(sim.rtsp, r.pids()));
      if (g.flowing >= want) break;
      if (Date.now() > deadline) throw new Error(`${side}: only ${g.flowing} of ${want} streams received within ${GATE_MS / 1000} s`);
    }
    // our host settles longer (a fresh embedded database and the app start behind it)
    await sleep(side.startsWith('ours') ? Math.max(WARMUP, 10_000) : WARMUP);
    const f0 = r.frames?.() ?? NaN;
    const rep0 = reports;
    const net0 = tcpReceived(sim.rtsp, r.pids());
    const [m, s] = await Promise.all([measure(r.pids, WINDOW), measure(() => withDescendants(sim.proc.child.pid!), WINDOW)]);
    const net = growth(net0, tcpReceived(sim.rtsp, r.pids()));
    if (net.flowing < want) throw new Error(`${side}: only ${net.flowing} of ${want} streams received bytes during the window`);
    return { cameras: n, flowing: net.flowing, ...m, simCpuPct: s.cpuPct, framesPerCam: ((r.frames?.() ?? NaN) - f0) / n, reports: reports - rep0 };
  } finally {
    await r.close();
  }
}
class Unavailable extends Error {}

interface CpuResult {
  scene: string;
  side: Side;
  small?: Sample;
  large?: Sample;
  perCamCpu?: number;
  perCamPss?: number;
  skipped?: string;
}

async function cpuPart(): Promise<CpuResult[]> {
  const scenes = [
    { name: 'quiet', scene: 'quiet-night' },
    { name: 'busy', scene: 'yard-day' },
  ].filter((s) => !values.scenes || values.scenes.split(',').includes(s.name));
  const cams: SimCamera[] = scenes.flatMap((s) =>
    Array.from({ length: LARGE }, (_, i) => ({ id: `${s.name}${i}`, scene: s.scene, codec: 'h264' as const, main: '360p' as const, subGopSeconds: SUB_GOP })),
  );
  console.log(`\n1. CPU per added camera: ${SMALL} → ${LARGE} cameras per scene (main 640×360 + sub 640×360 0.5 Mbps, sub keyframe every ${SUB_GOP} s), warm-up ${WARMUP / 1000} s, window ${WINDOW / 1000} s`);
  const sim = await startSim(cams, 'cpu');
  const out: CpuResult[] = [];
  try {
    for (const s of scenes) {
      for (const side of SIDES) {
        const ids = (k: number): string[] => Array.from({ length: k }, (_, i) => `${s.name}${i}`);
        try {
          const small = await sample(side, ids(SMALL), sim);
          const large = await sample(side, ids(LARGE), sim);
          const perCamCpu = (large.cpuPct - small.cpuPct) / (LARGE - SMALL);
          const perCamPss = (large.pssMb - small.pssMb) / (LARGE - SMALL);
          out.push({ scene: s.name, side, small, large, perCamCpu, perCamPss });
          if (perCamCpu < 0) console.log(`  ${s.name.padEnd(5)} ${side.padEnd(16)} NOISE: the small count cost more than the large one; run longer windows (--seconds 30) or more cameras`);
          const frames = Number.isNaN(large.framesPerCam) ? '' : `, ${large.framesPerCam.toFixed(0)} frames out/cam`;
          const reps = side === 'ours' ? `, ${large.reports} reports` : '';
          console.log(
            `  ${s.name.padEnd(5)} ${side.padEnd(16)} ${SMALL}: ${small.cpuPct.toFixed(1)} % ${small.pssMb.toFixed(0)} MB | ${LARGE}: ${large.cpuPct.toFixed(1)} % ${large.pssMb.toFixed(0)} MB → ${perCamCpu.toFixed(3)} %/camera, ${perCamPss.toFixed(2)} MB PSS/camera (${large.flowing} streams receiving${frames}${reps}; sim ${large.simCpuPct.toFixed(1)} %, load ${load()})`,
          );
        } catch (err) {
          const why = err instanceof Unavailable ? `not available: ${err.message}` : `failed: ${err instanceof Error ? err.message : String(err)}`;
          out.push({ scene: s.name, side, skipped: why });
          console.log(`  ${s.name.padEnd(5)} ${side.padEnd(16)} ${why}`);
        }
      }
    }
  } finally {
    await stop(sim.proc.child);
  }
  console.log(`\n${'CPU % of one core per added camera'.padEnd(46)}${'quiet'.padStart(9)}${'busy'.padStart(9)}${'PSS MB q'.padStart(10)}`);
  const get = (scene: string, side: Side): CpuResult | undefined => out.find((x) => x.scene === scene && x.side === side);
  const fmt = (r: CpuResult | undefined, k: 'perCamCpu' | 'perCamPss', d = 3): string => (r?.[k] === undefined ? 'n/a' : r[k].toFixed(d));
  for (const side of SIDES) console.log(`${LABEL[side].padEnd(46)}${fmt(get('quiet', side), 'perCamCpu').padStart(9)}${fmt(get('busy', side), 'perCamCpu').padStart(9)}${fmt(get('quiet', side), 'perCamPss', 2).padStart(10)}`);
  const added = (scene: string): number | undefined => {
    const a = get(scene, 'ours')?.perCamCpu;
    const b = get(scene, 'ours-ingest')?.perCamCpu;
    return a === undefined || b === undefined ? undefined : a - b;
  };
  for (const scene of ['quiet', 'busy']) {
    const ours = get(scene, 'ours');
    if (ours?.perCamCpu === undefined) {
      console.log(`  ${scene}: ours: not available${ours?.skipped ? ` (${ours.skipped})` : ''}`);
      continue;
    }
    const det = added(scene);
    const line = [`  ${scene}: detection adds ${det === undefined ? 'n/a' : det.toFixed(3)} % per camera to the ingest`];
    for (const b of ['ffmpeg-decode', 'ffmpeg-keyframes'] as const) {
      const y = get(scene, b)?.perCamCpu;
      if (y === undefined) continue;
      line.push(`${b} ÷ ours ${(y / ours.perCamCpu).toFixed(2)}× (÷ detection alone ${det && det > 0 ? (y / det).toFixed(2) : 'n/a'}×)`);
    }
    console.log(line.join('; '));
  }
  return out;
}

// ---------------------------------------------------------------- 2. quality and latency

interface Occurrence {
  simId: string;
  kind: 'zone_entry' | 'tamper' | 'none';
  cause?: string;
  zoneId?: string;
  objectId?: string;
  start: number;
  end: number;
}
interface Event {
  key: string;
  simId: string;
  kind: 'motion' | 'tamper';
  zoneId: string | null;
  cause: string | null;
  startedAt: number;
  endedAt: number | null;
  startRecvAt: number;
  boxes: { at: number; box: Box }[];
  snapshotBytes: number;
}

const intersects = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const pct = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

/** The figure's boxes (normalised) within ±slack ms of wall time `at`. */
function figureBoxes(truth: CameraTruth, objectId: string, at: number, slack = 500): Box[] {
  const out: Box[] = [];
  const obj = truth.objects.find((o) => o.id === objectId);
  if (!obj) return out;
  const f0 = cameraFrameAt(truth, at - slack);
  const f1 = cameraFrameAt(truth, at + slack);
  for (let f = f0; f <= f1; f++) {
    const lf = ((f % truth.loopFrames) + truth.loopFrames) % truth.loopFrames;
    const b = obj.boxes.find((x) => x[0] === lf);
    if (b) out.push({ x: b[1] / truth.width, y: b[2] / truth.height, w: b[3] / truth.width, h: b[4] / truth.height });
  }
  return out;
}

/** Occurrences of a camera's loop-time truth events whose start falls in [from, to). */
function occurrences(simId: string, truth: CameraTruth, from: number, to: number): Occurrence[] {
  const loopMs = (truth.loopFrames * 1000) / truth.fps;
  const out: Occurrence[] = [];
  for (const e of truth.events) {
    const k0 = Math.ceil((from - truth.epochMs - e.startMs) / loopMs);
    for (let k = k0; ; k++) {
      const start = truth.epochMs + k * loopMs + e.startMs;
      if (start >= to) break;
      const occ: Occurrence = { simId, kind: e.kind, start, end: truth.epochMs + k * loopMs + e.endMs };
      if (e.cause !== undefined) occ.cause = e.cause;
      if (e.zoneId !== undefined) occ.zoneId = e.zoneId;
      if (e.objectId !== undefined) occ.objectId = e.objectId;
      out.push(occ);
    }
  }
  return out;
}

async function qualityPart(): Promise<Record<string, unknown>> {
  type Role = 'zone' | 'tamper' | 'noisy' | 'headlights' | 'ir';
  const roles: { id: string; role: Role; cam: SimCamera }[] = [];
  const add = (role: Role, n: number, scene: (i: number) => string, extra: Partial<SimCamera> = {}): void => {
    for (let i = 0; i < n; i++) {
      const id = `${role}${i}`;
      roles.push({ id, role, cam: { id, scene: scene(i), codec: 'h264', main: '360p', subGopSeconds: SUB_GOP, ...extra } });
    }
  };
  add('zone', COUNTS.zone, (i) => (i % 3 === 2 ? 'basement-night' : 'playground-night'));
  add('tamper', COUNTS.tamper, (i) => ['yard-night', 'quiet-day', 'entrance-day'][i % 3]!, { tamper: true });
  add('noisy', COUNTS.noisy, () => 'quiet-noisy-night');
  add('headlights', COUNTS.headlights, () => 'headlights-night');
  add('ir', COUNTS.ir, () => 'ir-switch');
  console.log(
    `\n2. quality and latency: ${roles.length} cameras (${Object.entries(COUNTS)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}) for ${QUALITY_S} s, sub keyframe every ${SUB_GOP} s, loop ${LOOP_S} s`,
  );
  const sim = await startSim(
    roles.map((r) => r.cam),
    'quality',
  );
  const truths = new Map<string, CameraTruth>();
  for (const r of roles) truths.set(r.id, await simGet<CameraTruth>(sim, `/truth/${r.id}`));
  // zones: the truth's zones (ids mapped to uuids) + the stamp masked; negatives: the whole picture
  const zoneIds = new Map<string, string>(); // our uuid → truth zone id
  const hostCams: HostCamera[] = roles.map((r) => {
    if (r.role === 'zone') {
      const zs = truths.get(r.id)!.zones.map((z) => {
        const id = randomUUID();
        zoneIds.set(id, z.id);
        return zone(id, z.polygon);
      });
      return { id: r.id, zones: [...zs, zone(randomUUID(), STAMP, 'exclude')] };
    }
    // tamper cameras: no zone to watch, only the stamp (the OSD) masked, as an installer would
    if (r.role === 'tamper') return { id: r.id, zones: [zone(randomUUID(), STAMP, 'exclude')] };
    return { id: r.id, zones: wholePicture() };
  });
  const reports: HostReport[] = [];
  const h = host(hostCams, sim.rtsp, true, (r) => reports.push(r), sim.http);
  if (ORACLE) console.log('  --oracle: the host reports the truth (a check of this scoring, not a detector): expect precision = recall = 1');
  let result: Record<string, unknown> = {};
  try {
    await h.ready;
    const why = h.noDetector();
    if (why) {
      console.log(`  ours: not available — ${why}`);
      const t0 = Date.now();
      const t1 = t0 + QUALITY_S * 1000;
      const occ = roles.flatMap((r) => occurrences(r.id, truths.get(r.id)!, t0, t1));
      console.log(`  (the run would score ${occ.filter((o) => o.kind === 'zone_entry').length} zone entries and ${occ.filter((o) => o.kind === 'none').length} negatives, + tamper episodes)`);
      return { available: false, reason: why };
    }
    console.log(`  all ${roles.length * 2} streams online; detector warm-up 10 s (background learning), then ${QUALITY_S} s scored`);
    await sleep(10_000);
    const T0 = Date.now();
    const T1 = T0 + QUALITY_S * 1000;
    // tamper cameras: cover → defocus → turn, 8 s on / 8 s off, staggered by 3 s
    const tamperCams = roles.filter((r) => r.role === 'tamper');
    const causes = ['cover', 'defocus', 'turn'];
    const cycles = tamperCams.map(async (r, i) => {
      await sleep(3000 * i + 2000);
      for (let k = i; Date.now() < T1 - 10_000; k++) {
        await simFault(sim, r.id, causes[k % 3]!);
        await sleep(8000);
        await simFault(sim, r.id, 'none');
        await sleep(8000);
      }
    });
    const progress = setInterval(() => console.log(`  … ${Math.round((Date.now() - T0) / 1000)} s, ${reports.length} reports, load ${load()}`), 60_000);
    await Promise.all([sleep(QUALITY_S * 1000), ...cycles]);
    clearInterval(progress);
    await sleep(6000); // late reports and ends
    for (const r of tamperCams) truths.set(r.id, await simGet<CameraTruth>(sim, `/truth/${r.id}`));
    result = score(roles, truths, reports, h.ids, zoneIds, T0, T1);
  } finally {
    await h.close();
    await stop(sim.proc.child);
  }
  return result;
}

function score(
  roles: { id: string; role: string }[],
  truths: Map<string, CameraTruth>,
  reports: HostReport[],
  ids: Map<string, string>,
  zoneIds: Map<string, string>,
  T0: number,
  T1: number,
): Record<string, unknown> {
  // events from reports
  const events = new Map<string, Event>();
  for (const r of reports) {
    const simId = ids.get(r.cameraId) ?? r.cameraId;
    let e = events.get(r.eventKey);
    if (!e) {
      e = { key: r.eventKey, simId, kind: r.kind, zoneId: r.zoneId, cause: r.cause, startedAt: r.startedAt, endedAt: null, startRecvAt: r.recvAt, boxes: [], snapshotBytes: 0 };
      events.set(r.eventKey, e);
    }
    e.boxes.push(...r.boxes);
    e.endedAt = r.endedAt;
    e.snapshotBytes = Math.max(e.snapshotBytes, r.snapshotBytes);
    if (r.phase === 'start') e.startRecvAt = r.recvAt;
  }
  // Matching runs over every event and every truth occurrence near the window; the figures
  // count truth wholly inside [T0 + 2 s, T1] (recall) and events starting in [T0 + 2 s, T1 − 2 s]
  // (precision), so an event at a window edge is neither a free miss nor a false alarm.
  const all = [...events.values()];
  const counted = (e: Event): boolean => e.startedAt >= T0 + 2000 && e.startedAt <= T1 - 2000;
  const inRun = all.filter(counted);
  const roleOf = new Map(roles.map((r) => [r.id, r.role]));
  const overlaps = (e: Event, s: number, t: number): boolean => e.startedAt <= t && (e.endedAt ?? Infinity) >= s;
  const scoredTruth = (o: Occurrence): boolean => o.start >= T0 + 2000 && o.end <= T1;

  const zoneAll = roles
    .filter((r) => r.role === 'zone')
    .flatMap((r) => occurrences(r.id, truths.get(r.id)!, T0 - 5000, T1 + 5000))
    .filter((o) => o.kind === 'zone_entry');
  const zoneTruth = zoneAll.filter(scoredTruth);
  const motionAll = all.filter((e) => e.kind === 'motion');
  const used = new Set<string>();
  const matchedAll: { occ: Occurrence; ev: Event }[] = [];
  const noBox: Occurrence[] = [];
  for (const o of zoneAll) {
    const truth = truths.get(o.simId)!;
    const cands = motionAll.filter(
      (e) => !used.has(e.key) && e.simId === o.simId && zoneIds.get(e.zoneId ?? '') === o.zoneId && overlaps(e, o.start, o.end) && Math.abs(e.startedAt - o.start) <= 2000,
    );
    const boxed = cands.filter((e) => e.boxes.some((b) => figureBoxes(truth, o.objectId!, b.at).some((f) => intersects(f, b.box))));
    const best = boxed.sort((a, b) => Math.abs(a.startedAt - o.start) - Math.abs(b.startedAt - o.start))[0];
    if (best) {
      used.add(best.key);
      matchedAll.push({ occ: o, ev: best });
    } else if (cands.length && scoredTruth(o)) noBox.push(o);
  }
  const matchedZone = matchedAll.filter((m) => scoredTruth(m.occ));
  const motionScored = inRun.filter((e) => e.kind === 'motion' && ['zone', 'noisy', 'headlights', 'ir'].includes(roleOf.get(e.simId) ?? ''));
  const motionTrue = motionScored.filter((e) => used.has(e.key)).length;
  const zoneStats = {
    truth: zoneTruth.length,
    events: motionScored.length,
    matched: matchedZone.length,
    precision: motionScored.length ? motionTrue / motionScored.length : NaN,
    recall: zoneTruth.length ? matchedZone.length / zoneTruth.length : NaN,
    timeMatchedButBoxesMissed: noBox.length,
    startErrorMs: { p50: pct(matchedZone.map((m) => m.ev.startedAt - m.occ.start), 50), p95abs: pct(matchedZone.map((m) => Math.abs(m.ev.startedAt - m.occ.start)), 95) },
    latencyMs: {
      p50: pct(matchedZone.map((m) => m.ev.startRecvAt - m.occ.start), 50),
      p95: pct(matchedZone.map((m) => m.ev.startRecvAt - m.occ.start), 95),
      max: Math.max(...matchedZone.map((m) => m.ev.startRecvAt - m.occ.start)),
    },
    withSnapshot: matchedZone.filter((m) => m.ev.snapshotBytes > 0).length,
  };

  // tamper episodes from the simulator's truth (wall clock)
  const CAUSE: Record<string, string> = { covered: 'covered', defocused: 'defocused', turned: 'turned' };
  const tamperAll: Occurrence[] = roles
    .filter((r) => r.role === 'tamper')
    .flatMap((r) => truths.get(r.id)!.tamper.map((t) => ({ simId: r.id, kind: 'tamper' as const, cause: CAUSE[t.cause] ?? t.cause, start: t.startMs, end: t.endMs ?? T1 })))
    .filter((o) => o.start >= T0 - 5000);
  const tamperTruth = tamperAll.filter(scoredTruth);
  const tamperEvAll = all.filter((e) => e.kind === 'tamper');
  const tamperEv = inRun.filter((e) => e.kind === 'tamper');
  const usedT = new Set<string>();
  const matchedTAll: { occ: Occurrence; ev: Event }[] = [];
  let wrongCause = 0;
  for (const o of tamperAll) {
    const near = tamperEvAll.filter((e) => !usedT.has(e.key) && e.simId === o.simId && overlaps(e, o.start, o.end) && Math.abs(e.startedAt - o.start) <= 5000);
    const best = near.filter((e) => e.cause === o.cause).sort((a, b) => Math.abs(a.startedAt - o.start) - Math.abs(b.startedAt - o.start))[0];
    if (best) {
      usedT.add(best.key);
      matchedTAll.push({ occ: o, ev: best });
    } else if (near.length && scoredTruth(o)) wrongCause++;
  }
  const matchedT = matchedTAll.filter((m) => scoredTruth(m.occ));
  const tamperStats = Object.fromEntries(
    ['covered', 'defocused', 'turned'].map((cause) => {
      const t = tamperTruth.filter((o) => o.cause === cause);
      const m = matchedT.filter((x) => x.occ.cause === cause);
      const ev = tamperEv.filter((e) => e.cause === cause);
      const tp = ev.filter((e) => usedT.has(e.key)).length;
      return [
        cause,
        {
          truth: t.length,
          events: ev.length,
          matched: m.length,
          precision: ev.length ? tp / ev.length : NaN,
          recall: t.length ? m.length / t.length : NaN,
          startErrorMs: { p50: pct(m.map((x) => x.ev.startedAt - x.occ.start), 50), p95abs: pct(m.map((x) => Math.abs(x.ev.startedAt - x.occ.start)), 95) },
          latencyMs: { p50: pct(m.map((x) => x.ev.startRecvAt - x.occ.start), 50), p95: pct(m.map((x) => x.ev.startRecvAt - x.occ.start), 95) },
        },
      ];
    }),
  );

  // negatives: a distractor "fired" when any event of its camera overlaps it and matched nothing
  const matchedKeys = new Set([...used, ...usedT]);
  const negatives = roles
    .flatMap((r) => occurrences(r.id, truths.get(r.id)!, T0, T1))
    .filter((o) => o.kind === 'none' && scoredTruth(o));
  const negStats: Record<string, { occurrences: number; fired: number }> = {};
  for (const o of negatives) {
    const s = (negStats[o.cause ?? 'none'] ??= { occurrences: 0, fired: 0 });
    s.occurrences++;
    if (all.some((e) => e.simId === o.simId && !matchedKeys.has(e.key) && overlaps(e, o.start, o.end))) s.fired++;
  }
  const noisyIds = roles.filter((r) => r.role === 'noisy').map((r) => r.id);
  // every event of a noisy camera that is open at any time in the window counts (one that began
  // during the warm-up and never ended too)
  const noisyEv = all.filter((e) => noisyIds.includes(e.simId) && overlaps(e, T0, T1));
  const quiet = {
    cameras: noisyIds.length,
    minutes: (T1 - T0) / 60_000,
    events: noisyEv.length,
    startedInWarmup: noisyEv.filter((e) => e.startedAt < T0).length,
    neverEnded: noisyEv.filter((e) => e.endedAt === null).length,
  };
  const falseByRole: Record<string, number> = {};
  for (const e of inRun) if (!matchedKeys.has(e.key)) falseByRole[`${roleOf.get(e.simId)}:${e.kind}`] = (falseByRole[`${roleOf.get(e.simId)}:${e.kind}`] ?? 0) + 1;

  const f2 = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(2));
  const ms = (x: number): string => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');
  console.log(`\n  zone entries: ${zoneStats.truth} in the truth, ${zoneStats.events} motion events (zone + negative cameras), ${zoneStats.matched} matched`);
  console.log(`    precision ${f2(zoneStats.precision)}, recall ${f2(zoneStats.recall)} (target ≥ 0.95 each); ${noBox.length} matched in time but no box on the figure`);
  console.log(`    start error p50 ${ms(zoneStats.startErrorMs.p50)}, p95 |err| ${ms(zoneStats.startErrorMs.p95abs)} (≤ 2 s by the rule)`);
  console.log(`    alert latency (figure touches the zone → 'start' report received): p50 ${ms(zoneStats.latencyMs.p50)}, p95 ${ms(zoneStats.latencyMs.p95)}, max ${ms(zoneStats.latencyMs.max)} at a ${SUB_GOP} s sub keyframe interval (target p95 ≤ 1.5 s to the console); ${zoneStats.withSnapshot}/${zoneStats.matched} with a snapshot`);
  for (const [cause, s] of Object.entries(tamperStats) as [string, { truth: number; events: number; matched: number; precision: number; recall: number; startErrorMs: { p50: number; p95abs: number }; latencyMs: { p50: number; p95: number } }][])
    console.log(`  tamper ${cause.padEnd(9)}: ${s.truth} truth, ${s.events} events, ${s.matched} matched — precision ${f2(s.precision)}, recall ${f2(s.recall)}, start error p50 ${ms(s.startErrorMs.p50)} p95 |err| ${ms(s.startErrorMs.p95abs)}, latency p50 ${ms(s.latencyMs.p50)} p95 ${ms(s.latencyMs.p95)}`);
  if (wrongCause) console.log(`    ${wrongCause} tamper episode(s) reported with another cause`);
  console.log(`  negatives (a distractor fired = an unmatched event of its camera overlaps it):`);
  for (const [cause, s] of Object.entries(negStats)) console.log(`    ${cause.padEnd(13)} ${s.fired}/${s.occurrences} fired`);
  console.log(
    `  static noisy scene: ${quiet.events} event(s) on ${quiet.cameras} quiet-noisy-night camera(s) over ${quiet.minutes.toFixed(1)} min (target 0 over 10 min)${quiet.events ? ` — ${quiet.startedInWarmup} began in the warm-up, ${quiet.neverEnded} never ended` : ''}`,
  );
  console.log(`  unmatched events by camera role: ${JSON.stringify(falseByRole)}`);
  // every event, relative to the window's start, for diagnosis
  const eventLog = all
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((e) => ({
      camera: e.simId,
      role: roleOf.get(e.simId),
      kind: e.kind,
      zone: e.zoneId ? (zoneIds.get(e.zoneId) ?? e.zoneId) : null,
      cause: e.cause,
      startS: (e.startedAt - T0) / 1000,
      endS: e.endedAt === null ? null : (e.endedAt - T0) / 1000,
      latencyMs: e.startRecvAt - e.startedAt,
      boxes: e.boxes.length,
      firstBoxes: e.boxes.slice(0, 3).map((b) => ({ atS: (b.at - T0) / 1000, ...b.box })),
      matched: matchedKeys.has(e.key),
    }));
  const truthLog = [...zoneAll, ...tamperAll].map((o) => ({ camera: o.simId, kind: o.kind, cause: o.cause, zone: o.zoneId, startS: (o.start - T0) / 1000, endS: (o.end - T0) / 1000 }));
  return { available: true, subGopSeconds: SUB_GOP, window: { from: T0, to: T1 }, zone: zoneStats, tamper: tamperStats, tamperWrongCause: wrongCause, negatives: negStats, quiet, falseByRole, reports: reports.length, events: eventLog, truth: truthLog };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log(`detection benchmark: ${os.availableParallelism()} cores, load average ${load()} (a shared machine: figures are loaded)`);
  const results: Record<string, unknown> = {};
  if (ONLY.includes('cpu')) results.cpu = await cpuPart();
  if (ONLY.includes('quality')) results.quality = await qualityPart();
  const dir = path.resolve(here, '../results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'detection.json');
  const meta = { at: new Date().toISOString(), cameras: [SMALL, LARGE], warmupS: WARMUP / 1000, windowS: WINDOW / 1000, subGopSeconds: SUB_GOP, qualitySeconds: QUALITY_S, loopSeconds: LOOP_S, counts: COUNTS, cores: os.availableParallelism(), loadavg: os.loadavg() };
  fs.writeFileSync(file, JSON.stringify({ ...meta, ...results }, null, 2));
  console.log(`\nwritten ${path.relative(process.cwd(), file)} (load average ${load()})`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
