import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StreamKind, StreamStatus } from '@kuzet/contracts';
import type { Logger } from 'pino';
import type { CameraEvents } from '../cameras/camera-events.ts';
import type { CameraHistoryService } from '../cameras/cameras.history.ts';
import type { CamerasService, CameraStatusSource } from '../cameras/cameras.service.ts';
import { addStats, type FromWorker, type StatusUpdate, type ToWorker, type WorkerStats } from './media.protocol.ts';
import type { SessionTimings } from './stream-session.ts';

export interface MediaConsumer {
  onInit(codec: string, data: Uint8Array): void;
  onFragment(data: Uint8Array, meta: { keyframe: boolean; pts: number; receivedAt: number }): void;
}

export interface MediaOptions {
  workers?: number;
  /** Reconnect and watchdog timings (tests shorten them). */
  timings?: Partial<SessionTimings>;
}

/**
 * The media engine's main-thread side: keeps one upstream session per enabled
 * camera stream running in worker threads (sharded by camera), mirrors their status
 * for the registry and the console, records status changes, and hands fMP4
 * fragments to consumers. PGlite runs on this thread; packets never do.
 */
export class MediaService implements CameraStatusSource {
  private workers: Worker[] = [];
  private readonly status = new Map<string, StatusUpdate>();
  private readonly placement = new Map<string, { worker: number; complexId: string; streams: Map<StreamKind, string> }>();
  private readonly consumers = new Map<number, MediaConsumer>();
  private nextSub = 1;
  private unsubscribeRegistry: (() => void) | null = null;
  private pendingStats: ((s: WorkerStats) => void)[] = [];
  private readonly lossTold = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly cameras: CamerasService,
    private readonly history: CameraHistoryService,
    private readonly events: CameraEvents,
    private readonly log: Logger,
    private readonly options: MediaOptions = {},
  ) {}

  async start(): Promise<void> {
    const n = Math.max(1, Math.min(this.options.workers ?? os.availableParallelism(), 8));
    for (let i = 0; i < n; i++) this.workers.push(this.spawn(i));
    this.cameras.setStatusSource(this);
    this.unsubscribeRegistry = this.cameras.onChange((id) => void this.reconcile(id).catch((err: unknown) => this.log.error({ err, cameraId: id }, 'media reconcile failed')));
    for (const c of await this.cameras.connections()) await this.reconcile(c.cameraId);
  }

  statusOf(cameraId: string): StreamStatus[] | undefined {
    const out: StreamStatus[] = [];
    for (const stream of ['main', 'sub'] as const) {
      const s = this.status.get(`${cameraId}/${stream}`);
      if (s) out.push(toStatus(s));
    }
    return out.length ? out : undefined;
  }

  /** Attach a consumer to a stream: it gets the init segment, the GOP cache, then live fragments. */
  subscribe(cameraId: string, stream: StreamKind, consumer: MediaConsumer): () => void {
    const place = this.placement.get(cameraId);
    if (!place || !place.streams.has(stream)) throw new Error(`stream ${cameraId}/${stream} is not running`);
    const subId = this.nextSub++;
    this.consumers.set(subId, consumer);
    const worker = this.workers[place.worker]!;
    this.post(worker, { type: 'subscribe', subId, cameraId, stream });
    return () => {
      if (!this.consumers.delete(subId)) return;
      this.post(worker, { type: 'unsubscribe', subId });
    };
  }

  /** Totals over every worker: for the benchmark and diagnostics. */
  async stats(): Promise<WorkerStats> {
    const parts = await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<WorkerStats>((resolve) => {
            this.pendingStats.push(resolve);
            this.post(w, { type: 'stats' });
          }),
      ),
    );
    return parts.reduce(addStats);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribeRegistry?.();
    await Promise.all(
      this.workers.map(async (w) => {
        const done = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        this.post(w, { type: 'stop' });
        const timer = setTimeout(() => void w.terminate(), 5000);
        await done;
        clearTimeout(timer);
      }),
    );
    this.workers = [];
  }

  /** Brings one camera's streams in line with the registry. */
  private async reconcile(cameraId: string): Promise<void> {
    if (this.stopping) return;
    const conn = await this.cameras.connection(cameraId);
    const prev = this.placement.get(cameraId);
    const workerIndex = prev?.worker ?? shardOf(cameraId, this.workers.length);
    const worker = this.workers[workerIndex]!;
    const next = new Map<StreamKind, string>((conn?.streams ?? []).map((s) => [s.stream, s.url]));
    for (const [stream] of prev?.streams ?? []) {
      if (!next.has(stream)) {
        this.post(worker, { type: 'remove', cameraId, stream });
        this.status.delete(`${cameraId}/${stream}`);
      }
    }
    for (const [stream, url] of next) {
      if (prev?.streams.get(stream) !== url) this.post(worker, { type: 'upsert', cameraId, stream, url });
    }
    if (next.size && conn) this.placement.set(cameraId, { worker: workerIndex, complexId: conn.complexId, streams: next });
    else this.placement.delete(cameraId);
    void this.events.changed(cameraId);
  }

  private spawn(index: number): Worker {
    const w = new Worker(path.join(import.meta.dirname, 'media.worker.mjs'), { name: `media-${index}`, workerData: { timings: this.options.timings ?? {} } });
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (err) => this.log.error({ err, worker: index }, 'media worker crashed'));
    w.on('exit', (code) => {
      if (this.stopping) return;
      this.log.error({ worker: index, code }, 'media worker exited; restarting its cameras');
      this.workers[index] = this.spawn(index);
      for (const [cameraId, p] of this.placement) {
        if (p.worker !== index) continue;
        for (const [stream, url] of p.streams) this.post(this.workers[index]!, { type: 'upsert', cameraId, stream, url });
      }
    });
    return w;
  }

  private post(w: Worker, m: ToWorker): void {
    w.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'status':
        this.onStatus(m.items);
        return;
      case 'init':
        this.consumers.get(m.subId)?.onInit(m.codec, new Uint8Array(m.data));
        return;
      case 'fragment':
        this.consumers.get(m.subId)?.onFragment(new Uint8Array(m.data), { keyframe: m.keyframe, pts: m.pts, receivedAt: m.receivedAt });
        return;
      case 'log':
        this.log[m.level](m.fields, m.msg);
        return;
      case 'stats':
        this.pendingStats.shift()?.(m.stats);
        return;
      case 'stopped':
        return;
    }
  }

  /** Whether a degraded stream's loss moved by half a point since consoles last heard it. */
  private lossMoved(key: string, loss: number | null): boolean {
    const told = this.lossTold.get(key);
    if (loss === null || (told !== undefined && Math.abs(loss - told) < 0.5)) return false;
    this.lossTold.set(key, loss);
    return true;
  }

  private onStatus(items: StatusUpdate[]): void {
    const changes: StatusUpdate[] = [];
    for (const s of items) {
      const key = `${s.cameraId}/${s.stream}`;
      if (!this.placement.get(s.cameraId)?.streams.has(s.stream)) continue; // removed meanwhile
      const prev = this.status.get(key);
      this.status.set(key, s);
      if (!prev || prev.state !== s.state || prev.reason !== s.reason) {
        changes.push(s);
        if (s.lossPercent !== null) this.lossTold.set(key, s.lossPercent);
      } else if (s.state === 'degraded' && this.lossMoved(key, s.lossPercent)) void this.events.changed(s.cameraId); // the console shows the rate
    }
    if (!changes.length) return;
    const rows = changes.flatMap((s) => {
      const complexId = this.placement.get(s.cameraId)?.complexId;
      return complexId ? [{ complexId, cameraId: s.cameraId, stream: s.stream, state: s.state, reason: s.reason, at: new Date(s.since) }] : [];
    });
    void this.history.record(rows).catch((err: unknown) => this.log.warn({ err }, 'could not record camera status'));
    for (const id of new Set(changes.map((c) => c.cameraId))) void this.events.changed(id);
  }
}

function toStatus(s: StatusUpdate): StreamStatus {
  return {
    stream: s.stream,
    state: s.state,
    reason: s.reason,
    codec: s.codec,
    width: s.width,
    height: s.height,
    fps: s.fps,
    bitrateKbps: s.bitrateKbps,
    lastFrameAt: s.lastFrameAt ? new Date(s.lastFrameAt).toISOString() : null,
    since: new Date(s.since).toISOString(),
    lossPercent: s.lossPercent,
  };
}

export function shardOf(id: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}
