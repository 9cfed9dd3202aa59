import { EventEmitter } from 'node:events';

/**
 * The main-thread seam between the recorder (recording.service.ts: what the media
 * workers wrote) and the parts that react to it (retention, disk health, the console).
 * Listeners must not throw and must not block: they run on the main thread.
 */
export interface RecordingEventMap {
  /** A file was indexed or grew (final: closed or recovered). Paths are relative to the recordings root. */
  segment: [{ cameraId: string; path: string; bytes: number; startMs: number; endMs: number; final: boolean }];
  /** Writing failed: the disk is full, or one camera's file could not be written. cameraId null: all of them. */
  problem: [{ cameraId: string | null; code: 'disk_full' | 'write_error'; message: string; at: number }];
  /** A problem of that code has cleared. */
  recovered: [{ cameraId: string | null; code: 'disk_full' | 'write_error'; at: number }];
}

export class RecordingEvents extends EventEmitter<RecordingEventMap> {}
