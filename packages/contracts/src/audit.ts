import { z } from 'zod';
import { Id, IsoDateTime, PageQuery, pageOf } from './common.ts';

/** Actions written to the audit log. Later issues add theirs here. */
export const auditActions = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_in_throttled',
  'auth.sign_out',
  'auth.screen_locked',
  'auth.screen_unlocked',
  'auth.password_changed',
  'auth.totp_enabled',
  'auth.totp_disabled',
  'user.created',
  'user.updated',
  'user.password_reset',
  'user.unlocked',
  'user.disabled',
  'audit.viewed',
  'audit.verified',
  'site.zone_created',
  'site.zone_updated',
  'site.zone_deleted',
  'camera.created',
  'camera.updated',
  'camera.deleted',
  'camera.imported',
  'camera.grant_created',
  'camera.grant_revoked',
  'system.backup',
  'system.restore',
  'person.viewed',
  'person.searched',
  'person.created',
  'person.updated',
  'person.archived',
  'person.erased',
  'people.imported',
  'people.exported',
  'apartment.viewed',
  'vehicle.created',
  'premise.created',
  'premise.updated',
  'management_company.created',
  'management_company.updated',
  'caretaker.created',
  'caretaker.updated',
  'caretaker.deleted',
  'prevention.listed',
  'prevention.record_created',
  'prevention.record_viewed',
  'prevention.check_in_recorded',
  'visit.round_created',
  'visit.outcome_recorded',
  'video.live_viewed',
  'video.playback_viewed',
  'video.exported',
  // Legal holds on footage (issue 8, retention helper)
  'recording.hold_created',
  'recording.hold_released',
  // Detection zones, events, alerts, incidents (issue 10, alerts helper)
  'detection.zones_updated',
  'event.snapshot_viewed',
  'alert.acknowledged',
  'alert.assigned',
  'alert.dismissed',
  'alert.escalated',
  'incident.created',
] as const;
export const AuditAction = z.enum(auditActions);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.strictObject({
  seq: z.number().int(),
  at: IsoDateTime,
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  action: AuditAction,
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  complexId: Id.nullable(),
  /** Not chained: may hold personal data and can be erased without breaking the chain. */
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = pageOf(AuditEntry);

export const AuditQuery = PageQuery.extend({
  actorId: Id.optional(),
  action: AuditAction.optional(),
  subjectType: z.string().trim().max(40).optional(),
  subjectId: z.string().trim().max(80).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditVerifyResult = z.strictObject({
  ok: z.boolean(),
  rows: z.number().int(),
  headSeq: z.number().int().nullable(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
