/**
 * Our detector for the detection benchmark: the server's MediaService (media worker
 * threads ingesting each camera's main + sub, as the product runs them) and, unless
 * `--detect off`, the DetectionService (server/src/modules/detection) with a sink that
 * prints every DetectionReport. No HTTP server is listening; the registry is a fresh
 * embedded database (the test app), cameras added through CamerasService.
 *
 *   --port <rtsp port of the simulator> --cameras <json file: [{ id, zones: ZoneSpec[] }]>
 *   [--detect on|off|oracle] [--sim-http <port>] [--workers 2]
 *
 * `--detect oracle` checks the benchmark's scoring, not a detector: instead of the
 * DetectionService, the host reports the simulator's truth (zone entries 300 ms late with
 * the truth's box, tamper episodes 1 s late), so the bench must score precision = recall = 1.
 *
 * stdout: `CAMERA <simId> <cameraId>` per camera, `ONLINE` once every stream is online,
 * `REPORT {json}` per report (snapshot replaced by its size, `recvAt` = Date.now() when the
 * sink got it), `NODETECTOR <reason>` if the detection module is not there (then it only
 * ingests). Logs go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { MediaService } from '../../server/src/modules/media/media.service.ts';
import { createLogger } from '../../server/src/platform/logger.ts';
import { createTestApp } from '../../server/src/testing/test-app.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    cameras: { type: 'string' },
    detect: { type: 'string' },
    workers: { type: 'string' },
    'sim-http': { type: 'string' },
  },
});

/** The zone shape DetectionService.setCameraConfig takes (detection-api.md). */
export interface BenchZone {
  id: string;
  kind: 'include' | 'exclude';
  polygon: [number, number][];
  sensitivity: number;
  minObjectSize: number;
  schedule: { kind: 'always' };
  cooldownSeconds: number;
  enabled: boolean;
}
export interface HostCamera {
  id: string;
  zones: BenchZone[];
}

/** What the benchmark needs of the detector (the shape in detection-api.md). */
interface Report {
  eventKey: string;
  cameraId: string;
  kind: string;
  zoneId: string | null;
  cause: string | null;
  phase: string;
  startedAt: number;
  endedAt: number | null;
  peakScore: number;
  boxes: { at: number; box: { x: number; y: number; w: number; h: number } }[];
  snapshotJpeg: Uint8Array | null;
  label: string | null;
}
interface Detector {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
  setCameraConfig(cameraId: string, config: { enabled: boolean; zones: BenchZone[] }): void | Promise<void>;
}
type DetectorCtor = new (opts: { media: MediaService; sink: { report(r: Report): void }; log: unknown }) => Detector;

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const cams = JSON.parse(fs.readFileSync(values.cameras ?? '', 'utf8')) as HostCamera[];
const log = createLogger('warn', pino.destination(2));
const t = await createTestApp();
const ids = new Map<string, string>();
for (const c of cams) {
  const created = await t.services.cameras.create(null, t.complexId, {
    name: c.id,
    type: 'yard',
    buildingId: null,
    entranceId: null,
    zoneId: null,
    position: null,
    direction: null,
    fieldOfView: null,
    mainUrl: `rtsp://127.0.0.1:${values.port}/cam/${c.id}/main`,
    subUrl: `rtsp://127.0.0.1:${values.port}/cam/${c.id}/sub`,
    username: null,
    password: null,
    recordingPolicy: 'continuous',
    retentionDays: 30,
    enabled: true,
  });
  ids.set(c.id, created.id);
  out(`CAMERA ${c.id} ${created.id}`);
}
const media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, log, {
  workers: Number(values.workers ?? 2),
});
await media.start();

let detector: Detector | null = null;
if ((values.detect ?? 'on') === 'on') {
  const file = path.resolve(import.meta.dirname, '../../server/src/modules/detection/detection.service.ts');
  try {
    if (!fs.existsSync(file))
      throw new Error(`${path.relative(process.cwd(), file)} is not there (branch h/detector not merged)`);
    const mod = (await import(file)) as { DetectionService?: DetectorCtor };
    if (!mod.DetectionService) throw new Error('detection.service.ts exports no DetectionService');
    const sink = {
      report(r: Report): void {
        const { snapshotJpeg, ...rest } = r;
        out(`REPORT ${JSON.stringify({ ...rest, snapshotBytes: snapshotJpeg?.length ?? 0, recvAt: Date.now() })}`);
      },
    };
    detector = new mod.DetectionService({ media, sink, log });
    await detector.start();
    for (const c of cams) await detector.setCameraConfig(ids.get(c.id)!, { enabled: true, zones: c.zones });
  } catch (err) {
    out(`NODETECTOR ${err instanceof Error ? err.message : String(err)}`);
    detector = null;
  }
}

