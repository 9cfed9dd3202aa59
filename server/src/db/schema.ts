import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { PeopleTables } from './schema-people.ts';
import type { PreventionTables } from './schema-prevention.ts';
import type { RecordingTables } from './schema-recordings.ts';
import type { DetectionTables } from './schema-detection.ts';

/** Table types as Kysely sees them (CamelCasePlugin: snake_case in SQL, camelCase here). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as parsed JSON; written as a JSON string (both engines accept that unchanged). */
type Json<T> = ColumnType<T, string, string>;

export interface DistrictsTable {
  id: string;
  name: string;
  city: string;
  createdAt: GeneratedTimestamp;
}

export interface ComplexesTable {
  id: string;
  districtId: string;
  name: string;
  address: string;
  planWidth: number;
  planHeight: number;
  planSvg: string | null;
  createdAt: GeneratedTimestamp;
}

export interface BuildingsTable {
  id: string;
  complexId: string;
  name: string;
  address: string;
  floors: number;
  footprint: Json<[number, number][]>;
  sortOrder: number;
}

export interface EntrancesTable {
  id: string;
  complexId: string;
  buildingId: string;
  number: number;
  position: Json<[number, number]>;
}

export interface ApartmentsTable {
  id: string;
  complexId: string;
  buildingId: string;
  entranceId: string;
  floor: number;
  number: string;
  rooms: number | null;
}

export interface ZonesTable {
  id: string;
  complexId: string;
  name: string;
  kind: string;
  polygon: Json<[number, number][]>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface UsersTable {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  complexId: string | null;
  districtId: string | null;
  disabled: Generated<boolean>;
  totpSecretEnc: string | null;
  totpPendingEnc: string | null;
  language: Generated<string>;
  createdAt: GeneratedTimestamp;
  lastSignInAt: Timestamp | null;
  passwordChangedAt: GeneratedTimestamp;
}

export interface SessionsTable {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  locked: Generated<boolean>;
  address: string | null;
  userAgent: string | null;
}

export interface SignInFailuresTable {
  id: Generated<number>;
  accountKey: string;
  address: string;
  device: string | null;
  at: Timestamp;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  complexId: string | null;
  detailsDigest: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditDetailsTable {
  seq: number;
  actorName: string | null;
  details: Json<Record<string, unknown>> | null;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updatedAt: GeneratedTimestamp;
}

export interface CamerasTable {
  id: string;
  complexId: string;
  name: string;
  type: string;
  buildingId: string | null;
  entranceId: string | null;
  zoneId: string | null;
  position: Json<[number, number] | null> | null;
  direction: number | null;
  fieldOfView: number | null;
  mainUrl: string;
  subUrl: string | null;
  usernameEnc: string | null;
  passwordEnc: string | null;
  /** 'auto' | 'tcp' | 'udp' */
  transport: Generated<string>;
  recordingPolicy: string;
  retentionDays: number;
  enabled: boolean;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
  deletedAt: Timestamp | null;
}

export interface CameraStatusEventsTable {
  id: Generated<number>;
  complexId: string;
  cameraId: string;
  stream: string;
  state: string;
  reason: string | null;
  at: Timestamp;
}

export interface CameraGrantsTable {
  id: string;
  complexId: string;
  cameraId: string;
  userId: string;
  grantedBy: string | null;
  reason: string;
  expiresAt: Timestamp;
  revokedAt: Timestamp | null;
  createdAt: GeneratedTimestamp;
}

export interface WallLayoutsTable {
  id: string;
  userId: string;
  name: string;
  grid: number;
  cells: Json<(string | null)[]>;
  updatedAt: GeneratedTimestamp;
}

export interface DB extends PeopleTables, PreventionTables, RecordingTables, DetectionTables {
  wallLayouts: WallLayoutsTable;
  cameras: CamerasTable;
  cameraStatusEvents: CameraStatusEventsTable;
  cameraGrants: CameraGrantsTable;
  districts: DistrictsTable;
  complexes: ComplexesTable;
  buildings: BuildingsTable;
  entrances: EntrancesTable;
  apartments: ApartmentsTable;
  zones: ZonesTable;
  users: UsersTable;
  sessions: SessionsTable;
  signInFailures: SignInFailuresTable;
  auditLog: AuditLogTable;
  auditDetails: AuditDetailsTable;
  auditHead: AuditHeadTable;
  settings: SettingsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
