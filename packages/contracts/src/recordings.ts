import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';

/**
 * Recording and playback (issue 8). The on-disk format and who owns what:
 * docs/decisions/0005-recording.md. Times are instants (ISO with offset); the console
 * shows them in Asia/Almaty.
 */

/**
 * Why a camera's footage has a hole: what the timeline says over a gap. no_motion: a camera
 * recorded on motion (policy 'motion') saw none.
 */
export const recordingGapReasons = ['camera_offline', 'recording_off', 'disk_full', 'write_error', 'server_down', 'no_motion', 'unknown'] as const;
export const RecordingGapReason = z.enum(recordingGapReasons);
export type RecordingGapReason = z.infer<typeof RecordingGapReason>;

/** One recorded file (about a minute of one camera's main stream). */
export const RecordingSegment = z.strictObject({
  id: z.string(),
  cameraId: Id,
  start: IsoDateTime,
  end: IsoDateTime,
  bytes: z.number().int(),
  codec: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** open: being written; closed: finished; recovered: cut short by a crash and recovered to its last whole fragment. */
  state: z.enum(['open', 'closed', 'recovered']),
  held: z.boolean(),
});
export type RecordingSegment = z.infer<typeof RecordingSegment>;

export const RecordingRange = z.strictObject({ start: IsoDateTime, end: IsoDateTime });
export type RecordingRange = z.infer<typeof RecordingRange>;

export const RecordingGap = z.strictObject({ start: IsoDateTime, end: IsoDateTime, reason: RecordingGapReason });
export type RecordingGap = z.infer<typeof RecordingGap>;