if (values.detect === 'oracle') detector = oracle(ids, Number(values['sim-http']), cams);

const online = setInterval(() => {
  const all = [...ids.values()].every((id) => {
    const s = media.statusOf(id);
    return s !== undefined && s.length === 2 && s.every((x) => x.state === 'online');
  });
  if (all) {
    out('ONLINE');
    clearInterval(online);
  }
}, 200);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  clearInterval(online);
  try {
    await detector?.stop();
    await media.stop();
    await t.close();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

/** Reports the simulator's truth as a detector would (see --detect oracle). */
function oracle(simIds: Map<string, string>, httpPort: number, cameras: HostCamera[]): Detector {
  interface Truth {
    epochMs: number;
    loopFrames: number;
    fps: number;
    events: { kind: string; zoneId?: string; startMs: number; endMs: number; box?: Report['boxes'][number]['box'] }[];
    tamper: { cause: string; startMs: number; endMs: number | null }[];
  }
  const timers: NodeJS.Timeout[] = [];
  const seen = new Set<string>();
  const emit = (r: Omit<Report, 'snapshotJpeg' | 'label' | 'peakScore'>): void =>
    out(`REPORT ${JSON.stringify({ ...r, peakScore: 1, label: null, snapshotBytes: 0, recvAt: Date.now() })}`);
  const get = async (id: string): Promise<Truth> =>
    (await (await fetch(`http://127.0.0.1:${httpPort}/truth/${id}`)).json()) as Truth;
  for (const c of cameras) {
    const cameraId = simIds.get(c.id)!;
    // the bench gives a zone camera its truth zone (one per scene) first
    const zoneByIndex = c.zones.filter((z) => z.kind === 'include');
    timers.push(
      setInterval(() => {
        void get(c.id).then((t) => {
          const loopMs = (t.loopFrames * 1000) / t.fps;
          const now = Date.now();
          const k = Math.floor((now - t.epochMs) / loopMs);
          for (const kk of [k - 1, k]) {
            t.events.forEach((e, i) => {
              if (e.kind !== 'zone_entry') return;
              const s = t.epochMs + kk * loopMs + e.startMs;
              const end = t.epochMs + kk * loopMs + e.endMs;
              const key = `${c.id}:${kk}:${i}`;
              const zoneId = zoneByIndex[0]?.id ?? null;
              if (now >= s + 300 && !seen.has(key)) {
                seen.add(key);
                emit({
                  eventKey: key,
                  cameraId,
                  kind: 'motion',
                  zoneId,
                  cause: null,
                  phase: 'start',
                  startedAt: s + 100,
                  endedAt: null,
                  boxes: e.box ? [{ at: s + 100, box: e.box }] : [],
                });
              }
              if (now >= end + 300 && seen.has(key) && !seen.has(`${key}:end`)) {
                seen.add(`${key}:end`);
                emit({
                  eventKey: key,
                  cameraId,
                  kind: 'motion',
                  zoneId,
                  cause: null,
                  phase: 'end',
                  startedAt: s + 100,
                  endedAt: end,
                  boxes: [],
                });
              }
            });
          }
          t.tamper.forEach((x, i) => {
            const key = `${c.id}:t${i}`;
            if (now >= x.startMs + 1000 && !seen.has(key)) {
              seen.add(key);
              emit({
                eventKey: key,
                cameraId,
                kind: 'tamper',
                zoneId: null,
                cause: x.cause,
                phase: 'start',
                startedAt: x.startMs + 500,
                endedAt: null,
                boxes: [],
              });
            }
            if (x.endMs !== null && now >= x.endMs + 1000 && seen.has(key) && !seen.has(`${key}:end`)) {
              seen.add(`${key}:end`);
              emit({
                eventKey: key,
                cameraId,
                kind: 'tamper',
                zoneId: null,
                cause: x.cause,
                phase: 'end',
                startedAt: x.startMs + 500,
                endedAt: x.endMs,
                boxes: [],
              });
            }
          });
        });
      }, 200),
    );
  }
  return {
    start: () => undefined,
    setCameraConfig: () => undefined,
    stop: () => timers.forEach((t) => clearInterval(t)),
  };
}
