import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { CameraTransport, StreamKind, StreamStatus } from '@kuzet/contracts';
import type { UdpPortRange } from '@kuzet/media';
import type { Logger } from 'pino';
import type { CameraEvents } from '../cameras/camera-events.ts';
import type { CameraHistoryService } from '../cameras/cameras.history.ts';
import type { CamerasService, CameraStatusSource } from '../cameras/cameras.service.ts';
import type { FileReport, RecorderReport, RecordSpec, StopReason } from '../recording/recorder.protocol.ts';
import { addStats, type FromWorker, type StatusUpdate, type ToWorker, type WorkerStats } from './media.protocol.ts';
import type { SessionTimings } from './stream-session.ts';

export interface MediaConsumer {
  onInit(codec: string, data: Uint8Array): void;
  onFragment(data: Uint8Array, meta: { keyframe: boolean; pts: number; receivedAt: number }): void;
}

/**
 * A media worker died while recording: the cameras it ran and the recording files it held
 * open (paths relative to `root`). Their fds were closed on its behalf before this is told.
 */
export interface RecorderLoss {
  worker: number;
  at: number;
  cameras: string[];
  files: { cameraId: string; root: string; path: string }[];
}

export interface MediaOptions {
  workers?: number;
  /** Reconnect and watchdog timings (tests shorten them). */
  timings?: Partial<SessionTimings>;
  /** Lets `crashWorkerForTest` make a worker throw from inside. Only tests set it. */
  testHooks?: boolean;
  /** UDP client ports for RTP/RTCP; null: the OS's ephemeral ports. */
  rtpPorts?: UdpPortRange;
}

/** Where a stream is pulled from and how. */
interface StreamTarget {
  url: string;
  transport: CameraTransport;
}

/** A worker that ran this long before crashing is restarted at once; sooner, with growing backoff. */
const HEALTHY_MS = 60_000;
const RESTART_BACKOFF_MS = 1000;
const RESTART_BACKOFF_MAX_MS = 30_000;
const NO_STATS: WorkerStats = { streams: 0, consumers: 0, frames: 0, bytes: 0, fragments: 0, fragmentBytes: 0, gopCacheBytes: 0, preRollBytes: 0 };

/**
 * The media engine's main-thread side: keeps one upstream session per enabled
 * camera stream running in worker threads (sharded by camera), mirrors their status
 * for the registry and the console, records status changes, and hands fMP4
 * fragments to consumers. Packets never run on this thread; PGlite has its own (decision 0003).
 */