export const TimelineQuery = z.strictObject({
  from: IsoDateTime,
  to: IsoDateTime,
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export const Bookmark = z.strictObject({
  id: Id,
  cameraId: Id,
  at: IsoDateTime,
  note: z.string(),
  createdBy: z.string(),
  createdAt: IsoDateTime,
});
export type Bookmark = z.infer<typeof Bookmark>;

export const CreateBookmark = z.strictObject({
  at: IsoDateTime,
  note: z.string().trim().min(1, 'Write a note for the bookmark').max(500),
});
export type CreateBookmark = z.infer<typeof CreateBookmark>;

/** Footage that retention never deletes (set by hand now; by incidents in the evidence work). */
export const RecordingHold = z.strictObject({
  id: Id,
  cameraId: Id,
  start: IsoDateTime,
  end: IsoDateTime,
  reason: z.string(),
  createdBy: z.string(),
  createdAt: IsoDateTime,
  releasedAt: IsoDateTime.nullable(),
});
export type RecordingHold = z.infer<typeof RecordingHold>;

/** A camera's footage over [from, to): recorded ranges (touching files merged) and the gaps between, with why. */
export const Timeline = z.strictObject({
  cameraId: Id,
  from: IsoDateTime,
  to: IsoDateTime,
  ranges: z.array(RecordingRange),
  gaps: z.array(RecordingGap),
  bookmarks: z.array(Bookmark),
  /** Footage under a legal hold within the window. */
  holds: z.array(RecordingHold),
});
export type Timeline = z.infer<typeof Timeline>;

export const CreateHold = z.strictObject({
  start: IsoDateTime,
  end: IsoDateTime,
  reason: z.string().trim().min(3, 'Say why the footage is held (an incident, a request)').max(500),
});
export type CreateHold = z.infer<typeof CreateHold>;

/** Per camera: what is kept and for how long the disk lasts at the current rate. */
export const CameraStorage = z.strictObject({
  cameraId: Id,
  /** What the camera's policy asks for, and what the recorder does now (motion: recording = motion or its post-roll now; problem no_motion while it waits). */
  policy: z.enum(['continuous', 'motion', 'off']),
  recording: z.boolean(),
  /** Why not recording now, when it should. */
  problem: RecordingGapReason.nullable(),
  oldest: IsoDateTime.nullable(),
  newest: IsoDateTime.nullable(),
  daysHeld: z.number(),
  bytes: z.number().int(),
  /** Bytes per day over the last 24 h of footage. */
  bytesPerDay: z.number().int(),
  retentionDays: z.number().int(),
});
export type CameraStorage = z.infer<typeof CameraStorage>;

/** The recorder's health for the console: a disk that fills shows here and in the top bar. */
export const RecordingHealth = z.strictObject({
  state: z.enum(['ok', 'warning', 'critical']),
  /** Human-readable problems, newest first (disk nearly full, write errors). */
  problems: z.array(z.strictObject({ code: z.string(), message: z.string(), since: IsoDateTime, cameraId: Id.nullable() })),
  disk: z.strictObject({
    path: z.string(),
    totalBytes: z.number().int(),
    freeBytes: z.number().int(),
    /** The free-space floor retention keeps (on by default). */
    floorBytes: z.number().int(),
    /** The footage quota, if one is set. */
    quotaBytes: z.number().int().nullable(),
    usedByFootageBytes: z.number().int(),
    /** How many days of footage the disk holds at the current rate of all cameras. */
    daysAtCurrentRate: z.number().nullable(),
  }),
  cameras: z.array(CameraStorage),
});
export type RecordingHealth = z.infer<typeof RecordingHealth>;

/** A clip to download: one camera, up to an hour, as an ordinary MP4. */
export const CreateClip = z.strictObject({
  start: IsoDateTime,
  end: IsoDateTime,
});
export type CreateClip = z.infer<typeof CreateClip>;

export const ClipJob = z.strictObject({
  id: z.string(),
  cameraId: Id,
  start: IsoDateTime,
  end: IsoDateTime,
  state: z.enum(['queued', 'running', 'done', 'failed']),
  /** 0..1 */
  progress: z.number(),
  fileName: z.string().nullable(),
  bytes: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type ClipJob = z.infer<typeof ClipJob>;

// ---------------------------------------------------------------------------
// Playback API (server/src/modules/playback): queries, params and limits.

/** The longest window the timeline answers at once (a week of a camera's footage). */
export const TIMELINE_MAX_DAYS = 7;
/** One media response carries at most this much footage; ask again from X-Kuzet-End for more. */
export const MEDIA_MAX_SECONDS = 300;
/** The longest clip that can be exported. */
export const CLIP_MAX_SECONDS = 3600;

export const RecordingIdParams = z.strictObject({ cameraId: Id });

export const RecordingSegmentQuery = z.strictObject({
  from: IsoDateTime,
  to: IsoDateTime,
  limit: z.coerce.number().int().min(1).max(1440).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type RecordingSegmentQuery = z.infer<typeof RecordingSegmentQuery>;

export const RecordingSegmentPage = z.strictObject({
  items: z.array(RecordingSegment),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type RecordingSegmentPage = z.infer<typeof RecordingSegmentPage>;

/**
 * A continuous fMP4 for MSE from the keyframe at or before `from`. Media time in seconds =
 * (wall − origin) / 1000; origin ≤ from (e.g. the start of the shown Almaty day, the same
 * for every camera played in sync). Ends at `to`, the end of the contiguous footage, or
 * MEDIA_MAX_SECONDS after `from`, whichever comes first.
 */
export const PlaybackMediaQuery = z.strictObject({
  from: IsoDateTime,
  origin: IsoDateTime,
  to: IsoDateTime.optional(),
});
export type PlaybackMediaQuery = z.infer<typeof PlaybackMediaQuery>;

/** Response headers of the media route (ISO instants). */
export const PLAYBACK_HEADERS = { start: 'x-kuzet-start', end: 'x-kuzet-end', next: 'x-kuzet-next' } as const;

export const SnapshotQuery = z.strictObject({ at: IsoDateTime });
export type SnapshotQuery = z.infer<typeof SnapshotQuery>;

export const ClipParams = z.strictObject({ cameraId: Id, clipId: Id });

export const BookmarkQuery = z.strictObject({ from: IsoDateTime, to: IsoDateTime });
export type BookmarkQuery = z.infer<typeof BookmarkQuery>;
export const BookmarkList = z.array(Bookmark);
export const BookmarkParams = z.strictObject({ cameraId: Id, bookmarkId: Id });
