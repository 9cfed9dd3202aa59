import { z } from 'zod';
import { Id, IsoDateTime, PageQuery, pageOf } from './common.ts';
import { Point } from './site.ts';

export const cameraTypes = ['entrance', 'yard', 'playground', 'parking', 'perimeter', 'lift', 'other'] as const;
export const CameraType = z.enum(cameraTypes);
export type CameraType = z.infer<typeof CameraType>;

export const recordingPolicies = ['continuous', 'motion', 'off'] as const;
export const RecordingPolicy = z.enum(recordingPolicies);

/** How RTP reaches us: auto tries TCP, falls back to UDP, and remembers what worked. */
export const cameraTransports = ['auto', 'tcp', 'udp'] as const;
export const CameraTransport = z.enum(cameraTransports);
export type CameraTransport = z.infer<typeof CameraTransport>;

export const streamKinds = ['main', 'sub'] as const;
export const StreamKind = z.enum(streamKinds);
export type StreamKind = z.infer<typeof StreamKind>;

export const streamStates = ['online', 'offline', 'degraded', 'connecting', 'disabled'] as const;
export const StreamState = z.enum(streamStates);
export type StreamState = z.infer<typeof StreamState>;

/** Why a stream is not online. */
export const statusReasons = [
  'auth_failed',
  'refused',
  'timeout',
  'stalled',
  'ended',
  'no_keyframe',
  'unsupported_codec',
  'garbage',
  'not_found',
  'protocol',
  'disabled',
  'low_fps',
] as const;
export const StatusReason = z.enum(statusReasons);
export type StatusReason = z.infer<typeof StatusReason>;

export const RtspUrl = z
  .string()
  .trim()
  .max(1000)
  .regex(/^rtsps?:\/\/[^\s/]+(\/\S*)?$/i, 'An RTSP address: rtsp://host[:port]/path');

export const StreamStatus = z.strictObject({
  stream: StreamKind,
  state: StreamState,
  reason: StatusReason.nullable(),
  codec: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  fps: z.number().nullable(),
  bitrateKbps: z.number().nullable(),
  lastFrameAt: IsoDateTime.nullable(),
  since: IsoDateTime,
  /** The transport in use (with `auto`, the one that worked); null while not playing. */
  transport: z.enum(['tcp', 'udp']).nullable(),
  /** RTP packets lost over the last 10 s, in %; null when not playing. Above 1 % the stream is degraded. */
  lossPercent: z.number().nullable(),
});
export type StreamStatus = z.infer<typeof StreamStatus>;

export const Camera = z.strictObject({
  id: Id,
  complexId: Id,
  name: z.string(),
  type: CameraType,
  buildingId: Id.nullable(),
  entranceId: Id.nullable(),
  zoneId: Id.nullable(),
  position: Point.nullable(),
  /** Degrees clockwise from "up" on the site plan. */
  direction: z.number().nullable(),
  /** Horizontal field of view, degrees. */
  fieldOfView: z.number().nullable(),
  /** Addresses without credentials. */
  mainUrl: z.string(),
  subUrl: z.string().nullable(),
  /** Whether a user name and password are stored; they are never returned. */
  hasCredentials: z.boolean(),
  transport: CameraTransport,
  recordingPolicy: RecordingPolicy,
  retentionDays: z.number().int(),
  enabled: z.boolean(),
  status: z.array(StreamStatus),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Camera = z.infer<typeof Camera>;
export const CameraPage = pageOf(Camera);
export const CameraListQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional(),
  type: CameraType.optional(),
  state: StreamState.optional(),
});

const cameraFields = {
  name: z.string().trim().min(1).max(120),
  type: CameraType,
  buildingId: Id.nullable(),
  entranceId: Id.nullable(),
  zoneId: Id.nullable(),
  position: Point.nullable(),
  direction: z.number().min(0).max(360).nullable(),
  fieldOfView: z.number().min(1).max(360).nullable(),
  mainUrl: RtspUrl,
  subUrl: RtspUrl.nullable(),
  username: z.string().max(200).nullable(),
  password: z.string().max(200).nullable(),
  transport: CameraTransport,
  recordingPolicy: RecordingPolicy,
  retentionDays: z.number().int().min(1).max(3650),
  enabled: z.boolean(),
};