export class MediaService implements CameraStatusSource {
  private workers: Worker[] = [];
  private readonly status = new Map<string, StatusUpdate>();
  private readonly placement = new Map<string, { worker: number; complexId: string; streams: Map<StreamKind, StreamTarget> }>();
  /** Every subscription lives here too, so a restarted worker can be told about them again. */
  private readonly consumers = new Map<number, { consumer: MediaConsumer; cameraId: string; stream: StreamKind }>();
  private nextSub = 1;
  private unsubscribeRegistry: (() => void) | null = null;
  /** Stats requests each worker still owes an answer to (a worker answers in order). */
  private readonly pendingStats = new Map<Worker, ((s: WorkerStats) => void)[]>();
  /** Per worker slot: when its thread started, crashes in a row, and a pending restart. */
  private readonly lives: { startedAt: number; crashes: number; restart: NodeJS.Timeout | null }[] = [];
  private readonly lossTold = new Map<string, number>();
  private stopping = false;
  /** Cameras whose main stream is recorded: told again to a restarted worker. */
  private readonly recording = new Map<string, RecordSpec>();
  private readonly recordAcks = new Map<number, { worker: number; resolve: () => void }>();
  private nextRecordSeq = 1;
  private readonly recordListeners = new Set<(r: RecorderReport) => void>();
  /** Per worker thread: the recording files it holds open (FileReport), by root + path. */
  private readonly recorderFiles = new Map<Worker, Map<string, FileReport>>();
  private readonly lossListeners = new Set<(l: RecorderLoss) => void>();
  /** Motion per camera as last said by setMotion: told again to a restarted worker. */
  private readonly motion = new Map<string, { active: boolean; at: number }>();
  /** The detector: makes a port to the detection worker for each (re)started media worker; the cameras it taps. */
  private detectPort: (() => MessagePort) | null = null;
  private readonly detectCameras = new Set<string>();

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
    for (const w of this.workers) this.sendDetector(w);
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
    this.consumers.set(subId, { consumer, cameraId, stream });
    const index = place.worker;
    this.post(this.workers[index]!, { type: 'subscribe', subId, cameraId, stream });
    return () => {
      if (!this.consumers.delete(subId)) return;
      // The worker of now, not of the subscription: it may have been restarted since.
      const worker = this.workers[index];
      if (worker) this.post(worker, { type: 'unsubscribe', subId });
    };
  }

  /**
   * Records a camera's main stream (spec) in its worker, or stops (null: the open file is
   * closed with `reason`). Resolves once the worker has done it (on stop: files closed and
   * reported), or when the worker died meanwhile. Remembered: a restarted worker is told again.
   */
  setRecording(cameraId: string, spec: RecordSpec | null, reason: StopReason = 'recording_off'): Promise<void> {
    if (spec) this.recording.set(cameraId, spec);
    else this.recording.delete(cameraId);
    const index = this.placement.get(cameraId)?.worker ?? shardOf(cameraId, this.workers.length);
    const worker = this.workers[index];
    if (!worker || this.lives[index]?.restart) return Promise.resolve();
    const seq = this.nextRecordSeq++;
    return new Promise<void>((resolve) => {
      this.recordAcks.set(seq, { worker: index, resolve });
      this.post(worker, { type: 'record', seq, cameraId, spec, ...(spec ? {} : { reason }) });
    });
  }

  /**
   * Motion on a camera started (true) or ended (false) — the detector's motion events, wired
   * by the server. A camera recorded on motion (policy 'motion') records from its pre-roll
   * (≥ preRoll before `at`, from a keyframe) while motion lasts and for postRoll after it
   * ends; motion again within the post-roll continues the same recording. Other cameras
   * ignore it. Repeating the current state does nothing. Cheap (one message to the worker);
   * remembered, so a restarted worker knows it.
   */
  setMotion(cameraId: string, active: boolean, at: number = Date.now()): void {
    const was = this.motion.get(cameraId);
    if (was?.active === active) return;
    if (active || was) this.motion.set(cameraId, { active, at });
    const index = this.placement.get(cameraId)?.worker ?? shardOf(cameraId, this.workers.length);
    const worker = this.workers[index];
    if (!worker || this.lives[index]?.restart) return;
    this.post(worker, { type: 'motion', cameraId, active, at });
  }

  /** What the recorders in the workers report (files opened, grown, closed; write problems). */
  onRecording(listener: (r: RecorderReport) => void): () => void {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
  }

  /**
   * A worker died with recording files open (RecorderLoss): told once its leftover fds are
   * closed, before the restarted worker records again. The recorder's service recovers them.
   */
  onRecorderLoss(listener: (l: RecorderLoss) => void): () => void {
    this.lossListeners.add(listener);
    return () => this.lossListeners.delete(listener);
  }

  /**
   * Connects the detector (DetectionService): `makePort` is called for every media worker,
   * now and whenever one is restarted, and returns the port that worker's taps send frames to
   * (the detection worker holds the other end). Null disconnects nothing already sent.
   */
  setDetector(makePort: (() => MessagePort) | null): void {
    this.detectPort = makePort;
    if (makePort) this.workers.forEach((w, i) => !this.lives[i]?.restart && this.sendDetector(w));
  }

  /** Taps a camera's sub stream (else its main) for the detector, or stops. Remembered across worker restarts. */
  setDetection(cameraId: string, on: boolean): void {
    if (on) this.detectCameras.add(cameraId);
    else this.detectCameras.delete(cameraId);
    for (const w of this.workers) this.post(w, { type: 'detect-tap', cameraId, on });
  }

  private sendDetector(w: Worker): void {
    if (!this.detectPort) return;
    const port = this.detectPort();
    w.postMessage({ type: 'detect-port', port } satisfies ToWorker, [port]);
    for (const cameraId of this.detectCameras) this.post(w, { type: 'detect-tap', cameraId, on: true });
  }

  /** Totals over every worker: for the benchmark and diagnostics. */
  async stats(): Promise<WorkerStats> {
    const parts = await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<WorkerStats>((resolve) => {
            // A worker that dies before answering settles this with nothing (see onExit).
            if (this.lives[this.workers.indexOf(w)]?.restart) return resolve(NO_STATS);
            const queue = this.pendingStats.get(w) ?? [];
            queue.push(resolve);
            this.pendingStats.set(w, queue);
            this.post(w, { type: 'stats' });
          }),
      ),
    );
    return parts.reduce(addStats);
  }

  /** Tests only (needs `testHooks`): the worker running this camera throws an uncaught error. */
  crashWorkerForTest(cameraId: string): void {
    if (!this.options.testHooks) throw new Error('crashWorkerForTest needs the testHooks option');
    const place = this.placement.get(cameraId);
    if (!place) throw new Error(`camera ${cameraId} is not running`);
    this.post(this.workers[place.worker]!, { type: 'crash' });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribeRegistry?.();
    for (const life of this.lives) if (life.restart) clearTimeout(life.restart);
    await Promise.all(
      this.workers.map(async (w, i) => {
        if (this.lives[i]?.restart) return; // died and not restarted yet: nothing to stop
        const done = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        this.post(w, { type: 'stop' });
        const timer = setTimeout(() => void w.terminate(), 5000);
        await done;
        clearTimeout(timer);
      }),
    );
    this.workers = [];
    for (const a of this.recordAcks.values()) a.resolve();
    this.recordAcks.clear();
  }

  /** Brings one camera's streams in line with the registry. */
  private async reconcile(cameraId: string): Promise<void> {
    if (this.stopping) return;
    const conn = await this.cameras.connection(cameraId);
    const prev = this.placement.get(cameraId);
    const workerIndex = prev?.worker ?? shardOf(cameraId, this.workers.length);
    const worker = this.workers[workerIndex]!;
    const next = new Map<StreamKind, StreamTarget>((conn?.streams ?? []).map((s) => [s.stream, { url: s.url, transport: s.transport }]));
    for (const [stream] of prev?.streams ?? []) {
      if (!next.has(stream)) {
        this.post(worker, { type: 'remove', cameraId, stream });
        this.status.delete(`${cameraId}/${stream}`);
      }
    }
    for (const [stream, target] of next) {
      const was = prev?.streams.get(stream);
      if (was?.url !== target.url || was.transport !== target.transport) this.post(worker, { type: 'upsert', cameraId, stream, ...target });
    }
    if (next.size && conn) this.placement.set(cameraId, { worker: workerIndex, complexId: conn.complexId, streams: next });
    else this.placement.delete(cameraId);
    void this.events.changed(cameraId);
  }

  private spawn(index: number): Worker {
    const w = new Worker(path.join(import.meta.dirname, 'media.worker.mjs'), {
      name: `media-${index}`,
      workerData: { timings: this.options.timings ?? {}, testHooks: this.options.testHooks === true, rtpPorts: this.options.rtpPorts ?? null },
    });
    const life = (this.lives[index] ??= { startedAt: 0, crashes: 0, restart: null });
    life.startedAt = Date.now();
    life.restart = null;
    w.on('message', (m: FromWorker) => this.onMessage(m, w));
    w.on('error', (err) => this.log.error({ err, worker: index }, 'media worker crashed'));
    w.on('exit', (code) => this.onExit(index, w, code));
    return w;
  }

  /**
   * A worker thread ended without being asked to. Its sockets went with it (the sim's
   * session count shows it); a new thread gets the same cameras and subscriptions, so
   * every consumer resumes by itself with a fresh init segment. A worker that keeps
   * crashing is restarted with backoff instead of in a tight loop.
   */
  private onExit(index: number, w: Worker, code: number): void {
    for (const resolve of this.pendingStats.get(w) ?? []) resolve(NO_STATS);
    this.pendingStats.delete(w);
    for (const [seq, a] of this.recordAcks) {
      if (a.worker !== index) continue;
      this.recordAcks.delete(seq);
      a.resolve();
    }
    const files = [...(this.recorderFiles.get(w)?.values() ?? [])];
    this.recorderFiles.delete(w);
    if (files.length) closeLeftoverFds(files, this.log);
    if (this.stopping || this.workers[index] !== w) return;
    const loss: RecorderLoss = {
      worker: index,
      at: Date.now(),
      cameras: [...this.placement].filter(([, p]) => p.worker === index).map(([id]) => id),
      files: files.map((f) => ({ cameraId: f.cameraId, root: f.root, path: f.path })),
    };
    for (const l of this.lossListeners) {
      try {
        l(loss);
      } catch (err) {
        this.log.error({ err }, 'a recorder-loss listener failed');
      }
    }
    const life = this.lives[index]!;
    if (Date.now() - life.startedAt > HEALTHY_MS) life.crashes = 0;
    const delay = life.crashes === 0 ? 0 : Math.min(RESTART_BACKOFF_MS * 2 ** (life.crashes - 1), RESTART_BACKOFF_MAX_MS);
    life.crashes++;
    const cameras = [...this.placement.values()].filter((p) => p.worker === index).length;
    this.markReconnecting(index);
    this.log.error({ worker: index, code, crashesInARow: life.crashes, restartInMs: delay, cameras }, 'media worker exited; restarting it with its cameras and viewers');
    life.restart = setTimeout(() => this.restart(index), delay);
  }

  /** The dead worker's streams are not online any more: until the new one reports, they are connecting again. */
  private markReconnecting(index: number): void {
    const now = Date.now();
    const items: StatusUpdate[] = [];
    for (const [cameraId, p] of this.placement) {
      if (p.worker !== index) continue;
      for (const stream of p.streams.keys()) {
        const prev = this.status.get(`${cameraId}/${stream}`);
        if (prev) items.push({ ...prev, state: 'connecting', reason: null, fps: null, bitrateKbps: null, since: now });
      }
    }
    this.onStatus(items);
  }

  private restart(index: number): void {
    if (this.stopping) return;
    const w = this.spawn(index);
    this.workers[index] = w;
    for (const [cameraId, p] of this.placement) {
      if (p.worker !== index) continue;
      for (const [stream, target] of p.streams) this.post(w, { type: 'upsert', cameraId, stream, ...target });
    }
    for (const [subId, c] of this.consumers) {
      const p = this.placement.get(c.cameraId);
      if (p?.worker === index && p.streams.has(c.stream)) this.post(w, { type: 'subscribe', subId, cameraId: c.cameraId, stream: c.stream });
    }
    for (const [cameraId, m] of this.motion) {
      const at = this.placement.get(cameraId)?.worker ?? shardOf(cameraId, this.workers.length);
      if (at === index) this.post(w, { type: 'motion', cameraId, active: m.active, at: m.at });
    }
    for (const [cameraId, spec] of this.recording) {
      const at = this.placement.get(cameraId)?.worker ?? shardOf(cameraId, this.workers.length);
      if (at === index) this.post(w, { type: 'record', seq: 0, cameraId, spec });
    }
    this.sendDetector(w);
  }

  private post(w: Worker, m: ToWorker): void {
    w.postMessage(m);
  }

  private onMessage(m: FromWorker, from: Worker): void {
    switch (m.type) {
      case 'status':
        this.onStatus(m.items);
        return;
      case 'init':
        this.consumers.get(m.subId)?.consumer.onInit(m.codec, new Uint8Array(m.data));
        return;
      case 'fragment':
        this.consumers.get(m.subId)?.consumer.onFragment(new Uint8Array(m.data), { keyframe: m.keyframe, pts: m.pts, receivedAt: m.receivedAt });
        return;
      case 'log':
        this.log[m.level](m.fields, m.msg);
        return;
      case 'stats':
        this.pendingStats.get(from)?.shift()?.(m.stats);
        return;
      case 'recording': {
        const r = m.report;
        if (r.kind === 'file') {
          // Which files this worker holds open: closed on its behalf if it dies.
          let open = this.recorderFiles.get(from);
          if (!open) this.recorderFiles.set(from, (open = new Map()));
          const key = `${r.root}\0${r.path}`;
          if (r.state === 'gone') open.delete(key);
          else open.set(key, r);
          return;
        }
        for (const l of this.recordListeners) l(r);
        return;
      }
      case 'record-ack': {
        const a = this.recordAcks.get(m.seq);
        this.recordAcks.delete(m.seq);
        a?.resolve();
        return;
      }
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
    transport: s.transport,
    lossPercent: s.lossPercent,
  };
}

