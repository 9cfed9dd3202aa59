import type { MessagePort } from 'node:worker_threads';
import type { VideoCodec } from '@kuzet/media';
import type { CameraDetectionConfig, DetectionReport } from './detection.types.ts';

/**
 * Messages of the detection worker: with the media workers' taps (over a MessagePort per
 * media worker, so frames never touch the main thread) and with DetectionService on the main
 * thread.
 */

/** Media worker (detect-tap.ts) → detection worker. Annex B data is transferred, not copied. */
export type TapMessage =
  /** A keyframe: parameter sets in front, then the picture's NAL units (no AUD). */
  | { type: 'key'; cameraId: string; codec: VideoCodec; pts: number; receivedAt: number; data: ArrayBuffer }
  /** While promoted: every access unit (first the GOP cache from its keyframe: `replay`). */
  | { type: 'au'; cameraId: string; codec: VideoCodec; pts: number; receivedAt: number; keyframe: boolean; replay: boolean; data: ArrayBuffer }
  /**
   * Per-frame facts of every tapped camera since the last batch (one message per media worker
   * every ~200 ms): for camera i, frames offsets[i]..offsets[i+1] of at / bytes / key.
   */
  | { type: 'facts'; cameraIds: string[]; offsets: number[]; at: Float64Array; bytes: Uint32Array; key: Uint8Array }
  /** The camera's upstream session ended: a decoder fed from it must wait for a keyframe. */
  | { type: 'reset'; cameraId: string };

/** Detection worker → a media worker's taps. */
export type TapControl = { type: 'promote'; cameraId: string; on: boolean };

/** Main thread → detection worker. */
export type ToDetection =
  | { type: 'config'; cameraId: string; config: CameraDetectionConfig | null }
  | { type: 'port'; port: MessagePort }
  | { type: 'stats' }
  | { type: 'stop' };

export interface DetectionStats {
  cameras: number;
  promoted: string[];
  /** ffmpeg processes of the detector (pool + full-rate + snapshots). */
  pids: number[];
  keyframesDecoded: number;
  keyframesSkipped: number;
  poolRestarts: number;
  poolFlushes: number;
  framesAnalyzed: number;
  promotions: number;
  /** Of those, by a P-frame size jump (the rest: a keyframe, or a tamper suspicion). */
  promotionsBySize: number;
  /** CPU time of the detection worker's own thread so far (ms; Linux /proc/thread-self, else -1). */
  threadCpuMs: number;
}

/** Detection worker → main thread. */
export type FromDetection =
  | { type: 'report'; report: DetectionReport }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> }
  | { type: 'stats'; stats: DetectionStats }
  | { type: 'stopped' };
