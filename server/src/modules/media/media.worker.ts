import { parentPort, workerData } from 'node:worker_threads';
import type { UdpPortRange } from '@kuzet/media';
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

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'upsert': {
      const key = `${m.cameraId}/${m.stream}`;
      const existing = sessions.get(key);
      if (existing) existing.setUrl(m.url, m.transport ?? 'auto');
      else {
        const s = new StreamSession(m.cameraId, m.stream, m.url, markDirty, log, timings, { transport: m.transport ?? 'auto', rtpPorts });
        sessions.set(key, s);
        s.start();
      }
      markDirty();
      return;
    }
    case 'remove': {
      const key = `${m.cameraId}/${m.stream}`;
      const s = sessions.get(key);
      sessions.delete(key);
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
      const stats: WorkerStats = { streams: sessions.size, consumers: subscribers.size, frames: 0, bytes: 0, fragments: 0, fragmentBytes: 0, gopCacheBytes: 0 };
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
    case 'crash':
      // What a bug in the packet path does: an error nobody catches, from inside the thread.
      if (boot?.testHooks === true) throw new Error('media worker crash requested by a test');
      return;
    case 'stop':
      clearInterval(ticker);
      void Promise.all([...sessions.values()].map((s) => s.stop())).then(() => {
        post({ type: 'stopped' });
        port.close();
      });
      return;
  }
});