/**
 * The fds a dead worker's recorder held (they belong to the process, not the thread):
 * closed here, each only after /proc/self/fd shows it still names that very file (a file
 * whose fd was not known yet is looked up by its path). Linux only; elsewhere they leak.
 * Sync on purpose: a look-up and its close must not interleave with anything else.
 */
function closeLeftoverFds(files: FileReport[], log: Logger): void {
  const link = (fd: number | string): string | null => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return null;
    }
  };
  let byPath: Map<string, number[]> | null = null;
  let closed = 0;
  for (const f of files) {
    const abs = path.join(f.root, f.path);
    let fds: number[] = [];
    if (f.fd !== null) fds = [f.fd];
    else {
      if (!byPath) {
        byPath = new Map();
        let list: string[] = [];
        try {
          list = fs.readdirSync('/proc/self/fd');
        } catch {
          // no /proc: nothing to look at
        }
        for (const d of list) {
          const target = link(d);
          if (target) byPath.set(target, [...(byPath.get(target) ?? []), Number(d)]);
        }
      }
      fds = byPath.get(abs) ?? [];
    }
    for (const fd of fds) {
      if (link(fd) !== abs) continue;
      try {
        fs.closeSync(fd);
        closed++;
      } catch {
        // already closed
      }
    }
  }
  if (closed) log.info({ fds: closed, files: files.length }, 'closed the recording files a dead media worker held open');
}

export function shardOf(id: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}
