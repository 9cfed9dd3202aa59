import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { DetectionStats, FromDetection, ToDetection } from './detection.protocol.ts';
import type { CameraDetectionConfig, DetectionSink } from './detection.types.ts';
import type { DetectionWorkerOptions } from './detection.worker.ts';

/** What the detector needs of the media engine (MediaService). */
export interface DetectionMedia {
  setDetector(makePort: (() => MessagePort) | null): void;
  setDetection(cameraId: string, on: boolean): void;
}

export interface DetectionServiceDeps {
  media: DetectionMedia;
  sink: DetectionSink;
  log: Logger;
  options?: DetectionWorkerOptions;
  /** The worker died: the events it had open will never get their end (the server ends them: EventsService.closeOrphans). */
  onWorkerLost?: () => void;
}

const EMPTY: DetectionStats = { cameras: 0, promoted: [], pids: [], keyframesDecoded: 0, keyframesSkipped: 0, poolRestarts: 0, poolFlushes: 0, framesAnalyzed: 0, promotions: 0, promotionsBySize: 0, threadCpuMs: -1 };

/**
 * Motion and tamper detection, main-thread side: runs the detection worker (decoders and
 * analysis, detection.worker.ts), connects it to the media workers' taps with a MessageChannel
 * per media worker (frames never cross this thread), keeps each camera's configuration, and
 * hands the worker's reports to the sink. A worker that dies is restarted with every
 * camera's configuration and fresh ports.
 */
export class DetectionService {
  private worker: Worker | null = null;
  private readonly configs = new Map<string, CameraDetectionConfig>();
  private readonly pendingStats: ((s: DetectionStats) => void)[] = [];
  private stopping = false;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: DetectionServiceDeps) {}

  start(): void {
    this.stopping = false;
    this.spawn();
  }

  /** Turns detection on or off for a camera and sets its zones (alerts calls it at start and on every zones change). */
  setCameraConfig(cameraId: string, config: CameraDetectionConfig): void {
    if (config.enabled) this.configs.set(cameraId, config);
    else this.configs.delete(cameraId);
    this.post({ type: 'config', cameraId, config: config.enabled ? config : null });
    this.deps.media.setDetection(cameraId, config.enabled);
  }

  /** Forgets a camera (deleted). */
  removeCamera(cameraId: string): void {
    this.setCameraConfig(cameraId, { enabled: false, zones: [] });
  }

  /** The worker's counters and its ffmpeg pids (for CPU measurements). */
  stats(): Promise<DetectionStats> {
    if (!this.worker) return Promise.resolve(EMPTY);
    return new Promise((resolve) => {
      this.pendingStats.push(resolve);
      this.post({ type: 'stats' });
    });
  }

  /** The worker thread's id in /proc/<pid>/task (for CPU measurements), when running. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.deps.media.setDetector(null);
    const w = this.worker;
    this.worker = null;
    for (const r of this.pendingStats.splice(0)) r(EMPTY);
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ type: 'stop' } satisfies ToDetection);
    const timer = setTimeout(() => void w.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }

  private spawn(): void {
    const w = new Worker(path.join(import.meta.dirname, 'detection.worker.mjs'), { name: 'detection', workerData: this.deps.options ?? {} });
    this.worker = w;
    w.on('message', (m: FromDetection) => this.onMessage(m));
    w.on('error', (err) => this.deps.log.error({ err }, 'detection worker crashed'));
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const r of this.pendingStats.splice(0)) r(EMPTY);
      if (this.stopping) return;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.restarts++, 5));
      this.deps.log.error({ code, restartInMs: delay }, 'detection worker exited; restarting it');
      this.deps.onWorkerLost?.();
      this.restartTimer = setTimeout(() => this.spawn(), delay);
    });
    for (const [cameraId, config] of this.configs) this.post({ type: 'config', cameraId, config });
    // Every media worker gets a port to this detection worker (and again whenever one restarts).
    this.deps.media.setDetector(() => {
      const ch = new MessageChannel();
      if (this.worker === w) w.postMessage({ type: 'port', port: ch.port2 } satisfies ToDetection, [ch.port2]);
      return ch.port1;
    });
  }

  private post(m: ToDetection): void {
    this.worker?.postMessage(m);
  }

  private onMessage(m: FromDetection): void {
    switch (m.type) {
      case 'report':
        try {
          this.deps.sink.report(m.report);
        } catch (err) {
          this.deps.log.error({ err }, 'detection sink failed');
        }
        return;
      case 'log':
        this.deps.log[m.level](m.fields, m.msg);
        return;
      case 'stats':
        this.pendingStats.shift()?.(m.stats);
        return;
      case 'stopped':
        return;
    }
  }
}
