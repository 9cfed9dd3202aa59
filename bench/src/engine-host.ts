/**
 * Our pipeline for the benchmark: the media engine's worker threads (the same
 * media.worker.mjs the server runs: RTSP → access units → GOP cache → one fMP4
 * fragment per frame while watched), without the HTTP server or database. N cameras,
 * each with the streams of `--streams` (default main; `main,sub` is a camera as the
 * product runs it). With `--record <root> [--segment s]` every camera's main stream is
 * recorded by the recorder in its worker (the `record` message RecordingService sends
 * through MediaService.setRecording), files under `<root>/<cameraId>/…`; the workers'
 * reports (what the server batches into the index) are counted, not written anywhere.
 * Prints "ONLINE" once every stream is online; answers "stats" on stdin.
 */
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { StreamKind } from '@kuzet/contracts';
import { addStats, type FromWorker, type StatusUpdate, type ToWorker, type WorkerStats } from '../../server/src/modules/media/media.protocol.ts';

const { values } = parseArgs({
  options: { cameras: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' }, streams: { type: 'string' }, record: { type: 'string' }, segment: { type: 'string' } },
});
const streams = (values.streams ?? 'main').split(',') as StreamKind[];
const n = Number(values.cameras) * streams.length;
const workerCount = Number(values.workers ?? Math.min(2, os.availableParallelism()));
const script = path.resolve(import.meta.dirname, '../../server/src/modules/media/media.worker.mjs');
const status = new Map<string, StatusUpdate>();
const pending: ((s: WorkerStats) => void)[] = [];
let announced = false;
/** The recorder's reports: segments opened / grown / closed, and problems. */
const reports: Record<string, number> = { segmentReports: 0, closedFiles: 0, problems: 0 };

const workers = Array.from({ length: workerCount }, (_, i) => {
  const w = new Worker(script, { name: `media-${i}`, workerData: { timings: {} } });
  w.on('message', (m: FromWorker) => {
    if (m.type === 'status') {
      for (const s of m.items) status.set(`${s.cameraId}/${s.stream}`, s);
      const online = [...status.values()].filter((s) => s.state === 'online').length;
      if (!announced && online === n) {
        announced = true;
        process.stdout.write('ONLINE\n');
      }
    } else if (m.type === 'stats') pending.shift()?.(m.stats);
    else if (m.type === 'recording') {
      if (m.report.kind === 'segment') {
        reports.segmentReports!++;
        if (m.report.state === 'closed') {
          reports.closedFiles!++;
          const k = `closed:${m.report.reason ?? 'segment'}`;
          reports[k] = (reports[k] ?? 0) + 1;
        }
      } else if (m.report.kind === 'problem') {
        reports.problems!++;
        process.stderr.write(`recording problem: ${m.report.cameraId} ${m.report.code} ${m.report.message}\n`);
      }
    }
  });
  // A worker that dies is not restarted here (the server's MediaService would): say so, the
  // benchmark's gate then fails this side with the reason in its output.
  w.on('error', (err) => process.stderr.write(`media-${i} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`));
  w.on('exit', (code) => process.stderr.write(`media-${i} exited (${code})\n`));
  return w;
});
// Both streams of a camera on one worker, as media.service shards them.
for (let i = 0; i < Number(values.cameras); i++) {
  for (const stream of streams) {
    const msg: ToWorker = { type: 'upsert', cameraId: `b${i}`, stream, url: `rtsp://127.0.0.1:${values.port}/cam/b${i}/${stream}` };
    workers[i % workerCount]!.postMessage(msg);
  }
  if (values.record !== undefined) {
    const spec = { root: path.resolve(values.record), segmentSeconds: Number(values.segment ?? 60) };
    workers[i % workerCount]!.postMessage({ type: 'record', seq: i, cameraId: `b${i}`, spec } satisfies ToWorker);
  }
}

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'stats') return;
  const parts = await Promise.all(
    workers.map(
      (w) =>
        new Promise<WorkerStats>((resolve) => {
          pending.push(resolve);
          w.postMessage({ type: 'stats' } satisfies ToWorker);
        }),
    ),
  );
  const total = parts.reduce(addStats);
  process.stdout.write(`STATS ${JSON.stringify({ ...total, ...reports })}\n`);
});
process.on('SIGTERM', () => {
  // 'stop' closes the recorders' open files too.
  for (const w of workers) w.postMessage({ type: 'stop' } satisfies ToWorker);
  setTimeout(() => process.exit(0), 2000).unref();
});
