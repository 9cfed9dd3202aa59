/**
 * CPU of the detector per camera on quiet scenes: N quiet-night cameras (sub 640×360, GOP 2 s)
 * through MediaService + DetectionService; after a warm-up, the detection worker's thread CPU
 * (/proc/thread-self via its stats) and its ffmpeg processes' (/proc/<pid>/stat, plus reaped
 * children's cutime/cstime) over a window, as % of one core per camera.
 *
 *   npx tsx server/src/modules/detection/tools/quiet-cpu.ts [--cameras 10] [--seconds 60] [--scene quiet-night]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '@kuzet/sim';
import { createLogger } from '../../../platform/logger.ts';
import { createTestApp } from '../../../testing/test-app.ts';
import { MediaService } from '../../media/media.service.ts';
import { DetectionService } from '../detection.service.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('cameras', 10);
const SECONDS = arg('seconds', 60);
const SCENE = process.argv.includes('--scene') ? process.argv[process.argv.indexOf('--scene') + 1]! : 'quiet-night';
const TICK = 100; // clock ticks per second (Linux)

function procTicks(pid: number | 'self'): { own: number; children: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

const t = await createTestApp();
const sim = await startSimulator({
  cameras: Array.from({ length: N }, (_, i) => ({ id: `quiet-${i}`, scene: SCENE, codec: 'h264' as const, main: '360p' as const })),
  httpPort: false, loopSeconds: 12, cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'), log: () => undefined,
});
const ids: string[] = [];
for (let i = 0; i < N; i++) {
  const c = await t.services.cameras.create(null, t.complexId, {
    name: `quiet-${i}`, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
    mainUrl: sim.url(`quiet-${i}`, 'main'), subUrl: sim.url(`quiet-${i}`, 'sub'), username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
  });
  ids.push(c.id);
}
const log = createLogger(process.env.LOG_LEVEL === 'warn' ? 'warn' : 'silent');
const media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, log, { workers: 1 });
await media.start();
let reports = 0;
const detection = new DetectionService({ media, sink: { report: () => void reports++ }, log });
detection.start();
const zone = { id: 'yard', kind: 'include' as const, polygon: [[0, 0.1], [1, 0.1], [1, 1], [0, 1]] as [number, number][], sensitivity: 5, minObjectSize: 0.004, schedule: { kind: 'always' as const }, cooldownSeconds: 30, enabled: true };
for (const id of ids) detection.setCameraConfig(id, { enabled: true, zones: [zone] });
await new Promise((r) => setTimeout(r, 15_000)); // sessions up, backgrounds learned

const s0 = await detection.stats();
const p0 = new Map(s0.pids.map((p) => [p, procTicks(p)?.own ?? 0]));
const self0 = procTicks('self')!;
const t0 = Date.now();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const s1 = await detection.stats();
const self1 = procTicks('self')!;
const wall = (Date.now() - t0) / 1000;
let ffmpegTicks = self1.children - self0.children; // ffmpegs that ended within the window
for (const p of s1.pids) ffmpegTicks += (procTicks(p)?.own ?? 0) - (p0.get(p) ?? 0);
const threadMs = s1.threadCpuMs - s0.threadCpuMs;
const pct = (ms: number) => ((100 * ms) / 1000 / wall / N).toFixed(3);
console.log(JSON.stringify({ scene: SCENE, cameras: N, seconds: wall, reports, promoted: s1.promoted.length, promotions: s1.promotions - s0.promotions, bySize: s1.promotionsBySize - s0.promotionsBySize, keyframes: s1.keyframesDecoded - s0.keyframesDecoded, flushes: s1.poolFlushes - s0.poolFlushes, restarts: s1.poolRestarts, framesAnalyzed: s1.framesAnalyzed - s0.framesAnalyzed, loadavg: os.loadavg() }));
console.log(`per camera (% of one core): detection thread ${pct(threadMs)}, ffmpeg ${pct((ffmpegTicks * 1000) / TICK)}, total ${pct(threadMs + (ffmpegTicks * 1000) / TICK)}`);
await detection.stop();
await media.stop();
await sim.stop();
await t.close();
