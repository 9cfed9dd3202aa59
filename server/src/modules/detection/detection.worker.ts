import { readFileSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { processFfmpeg } from '@kuzet/ffmpeg';
import type { VideoCodec } from '@kuzet/media';
import type { GrayFrame } from './analysis.ts';
import { noopClassifier, type ClassifierVerdict } from './classifier.ts';
import { FrameDecoder, KeyframePool } from './decoder.ts';
import type { DetectionStats, FromDetection, TapMessage, ToDetection } from './detection.protocol.ts';
import type { CameraDetectionConfig, DetectionReport } from './detection.types.ts';
import { snapshotJpeg } from './snapshot.ts';
import { CameraTracker, type EventIntent } from './tracker.ts';

/**
 * The detection worker: owns the keyframe decoder pool, the full-rate decoders of promoted
 * cameras, and every camera's analysis (tracker.ts). Frames come straight from the media
 * workers' taps over MessagePorts; only reports go to the main thread.
 */
const parent = parentPort;
if (!parent) throw new Error('detection.worker.ts runs in a worker thread');

export interface DetectionWorkerOptions {
  /** ffmpeg keyframe decoders per codec (default 1). */
  poolSize?: number;
  /** A promoted camera is demoted after this long without activity (default 5000 ms). */
  demoteMs?: number;
  /** Cameras decoded at full rate at once (default 24); beyond, a camera stays on keyframes (events then confirm over 3 keyframes). */
  maxPromoted?: number;
}

const boot = (workerData ?? {}) as DetectionWorkerOptions;
const DEMOTE_MS = boot.demoteMs ?? 5000;
/** Bytes waiting for a full-rate decoder before it drops to the next keyframe. */
const MAX_BACKLOG = 4 * 1024 * 1024;
const MAX_GOP = 400;

const post = (m: FromDetection, transfer: ArrayBuffer[] = []) => parent.postMessage(m, transfer);
const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => post({ type: 'log', level, msg, fields: { module: 'detection', ...fields } });

await processFfmpeg(); // which ffmpeg, and whether it knows -fps_mode
const pool = new KeyframePool({ size: boot.poolSize ?? 1, onRestart: (why, stderr) => log('warn', 'keyframe decoder restarted', { why, stderr: stderr.slice(-200) }) });
const classifier = noopClassifier;
const snapshotPids = new Set<number>();

interface Cam {
  id: string;
  tracker: CameraTracker;
  codec: VideoCodec;
  tap: MessagePort | null;
  keyBusy: boolean;
  promoted: boolean;
  lastActivity: number;
  lastFrameAt: number;
  full: FrameDecoder | null;
  /** Per frame written to the full-rate decoder: its time, and the GOP so far (for the snapshot). */
  metas: { at: number; gop: Uint8Array[]; n: number }[];
  gop: Uint8Array[];
  dropping: boolean;
  /** P-frame sizes: running mean and mean deviation; recent jumps as bits. */
  base: { mean: number; dev: number; n: number; recent: number };
  chains: Map<string, Promise<void>>;
  labels: Map<string, string | null>;
  vetoed: Set<string>;
}

const cams = new Map<string, Cam>();
const stats = { keyframesSkipped: 0, framesAnalyzed: 0, promotions: 0, promotionsBySize: 0 };

function configure(cameraId: string, config: CameraDetectionConfig | null): void {
  let cam = cams.get(cameraId);
  if (!config || !config.enabled) {
    if (!cam) return;
    emit(cam, cam.tracker.endAll(Date.now()), null, null);
    demote(cam);
    cams.delete(cameraId);
    return;
  }
  if (cam) {
    emit(cam, cam.tracker.configure(config), null, null); // events of zones that are gone end now
    return;
  }
  cam = {
    id: cameraId, tracker: new CameraTracker(config), codec: 'h264', tap: null, keyBusy: false, promoted: false, lastActivity: 0, lastFrameAt: 0,
    full: null, metas: [], gop: [], dropping: false, base: { mean: 0, dev: 0, n: 0, recent: 0 }, chains: new Map(), labels: new Map(), vetoed: new Set(),
  };
  cams.set(cameraId, cam);
}

function toReport(cam: Cam, it: EventIntent, jpeg: Uint8Array | null): DetectionReport {
  return {
    eventKey: it.eventKey, cameraId: cam.id, kind: it.kind, zoneId: it.zoneId, cause: it.cause, phase: it.phase, startedAt: it.startedAt, endedAt: it.endedAt,
    peakScore: it.peakScore, boxes: it.boxes, snapshotJpeg: jpeg, label: cam.labels.get(it.eventKey) ?? null,
  };
}

function send(r: DetectionReport): void {
  const transfer = r.snapshotJpeg ? [r.snapshotJpeg.buffer as ArrayBuffer] : [];
  post({ type: 'report', report: r }, transfer);
}

/**
 * Reports in order per event: a start waits for the classifier (it may veto), not for its
 * snapshot — the alert must not wait for an ffmpeg run; the picture follows as an 'update'
 * carrying it as soon as it is made. What follows waits for the start.
 */
function emit(cam: Cam, intents: EventIntent[], frame: GrayFrame | null, gop: Uint8Array[] | null): void {
  for (const it of intents) {
    const prev = cam.chains.get(it.eventKey) ?? Promise.resolve();
    let next: Promise<void>;
    if (it.phase === 'start') {
      const picture = gop && gop.length ? snapshotJpeg(cam.codec, gop, 3000, (pid, running) => pid && (running ? snapshotPids.add(pid) : snapshotPids.delete(pid))) : Promise.resolve(null);
      const verdict =
        it.kind === 'motion' && frame
          ? Promise.resolve()
              .then(() => classifier.classify({ cameraId: cam.id, zoneId: it.zoneId, startedAt: it.startedAt, boxes: it.boxes.map((b) => b.box) }, frame))
              .catch((): ClassifierVerdict => ({}))
          : Promise.resolve<ClassifierVerdict>({});
      const started = verdict.then((v) => {
        if (v.veto) {
          cam.vetoed.add(it.eventKey);
          return false;
        }
        cam.labels.set(it.eventKey, v.label ?? null);
        send(toReport(cam, it, null));
        return true;
      });
      next = Promise.all([started, picture]).then(([sent, jpeg]) => {
        if (sent && jpeg && !cam.vetoed.has(it.eventKey)) send(toReport(cam, { ...it, phase: 'update', boxes: [] }, jpeg));
      });
    } else {
      next = prev.then(() => {
        if (!cam.vetoed.has(it.eventKey)) send(toReport(cam, it, null));
      });
    }
    cam.chains.set(it.eventKey, next.catch((err: unknown) => log('error', 'detection report failed', { cameraId: cam.id, err: String(err) })));
    if (cam.chains.size > 64) {
      const oldest = cam.chains.keys().next().value as string;
      cam.chains.delete(oldest);
      cam.labels.delete(oldest);
      cam.vetoed.delete(oldest);
    }
  }
}

let promotedCount = 0;

function promote(cam: Cam): void {
  cam.lastActivity = Date.now();
  if (cam.promoted) return;
  if (promotedCount >= (boot.maxPromoted ?? 24)) return;
  promotedCount++;
  cam.promoted = true;
  stats.promotions++;
  cam.tap?.postMessage({ type: 'promote', cameraId: cam.id, on: true });
}

function demote(cam: Cam): void {
  if (cam.promoted) {
    promotedCount--;
    cam.tap?.postMessage({ type: 'promote', cameraId: cam.id, on: false });
  }
  cam.promoted = false;
  cam.full?.kill();
  cam.full = null;
  cam.metas = [];
  cam.gop = [];
}

function analyze(cam: Cam, frame: GrayFrame, fullRate: boolean, gop: Uint8Array[] | null): void {
  stats.framesAnalyzed++;
  const r = cam.tracker.step(frame, fullRate);
  emit(cam, r.intents, frame, gop);
  // Any sizeable object promotes; only zone hits, open events and tamper keep a camera promoted.
  if (cam.promoted ? r.engaged : r.activity) promote(cam);
}

function onKey(cam: Cam, m: Extract<TapMessage, { type: 'key' }>): void {
  cam.codec = m.codec;
  cam.lastFrameAt = Date.now();
  if (cam.promoted && cam.full) return; // the full-rate decoder sees it
  if (cam.keyBusy) {
    stats.keyframesSkipped++;
    return;
  }
  cam.keyBusy = true;
  void pool.decode(m.codec, new Uint8Array(m.data)).then((data) => {
    cam.keyBusy = false;
    if (!data || cams.get(cam.id) !== cam || (cam.promoted && cam.full)) return;
    analyze(cam, { data, at: m.receivedAt }, false, null);
  });
}

function onAu(cam: Cam, m: Extract<TapMessage, { type: 'au' }>): void {
  cam.lastFrameAt = Date.now();
  if (!cam.promoted) return; // late, after a demotion
  const data = new Uint8Array(m.data);
  if (m.keyframe) {
    cam.gop = [];
    cam.dropping = false;
    cam.codec = m.codec;
    if (!cam.full?.alive) startFull(cam);
  }
  const full = cam.full;
  if (!full?.alive || cam.dropping) return;
  if (full.backlog > MAX_BACKLOG) {
    cam.dropping = true; // behind: wait for the next keyframe
    return;
  }
  if (cam.gop.length < MAX_GOP) cam.gop.push(data);
  cam.metas.push({ at: m.receivedAt, gop: cam.gop, n: cam.gop.length });
  full.write(data);
}

function startFull(cam: Cam): void {
  cam.metas = [];
  const d = new FrameDecoder(
    cam.codec,
    (frame) => {
      if (cam.full !== d) return;
      const meta = cam.metas.shift();
      if (!meta) return;
      analyze(cam, { data: frame, at: meta.at }, true, meta.gop.slice(0, meta.n));
    },
    (gone) => {
      if (cam.full !== gone) return;
      cam.full = null;
      cam.metas = [];
      if (cam.promoted) log('warn', 'full-rate decoder ended', { cameraId: cam.id, stderr: gone.stderr.slice(-200) });
    },
  );
  cam.full = d;
}

function onFacts(m: Extract<TapMessage, { type: 'facts' }>): void {
  for (let c = 0; c < m.cameraIds.length; c++) {
    const cam = cams.get(m.cameraIds[c]!);
    if (!cam) continue;
    const b = cam.base;
    for (let j = m.offsets[c]!; j < m.offsets[c + 1]!; j++) {
      if (m.key[j]) continue;
      const size = m.bytes[j]!;
      if (b.n < 50) {
        b.n++;
        b.mean += (size - b.mean) / b.n;
        b.dev += (Math.abs(size - b.mean) - b.dev) / b.n;
        continue;
      }
      // Motion makes P-frames grow against the camera's own baseline; noise and rain raise the baseline instead.
      const jump = size > b.mean + Math.max(6 * b.dev, 0.6 * b.mean) ? 1 : 0;
      b.recent = ((b.recent << 1) | jump) & 0x1f;
      if (!jump) {
        b.mean += 0.01 * (size - b.mean);
        b.dev += 0.01 * (Math.abs(size - b.mean) - b.dev);
      }
      if (popcount(b.recent) >= 3) {
        b.recent = 0;
        if (!cam.promoted) {
          stats.promotionsBySize++;
          promote(cam);
        }
      }
    }
  }
}

function popcount(v: number): number {
  let n = 0;
  for (; v; v &= v - 1) n++;
  return n;
}

function onTap(from: MessagePort, m: TapMessage): void {
  if (m.type === 'facts') return onFacts(m);
  const cam = cams.get(m.cameraId);
  if (!cam) return;
  if (cam.tap !== from) {
    cam.tap = from;
    // A new port (a media worker restarted): it starts quiet.
    if (cam.promoted) demote(cam);
  }
  switch (m.type) {
    case 'key':
      return onKey(cam, m);
    case 'au':
      return onAu(cam, m);
    case 'reset':
      cam.full?.kill();
      cam.full = null;
      cam.metas = [];
      cam.gop = [];
      return;
  }
}

// Demotion, and events ending on cameras that stopped sending.
const ticker = setInterval(() => {
  const now = Date.now();
  for (const cam of cams.values()) {
    if (cam.promoted && now - cam.lastActivity > DEMOTE_MS) demote(cam);
    if (now - cam.lastFrameAt > 3000) emit(cam, cam.tracker.tick(now), null, null);
  }
}, 500);

/** utime + stime of this thread (Linux), in ms. */
function threadCpuMs(): number {
  try {
    const s = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return -1;
  }
}

function currentStats(): DetectionStats {
  const pids = [...pool.pids(), ...snapshotPids];
  for (const c of cams.values()) if (c.full?.alive && c.full.pid) pids.push(c.full.pid);
  return {
    cameras: cams.size, promoted: [...cams.values()].filter((c) => c.promoted).map((c) => c.id), pids,
    keyframesDecoded: pool.decoded, keyframesSkipped: stats.keyframesSkipped, poolRestarts: pool.restarts, poolFlushes: pool.flushes,
    framesAnalyzed: stats.framesAnalyzed, promotions: stats.promotions, promotionsBySize: stats.promotionsBySize, threadCpuMs: threadCpuMs(),
  };
}

const ports = new Set<MessagePort>();

parent.on('message', (m: ToDetection) => {
  switch (m.type) {
    case 'config':
      configure(m.cameraId, m.config);
      return;
    case 'port':
      ports.add(m.port);
      m.port.on('message', (t: TapMessage) => onTap(m.port, t));
      m.port.on('close', () => {
        ports.delete(m.port);
        for (const c of cams.values()) if (c.tap === m.port) c.tap = null;
      });
      return;
    case 'stats':
      post({ type: 'stats', stats: currentStats() });
      return;
    case 'stop':
      clearInterval(ticker);
      // Open events end with the detector (a restarted server starts its own): their 'end'
      // reports go out (each after its event's earlier reports) before the worker says stopped.
      for (const c of cams.values()) emit(c, c.tracker.endAll(Date.now()), null, null);
      void Promise.all([...cams.values()].flatMap((c) => [...c.chains.values()])).finally(() => {
        for (const c of cams.values()) demote(c);
        pool.close();
        for (const p of ports) p.close();
        post({ type: 'stopped' });
        parent.close();
      });
      return;
  }
});
