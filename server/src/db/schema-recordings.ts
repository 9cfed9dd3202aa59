import type { ColumnType, Generated } from 'kysely';

/** Tables of issue 8's recorder; see migrations/20261130000000-recordings.ts and docs/decisions/0005-recording.md. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** [ms from the segment's start, byte offset of the moof] of each fragment that begins with a keyframe. */
export type KeyframeIndex = [number, number][];

export interface RecordingSegmentsTable {
  /** bigserial; int8 is read as a number on both engines. */
  id: Generated<number>;
  complexId: string;
  cameraId: string;
  stream: Generated<string>;
  /** Relative to <data>/recordings, '/'-separated. */
  path: string;
  startAt: Timestamp;
  endAt: Timestamp;
  bytes: Generated<number>;
  codec: string;
  width: number | null;
  height: number | null;
  keyframes: ColumnType<KeyframeIndex, string | undefined, string>;
  state: Generated<'open' | 'closed' | 'recovered'>;
  createdAt: GeneratedTimestamp;
}

export interface RecordingEventsTable {
  id: Generated<number>;
  complexId: string;
  cameraId: string;
  at: Timestamp;
  kind: 'started' | 'stopped';
  reason: string | null;
}

export interface RecordingHoldsTable {
  id: string;
  complexId: string;
  cameraId: string;
  startAt: Timestamp;
  endAt: Timestamp;
  reason: string;
  createdBy: string | null;
  createdAt: GeneratedTimestamp;
  releasedAt: Timestamp | null;
  releasedBy: string | null;
}

export interface RecordingBookmarksTable {
  id: string;
  complexId: string;
  cameraId: string;
  at: Timestamp;
  note: string;
  createdBy: string | null;
  createdAt: GeneratedTimestamp;
}

export interface RecordingTables {
  recordingSegments: RecordingSegmentsTable;
  recordingEvents: RecordingEventsTable;
  recordingHolds: RecordingHoldsTable;
  recordingBookmarks: RecordingBookmarksTable;
}
