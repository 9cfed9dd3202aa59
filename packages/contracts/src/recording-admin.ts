import { z } from 'zod';
import { Id } from './common.ts';
import { RecordingHold } from './recordings.ts';

/**
 * Route schemas of the holds and health API (issue 8, retention helper); the shapes
 * themselves (RecordingHold, CreateHold, RecordingHealth) are in recordings.ts.
 */
export const RecordingHoldParams = z.strictObject({ cameraId: Id, holdId: Id });
export type RecordingHoldParams = z.infer<typeof RecordingHoldParams>;

export const RecordingHoldList = z.array(RecordingHold);
export type RecordingHoldList = z.infer<typeof RecordingHoldList>;

/** The longest span one hold may cover. */
export const MAX_HOLD_DAYS = 31;