export const CreateCameraRequest = z.strictObject({
  ...cameraFields,
  buildingId: cameraFields.buildingId.default(null),
  entranceId: cameraFields.entranceId.default(null),
  zoneId: cameraFields.zoneId.default(null),
  position: cameraFields.position.default(null),
  direction: cameraFields.direction.default(null),
  fieldOfView: cameraFields.fieldOfView.default(null),
  subUrl: cameraFields.subUrl.default(null),
  username: cameraFields.username.default(null),
  password: cameraFields.password.default(null),
  transport: cameraFields.transport.default('auto'),
  recordingPolicy: cameraFields.recordingPolicy.default('continuous'),
  retentionDays: cameraFields.retentionDays.default(30),
  enabled: cameraFields.enabled.default(true),
});
export type CreateCameraRequest = z.infer<typeof CreateCameraRequest>;

export const UpdateCameraRequest = z.strictObject({
  name: cameraFields.name.optional(),
  type: cameraFields.type.optional(),
  buildingId: cameraFields.buildingId.optional(),
  entranceId: cameraFields.entranceId.optional(),
  zoneId: cameraFields.zoneId.optional(),
  position: cameraFields.position.optional(),
  direction: cameraFields.direction.optional(),
  fieldOfView: cameraFields.fieldOfView.optional(),
  mainUrl: cameraFields.mainUrl.optional(),
  subUrl: cameraFields.subUrl.optional(),
  username: cameraFields.username.optional(),
  password: cameraFields.password.optional(),
  transport: cameraFields.transport.optional(),
  recordingPolicy: cameraFields.recordingPolicy.optional(),
  retentionDays: cameraFields.retentionDays.optional(),
  enabled: cameraFields.enabled.optional(),
});
export type UpdateCameraRequest = z.infer<typeof UpdateCameraRequest>;

export const CameraIdParams = z.strictObject({ cameraId: Id });

export const CameraImportRequest = z.strictObject({
  /** CSV with a header row: name,type,main_url,sub_url,username,password,building,entrance,zone,x,y,direction,fov,recording,retention_days,enabled,transport */
  csv: z.string().min(1).max(200_000),
  dryRun: z.boolean().default(false),
});
export const CameraImportReport = z.strictObject({
  created: z.number().int(),
  failed: z.number().int(),
  dryRun: z.boolean(),
  rows: z.array(
    z.strictObject({
      line: z.number().int(),
      ok: z.boolean(),
      cameraId: Id.nullable(),
      name: z.string().nullable(),
      errors: z.array(z.strictObject({ field: z.string(), message: z.string() })),
    }),
  ),
});
export type CameraImportReport = z.infer<typeof CameraImportReport>;

export const StatusHistoryQuery = z.strictObject({
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  stream: StreamKind.optional(),
});
export const StatusHistory = z.strictObject({
  items: z.array(
    z.strictObject({ stream: StreamKind, state: StreamState, reason: StatusReason.nullable(), at: IsoDateTime }),
  ),
});

export const UptimeQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(7) });
export const UptimeReport = z.strictObject({
  days: z.array(z.string()),
  cameras: z.array(z.strictObject({ cameraId: Id, name: z.string(), uptime: z.array(z.number().nullable()) })),
});

export const CameraGrant = z.strictObject({
  id: Id,
  cameraId: Id,
  userId: Id,
  grantedBy: Id.nullable(),
  reason: z.string(),
  expiresAt: IsoDateTime,
  revokedAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export const CameraGrantList = z.strictObject({ items: z.array(CameraGrant) });
export const CreateCameraGrantRequest = z.strictObject({
  userId: Id,
  reason: z.string().trim().min(3).max(500),
  expiresAt: IsoDateTime,
});
export const CameraGrantParams = z.strictObject({ cameraId: Id, grantId: Id });
