import type { Camera, CameraTransport, CameraType, CreateCameraRequest, recordingPolicies, UpdateCameraRequest } from '@kuzet/contracts';

export type RecordingPolicyT = (typeof recordingPolicies)[number];

/** The form as typed: text for numbers, '' for "none". */
export interface CameraFormValues {
  name: string;
  type: CameraType;
  mainUrl: string;
  subUrl: string;
  username: string;
  password: string;
  /** Edit only: forget the stored user name and password. */
  clearCredentials: boolean;
  buildingId: string;
  entranceId: string;
  zoneId: string;
  x: string;
  y: string;
  direction: string;
  fieldOfView: string;
  recordingPolicy: RecordingPolicyT;
  retentionDays: string;
  enabled: boolean;
  transport: CameraTransport;
}

export const emptyCameraForm: CameraFormValues = {
  name: '',
  type: 'entrance',
  mainUrl: '',
  subUrl: '',
  username: '',
  password: '',
  clearCredentials: false,
  buildingId: '',
  entranceId: '',
  zoneId: '',
  x: '',
  y: '',
  direction: '',
  fieldOfView: '',
  recordingPolicy: 'continuous',
  retentionDays: '30',
  enabled: true,
  transport: 'auto',
};

const text = (n: number | null) => (n === null ? '' : String(n));

/** The form filled from a stored camera; credentials stay empty (they are never sent to the console). */
export function formFromCamera(camera: Camera): CameraFormValues {
  return {
    name: camera.name,
    type: camera.type,
    mainUrl: camera.mainUrl,
    subUrl: camera.subUrl ?? '',
    username: '',
    password: '',
    clearCredentials: false,
    buildingId: camera.buildingId ?? '',
    entranceId: camera.entranceId ?? '',
    zoneId: camera.zoneId ?? '',
    x: text(camera.position?.[0] ?? null),
    y: text(camera.position?.[1] ?? null),
    direction: text(camera.direction),
    fieldOfView: text(camera.fieldOfView),
    recordingPolicy: camera.recordingPolicy,
    retentionDays: String(camera.retentionDays),
    enabled: camera.enabled,
    transport: camera.transport,
  };
}

/** '' → null; a number (comma or dot for decimals); NaN for anything else so the schema names the field. */
export function parseNumber(value: string): number | null {
  const s = value.trim().replace(',', '.');
  if (s === '') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
}

const orNull = (value: string) => (value.trim() === '' ? null : value);

/** What the form asks for, in the shape of CreateCameraRequest (validated by the contracts schema). */
export function formToCandidate(v: CameraFormValues): Record<string, unknown> {
  const x = parseNumber(v.x);
  const y = parseNumber(v.y);
  return {
    name: v.name,
    type: v.type,
    mainUrl: v.mainUrl,
    subUrl: orNull(v.subUrl),
    username: orNull(v.username),
    password: v.password === '' ? null : v.password,
    buildingId: orNull(v.buildingId),
    entranceId: orNull(v.entranceId),
    zoneId: orNull(v.zoneId),
    position: x === null && y === null ? null : [x ?? Number.NaN, y ?? Number.NaN],
    direction: parseNumber(v.direction),
    fieldOfView: parseNumber(v.fieldOfView),
    recordingPolicy: v.recordingPolicy,
    retentionDays: parseNumber(v.retentionDays),
    enabled: v.enabled,
    transport: v.transport,
  };
}

const EDITABLE = [
  'name',
  'type',
  'buildingId',
  'entranceId',
  'zoneId',
  'position',
  'direction',
  'fieldOfView',
  'mainUrl',
  'subUrl',
  'recordingPolicy',
  'retentionDays',
  'enabled',
  'transport',
] as const satisfies readonly (keyof UpdateCameraRequest & keyof Camera)[];

/**
 * The PATCH body: only what changed. Credentials: the clear box sends nulls;
 * otherwise a typed user name or password replaces the stored one and an empty field keeps it.
 */
export function updatePatch(camera: Camera, data: CreateCameraRequest, clearCredentials: boolean): UpdateCameraRequest {
  const patch: Record<string, unknown> = {};
  for (const key of EDITABLE) {
    if (JSON.stringify(data[key] ?? null) !== JSON.stringify(camera[key] ?? null)) patch[key] = data[key];
  }
  if (clearCredentials) {
    patch.username = null;
    patch.password = null;
  } else {
    if (data.username) patch.username = data.username;
    if (data.password) patch.password = data.password;
  }
  return patch as UpdateCameraRequest;
}
