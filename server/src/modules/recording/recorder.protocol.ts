/**
 * What the recorder in a media worker and the RecordingService on the main thread say to
 * each other (carried inside media.protocol.ts's `record` / `recording` messages).
 * File format and index: docs/decisions/0005-recording.md.
 */
import type { RecordingGapReason } from '@kuzet/contracts';

/**
 * Why a camera's recording stopped (recording_events.reason; the timeline's gap label,
 * see gapReasonOfStop). motion_ended: a camera recorded on motion reached the end of its
 * post-roll.
 */
export type StopReason = 'recording_off' | 'camera_offline' | 'disk_full' | 'write_error' | 'server_down' | 'motion_ended';

/** Why a recording started, when not simply continuously (recording_events.reason of 'started'). */
export type RecordTrigger = 'motion';

/** Why a file was closed: a stop, or a rotation after which recording goes on. */
export type CloseReason = StopReason | 'segment' | 'params' | 'time';

export const STOP_REASONS: readonly string[] = ['recording_off', 'camera_offline', 'disk_full', 'write_error', 'server_down', 'motion_ended'];

/** What the timeline says over a gap that began with a 'stopped' of this reason (null: not a stop reason). */
export function gapReasonOfStop(reason: string | null): RecordingGapReason | null {
  if (reason === 'motion_ended') return 'no_motion';
  return reason !== null && STOP_REASONS.includes(reason) ? (reason as RecordingGapReason) : null;
}

export type ProblemCode = 'disk_full' | 'write_error';

/** Where and how a camera's main stream is recorded. */
export interface RecordSpec {
  /** The recordings root (absolute). */
  root: string;
  /** A file is closed at the first keyframe after this long. */
  segmentSeconds: number;
  /**
   * Record only on motion (the camera's policy 'motion'): the worker keeps a pre-roll of
   * the main stream and records from it while MediaService.setMotion says active, until
   * postRollSeconds after it said inactive. Absent or null: record continuously.
   */
  motion?: MotionSpec | null;
}

export interface MotionSpec {
  /** The recording starts at a keyframe at least this long before motion started. */
  preRollSeconds: number;
  /** Recording goes on this long after motion ended (then up to the next keyframe). */
  postRollSeconds: number;
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
  /** Why the file was started, when not recorded continuously ('motion'). */
  trigger?: RecordTrigger;
}

/**
 * Which files a worker holds open, for the main thread only (MediaService keeps the list
 * per worker): 'created' when a file is about to be opened (fd null) and once it is
 * (its fd), 'gone' once its fd is closed. When a worker dies, its fds outlive it (they
 * belong to the process): the main side closes them and recovers those files at once.
 */
export interface FileReport {
  kind: 'file';
  state: 'created' | 'gone';
  cameraId: string;
  root: string;
  path: string;
  fd: number | null;
}

export type RecorderReport =
  | SegmentReport
  | FileReport
  | { kind: 'problem'; cameraId: string; code: ProblemCode; message: string; at: number }
  | { kind: 'recovered'; cameraId: string; code: ProblemCode; at: number };
