import type { Alert, DetectionEvent } from '@kuzet/contracts';
import { statusReasons, tamperCauses } from '@kuzet/contracts';
import type { TFunction } from '../../i18n/translate.ts';
import { playbackSearch } from '../playback/playback-route.ts';

/** Playback opens this long before the event (the console's "from 10 s before"). */
export const PRE_ROLL_MS = 10_000;

/** The moment the recording should open at: the event's own pointer, else 10 s before its start. */
export function recordingMoment(event: Pick<DetectionEvent, 'startedAt' | 'recording'>): number {
  const from = event.recording ? Date.parse(event.recording.from) : Number.NaN;
  return Number.isNaN(from) ? Date.parse(event.startedAt) - PRE_ROLL_MS : from;
}

/** `/playback?cameras=<id>&at=<ISO 10 s before>`; null for an event without a camera. */
export function recordingLink(event: Pick<DetectionEvent, 'cameraId' | 'cameraIds' | 'startedAt' | 'recording'>): string | null {
  const cameras = event.cameraId ? [event.cameraId] : event.cameraIds.slice(0, 4);
  if (cameras.length === 0) return null;
  return `/playback${playbackSearch({ cameras, at: recordingMoment(event) })}`;
}

const isTamperCause = (c: string): c is (typeof tamperCauses)[number] => (tamperCauses as readonly string[]).includes(c);
const isStatusReason = (c: string): c is (typeof statusReasons)[number] => (statusReasons as readonly string[]).includes(c);

/** Why, in words: the tamper cause, the stream's reason, or the server's own text. */
export function causeText(event: Pick<DetectionEvent, 'kind' | 'cause'>, t: TFunction): string | null {
  const cause = event.cause;
  if (!cause) return null;
  if (event.kind === 'tamper' && isTamperCause(cause)) return t(`tamperCause.${cause}`);
  if (isStatusReason(cause)) return t(`statusReason.${cause}`);
  return cause;
}

/** "Motion", "Tamper: covered", … */
export function kindText(event: Pick<DetectionEvent, 'kind' | 'cause'>, t: TFunction): string {
  const kind = t(`eventKind.${event.kind}`);
  const cause = event.kind === 'tamper' ? causeText(event, t) : null;
  return cause ? `${kind}: ${cause}` : kind;
}

export interface Names {
  camera: (id: string) => string;
  zone: (id: string) => string | null;
}

/** The cameras of an alert, by name: one, or the group of a grouped offline alert. */
export function cameraNames(event: Pick<DetectionEvent, 'cameraId' | 'cameraIds'>, names: Names): string[] {
  const ids = event.cameraIds.length > 0 ? event.cameraIds : event.cameraId ? [event.cameraId] : [];
  return ids.map((id) => names.camera(id));
}

/** Whether someone may still act on the alert (acknowledge, assign, dismiss, escalate). */
export function canStillAct(alert: Pick<Alert, 'status'>): boolean {
  return alert.status !== 'dismissed' && alert.status !== 'escalated';
}
