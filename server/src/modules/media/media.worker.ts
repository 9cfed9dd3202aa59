import { parentPort, workerData } from 'node:worker_threads';
import type { UdpPortRange } from '@kuzet/media';
import { RecordGate, type MotionState } from '../recording/record-gate.ts';
import { Recorder } from '../recording/recorder.ts';
import type { RecordSpec, StopReason } from '../recording/recorder.protocol.ts';
import { DetectTaps } from './detect-tap.ts';
import type { FromWorker, ToWorker, WorkerStats } from './media.protocol.ts';
import { defaultTimings, StreamSession, type SessionTimings } from './stream-session.ts';

/**
 * A media worker: runs the upstream sessions of the cameras sharded to it, so
 * packets never wait for a database query or an HTTP request on the main thread.
 */
const port = parentPort;
if (!port) throw new Error('media.worker.ts runs in a worker thread');

const boot = workerData as { timings?: Partial<SessionTimings>; testHooks?: boolean; rtpPorts?: UdpPortRange } | null;
const timings: SessionTimings = { ...defaultTimings, ...(boot?.timings ?? {}) };
const rtpPorts: UdpPortRange = boot?.rtpPorts ?? null;
const sessions = new Map<string, StreamSession>();
const subscribers = new Map<number, StreamSession>();
let dirty = false;
/** Cameras whose main stream is to be recorded, and the recorder attached to each running main session. */
const recordWanted = new Map<string, RecordSpec>();
const recorders = new Map<string, RecordGate>();
/** Motion per camera as MediaService.setMotion last said (kept whatever the policy: a change to 'motion' uses it). */
const motion = new Map<string, MotionState>();
/** The detector's taps (sub stream preferred). */
const detect = new DetectTaps((id) => ({ main: sessions.get(`${id}/main`), sub: sessions.get(`${id}/sub`) }));

const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => post({ type: 'log', level, msg, fields });

// Status goes up once a second, or at once on a state change (onStatus).
const flush = () => {
  const now = Date.now();
  for (const s of sessions.values()) s.sample(now);
  post({ type: 'status', items: [...sessions.values()].map((s) => s.status) });
  dirty = false;
};
const ticker = setInterval(flush, 1000);
const markDirty = () => {
  if (dirty) return;
  dirty = true;
  setImmediate(() => dirty && flush());
};

/** A fragment crosses to the main thread as its own ArrayBuffer (transferred, not cloned again). */
function own(data: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(data.byteLength);
  new Uint8Array(ab).set(data);
  return ab;
}

/** Attaches a recorder to the camera's main session when one is wanted and the session runs. */
function attachRecorder(cameraId: string): void {
  const spec = recordWanted.get(cameraId);
  const session = sessions.get(`${cameraId}/main`);
  if (!spec || !session || recorders.has(cameraId)) return;
  const rec = new Recorder(cameraId, spec, (report) => post({ type: 'recording', report }));
  const r = new RecordGate(rec, spec.motion ?? null, motion.get(cameraId) ?? null);
  recorders.set(cameraId, r);
  session.addConsumer(r);
}

function detachRecorder(cameraId: string, reason: StopReason): Promise<void> {
  const r = recorders.get(cameraId);
  if (!r) return Promise.resolve();
  recorders.delete(cameraId);
  sessions.get(`${cameraId}/main`)?.removeConsumer(r);
  return r.stop(reason);
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'upsert': {
      const key = `${m.cameraId}/${m.stream}`;
      const existing = sessions.get(key);
      if (existing) existing.setUrl(m.url, m.transport ?? 'auto');
      else {
        const s = new StreamSession(m.cameraId, m.stream, m.url, markDirty, log, timings, { transport: m.transport ?? 'auto', rtpPorts });
        sessions.set(key, s);
        if (m.stream === 'main') attachRecorder(m.cameraId);
        s.start();
        detect.refresh(m.cameraId);
      }
      markDirty();
      return;
    }
    case 'remove': {
      const key = `${m.cameraId}/${m.stream}`;
      const s = sessions.get(key);
      if (m.stream === 'main') void detachRecorder(m.cameraId, 'recording_off');
      sessions.delete(key);
      detect.refresh(m.cameraId);
      for (const [id, owner] of subscribers) if (owner === s) subscribers.delete(id);
      void s?.stop();
      return;
    }
    case 'subscribe': {
      const s = sessions.get(`${m.cameraId}/${m.stream}`);
      if (!s) return;
      subscribers.set(m.subId, s);
      s.subscribe({
        id: m.subId,
        init: (codec, data) => {
          const ab = own(data);
          post({ type: 'init', subId: m.subId, codec, data: ab }, [ab]);
        },
        fragment: (data, keyframe, pts, receivedAt) => {
          const ab = own(data);
          post({ type: 'fragment', subId: m.subId, keyframe, pts, receivedAt, data: ab }, [ab]);
        },
      });
      return;
    }
    case 'unsubscribe':
      subscribers.get(m.subId)?.unsubscribe(m.subId);
      subscribers.delete(m.subId);
      return;
    case 'stats': {
      const stats: WorkerStats = { streams: sessions.size, consumers: subscribers.size, frames: 0, bytes: 0, fragments: 0, fragmentBytes: 0, gopCacheBytes: 0, preRollBytes: 0 };
      for (const g of recorders.values()) stats.preRollBytes += g.preRollBytes;
      for (const s of sessions.values()) {
        stats.frames += s.frames;
        stats.bytes += s.bytes;
        stats.fragments += s.fragments;
        stats.fragmentBytes += s.fragmentBytes;
        stats.gopCacheBytes += s.gopCacheBytes;
      }
      post({ type: 'stats', stats });
      return;
    }
    case 'record': {
      const done = () => post({ type: 'record-ack', seq: m.seq });
      if (m.spec) {
        recordWanted.set(m.cameraId, m.spec);
        recorders.get(m.cameraId)?.setMode(m.spec.motion ?? null); // a policy change: continuous ⇄ motion
        attachRecorder(m.cameraId);
        done();
      } else {
        recordWanted.delete(m.cameraId);
        void detachRecorder(m.cameraId, m.reason ?? 'recording_off').then(done);
      }
      return;
    }
    case 'motion':
      motion.set(m.cameraId, { active: m.active, at: m.at });
      recorders.get(m.cameraId)?.setMotion(m.active, m.at);
      return;
    case 'detect-port':
      detect.setPort(m.port);
      return;
    case 'detect-tap':
      detect.want(m.cameraId, m.on);
      return;
    case 'crash':
      // What a bug in the packet path does: an error nobody catches, from inside the thread.
      if (boot?.testHooks === true) throw new Error('media worker crash requested by a test');
      return;
    case 'stop':
      clearInterval(ticker);
      detect.close();
      // Files first (closed, fdatasync'ed, reported), then the sessions.
      void Promise.all([...recorders.keys()].map((id) => detachRecorder(id, 'server_down')))
        .then(() => Promise.all([...sessions.values()].map((s) => s.stop())))
        .then(() => {
          post({ type: 'stopped' });
          port.close();
        });
      return;
  }
});
