import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';
import { DetectionEvent } from './detection.ts';
import { Incident, IncidentTypeCode } from './incidents.ts';

/** The duty officer's alert console (issue 10). */

export const alertStatuses = ['new', 'acknowledged', 'assigned', 'dismissed', 'escalated'] as const;
export const AlertStatus = z.enum(alertStatuses);
export type AlertStatus = z.infer<typeof AlertStatus>;
/** Statuses that still need someone (the badge counts `new`). */
export const openAlertStatuses: readonly AlertStatus[] = ['new', 'acknowledged', 'assigned'];

export const dismissReasons = ['false_alarm', 'known_activity', 'test', 'other'] as const;
export const DismissReason = z.enum(dismissReasons);
export type DismissReason = z.infer<typeof DismissReason>;

export const alertPriorities = ['high', 'normal', 'low'] as const;
export const AlertPriority = z.enum(alertPriorities);
export type AlertPriority = z.infer<typeof AlertPriority>;

export const alertActionKinds = ['acknowledge', 'assign', 'dismiss', 'escalate'] as const;
export const AlertActionKind = z.enum(alertActionKinds);
export type AlertActionKind = z.infer<typeof AlertActionKind>;

export const UserRef = z.strictObject({ id: Id, displayName: z.string() });
export type UserRef = z.infer<typeof UserRef>;

export const AlertAction = z.strictObject({
  at: IsoDateTime,
  by: UserRef,
  action: AlertActionKind,
  note: z.string().nullable(),
  reason: DismissReason.nullable(),
  /** assign: who it was assigned to. */
  assignee: UserRef.nullable(),
});
export type AlertAction = z.infer<typeof AlertAction>;

export const Alert = z.strictObject({
  id: Id,
  /** Per complex, strictly increasing, never reused: the seq of the alert's creation. */
  seq: z.number().int(),
  complexId: Id,
  eventId: Id,
  event: DetectionEvent,
  status: AlertStatus,
  priority: AlertPriority,
  assignedTo: UserRef.nullable(),
  incidentId: Id.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  actions: z.array(AlertAction),
});
export type Alert = z.infer<typeof Alert>;

/**
 * WebSocket GET /api/v1/alerts/live?complexId=<id>&after=<seq> (session cookie auth, permission
 * alerts.view). The feed is the table alert_feed(complex_id, seq, alert_id): a new alert and every
 * status change write a row with the complex's next seq in the same transaction. On connect the
 * server replays rows with seq > after in order (each with the alert's state now), sends
 * `caught-up`, then live rows. `feedSeq` is the feed row's seq — the client stores the largest it
 * processed (per user + complex) and reconnects with ?after=feedSeq: each row arrives exactly once
 * across reconnects and server restarts. `alert.seq` is the seq of the alert's creation row.
 */
export const AlertFeedMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('alert'), feedSeq: z.number().int(), alert: Alert }),
  z.strictObject({ type: z.literal('caught-up'), seq: z.number().int() }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type AlertFeedMessage = z.infer<typeof AlertFeedMessage>;

export const AlertsLiveQuery = z.strictObject({
  /** The complex; may be left out when the caller's scope has exactly one complex. */
  complexId: Id.optional(),
  /** The last feed seq processed; absent = no replay (only `caught-up` with the current seq, then live). */
  after: z.coerce.number().int().min(0).optional(),
});
export type AlertsLiveQuery = z.infer<typeof AlertsLiveQuery>;

export const AlertIdParams = z.strictObject({ alertId: Id });

export const AlertListQuery = z.strictObject({
  status: z.enum(['open', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Alerts with seq < before (paging back, newest first). */
  before: z.coerce.number().int().min(1).optional(),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

export const AlertList = z.strictObject({
  items: z.array(Alert),
  /** Unacknowledged (status new) in the complex: the badge. */
  unacknowledged: z.number().int(),
  /** The feed's current seq: connect the WebSocket with ?after=this after loading the list. */
  feedSeq: z.number().int(),
});
export type AlertList = z.infer<typeof AlertList>;

/** Who an alert can be assigned to: the complex's active operators and inspectors. */
export const AlertAssignees = z.strictObject({
  items: z.array(z.strictObject({ id: Id, displayName: z.string(), role: z.enum(['operator', 'inspector']) })),
});
export type AlertAssignees = z.infer<typeof AlertAssignees>;

export const AcknowledgeAlertRequest = z.strictObject({ note: z.string().trim().max(1000).optional() }).nullish();
export const AssignAlertRequest = z.strictObject({ userId: Id, note: z.string().trim().max(1000).optional() });
export const DismissAlertRequest = z.strictObject({ reason: DismissReason, note: z.string().trim().max(1000).optional() })
  .refine((r) => r.reason !== 'other' || (r.note ?? '').length > 0, { message: 'Say why in the note when the reason is "other"', path: ['note'] });
export const EscalateAlertRequest = z.strictObject({
  type: IncidentTypeCode,
  description: z.string().trim().max(5000).optional(),
});
export const EscalateAlertResponse = z.strictObject({ alert: Alert, incident: Incident });
export type EscalateAlertResponse = z.infer<typeof EscalateAlertResponse>;
