import type { MessagePort } from 'node:worker_threads';
import type { CameraTransport, StatusReason, StreamKind, StreamState } from '@kuzet/contracts';
import type { RecorderReport, RecordSpec, StopReason } from '../recording/recorder.protocol.ts';

/** Messages between the main thread and the media workers. */

export interface StreamKey {
  cameraId: string;
  stream: StreamKind;
}

export type ToWorker =
  /** transport absent: 'auto'. */
  | { type: 'upsert'; cameraId: string; stream: StreamKind; url: string; transport?: CameraTransport }
  | { type: 'remove'; cameraId: string; stream: StreamKind }
  | { type: 'subscribe'; subId: number; cameraId: string; stream: StreamKind }
  | { type: 'unsubscribe'; subId: number }
  | { type: 'stats' }
  /**
   * Record the camera's main stream (spec) or stop recording it (null; the open file is
   * closed with `reason`). Answered with record-ack {seq} once the worker has done it (files closed).
   */
  | { type: 'record'; seq: number; cameraId: string; spec: RecordSpec | null; reason?: StopReason }
  /**
   * Motion on the camera started (active) or ended, at `at` (epoch ms): a camera recorded on
   * motion (RecordSpec.motion) records from its pre-roll while active and for the post-roll
   * after; other cameras only remember it (for a later change of policy).
   */
  | { type: 'motion'; cameraId: string; active: boolean; at: number }
  /** The detector: a port to the detection worker (transferred), and which cameras to tap (detect-tap.ts). */
  | { type: 'detect-port'; port: MessagePort }
  | { type: 'detect-tap'; cameraId: string; on: boolean }
  | { type: 'stop' }
  /** Tests only: honoured when the worker was started with `testHooks` (an uncaught error from inside). */
  | { type: 'crash' };

export interface StatusUpdate extends StreamKey {
  state: StreamState;
  reason: StatusReason | null;
  codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  bitrateKbps: number | null;
  lastFrameAt: number | null;
  since: number;
  /** The transport in use; null while not playing. */
  transport: 'tcp' | 'udp' | null;
  /** RTP packets lost over the last 10 s, in %; null when not playing. */
  lossPercent: number | null;
}

export interface WorkerStats {
  streams: number;
  consumers: number;
  frames: number;
  bytes: number;
  fragments: number;
  fragmentBytes: number;
  gopCacheBytes: number;
  /** Bytes held in the pre-roll buffers of cameras recorded on motion. */
  preRollBytes: number;
}

export type FromWorker =
  | { type: 'status'; items: StatusUpdate[] }
  /** Init segment for a subscriber (sent again when the stream's parameters change). */
  | { type: 'init'; subId: number; codec: string; data: ArrayBuffer }
  | { type: 'fragment'; subId: number; keyframe: boolean; pts: number; receivedAt: number; data: ArrayBuffer }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> }
  | { type: 'stats'; stats: WorkerStats }
  /** The recorder: a file opened / grew / closed, a write problem or its end. */
  | { type: 'recording'; report: RecorderReport }
  | { type: 'record-ack'; seq: number }
  | { type: 'stopped' };

/** Totals of several workers' stats. */
export function addStats(a: WorkerStats, b: WorkerStats): WorkerStats {
  return {
    streams: a.streams + b.streams,
    consumers: a.consumers + b.consumers,
    frames: a.frames + b.frames,
    bytes: a.bytes + b.bytes,
    fragments: a.fragments + b.fragments,
    fragmentBytes: a.fragmentBytes + b.fragmentBytes,
    gopCacheBytes: a.gopCacheBytes + b.gopCacheBytes,
    preRollBytes: a.preRollBytes + b.preRollBytes,
  };
}
