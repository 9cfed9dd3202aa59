/**
 * What the recorder in a media worker and the RecordingService on the main thread say to
 * each other (carried inside media.protocol.ts's `record` / `recording` messages).
 * File format and index: docs/decisions/0005-recording.md.
 */

/** Why a camera's recording stopped (recording_events.reason; the timeline's gap label). */
export type StopReason = 'recording_off' | 'camera_offline' | 'disk_full' | 'write_error' | 'server_down';

/** Why a file was closed: a stop, or a rotation after which recording goes on. */
export type CloseReason = StopReason | 'segment' | 'params' | 'time';

export const STOP_REASONS: readonly string[] = ['recording_off', 'camera_offline', 'disk_full', 'write_error', 'server_down'];

export type ProblemCode = 'disk_full' | 'write_error';

/** Where and how a camera's main stream is recorded. */
export interface RecordSpec {
  /** The recordings root (absolute). */
  root: string;
  /** A file is closed at the first keyframe after this long. */
  segmentSeconds: number;
}

export interface SegmentReport {
  kind: 'segment';
  /** open: first whole fragment on disk; progress: every ~2 s; closed: final (fdatasync'ed). */
  state: 'open' | 'progress' | 'closed';
  cameraId: string;
  /** Relative to the root, '/'-separated: <cameraId>/<YYYY-MM-DD Almaty>/<startMs>.mp4 */
  path: string;
  startMs: number;
  /** End of the last whole fragment on disk. */
  endMs: number;
  /** Bytes on disk through the last whole fragment. */
  bytes: number;
  codec: string;
  width: number | null;
  height: number | null;
  /** [ms from startMs, byte offset of the moof] of the fragments that begin with a keyframe. */
  keyframes: [number, number][];
  /** Set when closed. */
  reason: CloseReason | null;
}

export type RecorderReport =
  | SegmentReport
  | { kind: 'problem'; cameraId: string; code: ProblemCode; message: string; at: number }
  | { kind: 'recovered'; cameraId: string; code: ProblemCode; at: number };
