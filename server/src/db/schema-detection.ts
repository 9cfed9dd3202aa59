import type { ColumnType, Generated } from 'kysely';

/** Tables of issue 10 (migrations/20261201000000-detection.ts): zones, events, alerts, incidents. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read parsed, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;
type JsonDefault<T> = ColumnType<T, string | undefined, string>;

export interface ZoneScheduleJson {
  kind: 'always' | 'window';
  from?: string;
  to?: string;
  days?: number[];
}

export interface BoxSampleJson {
  /** epoch ms */
  at: number;
  box: { x: number; y: number; w: number; h: number };
}

export interface DetectionSettingsTable {
  cameraId: string;
  enabled: Generated<boolean>;
  updatedAt: GeneratedTimestamp;
}

export interface DetectionZonesTable {
  id: string;
  complexId: string;
  cameraId: string;
  name: string;
  kind: 'include' | 'exclude';
  polygon: Json<[number, number][]>;
  sensitivity: number;
  minObjectSize: number;
  schedule: Json<ZoneScheduleJson>;
  cooldownSeconds: number;
  enabled: Generated<boolean>;
  sortOrder: Generated<number>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface DetectionEventsTable {
  id: string;
  complexId: string;
  cameraId: string | null;
  kind: 'motion' | 'tamper' | 'offline' | 'online' | 'recording_failed' | 'group_offline';
  zoneId: string | null;
  cause: string | null;
  eventKey: string | null;
  startedAt: Timestamp;
  endedAt: Timestamp | null;
  peakScore: Generated<number>;
  boxes: JsonDefault<BoxSampleJson[]>;
  label: string | null;
  cameraIds: JsonDefault<string[]>;
  groupEventId: string | null;
  hasSnapshot: Generated<boolean>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface DetectionSnapshotsTable {
  eventId: string;
  jpeg: Uint8Array;
  takenAt: Timestamp;
}

export interface AlertCountersTable {
  complexId: string;
  seq: number;
}

export interface AlertsTable {
  id: string;
  complexId: string;
  seq: number;
  eventId: string;
  status: 'new' | 'acknowledged' | 'assigned' | 'dismissed' | 'escalated';
  priority: 'high' | 'normal' | 'low';
  assignedTo: string | null;
  incidentId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AlertFeedTable {
  complexId: string;
  seq: number;
  alertId: string;
  at: Timestamp;
}

export interface AlertActionsTable {
  id: Generated<number>;
  alertId: string;
  at: Timestamp;
  actorId: string;
  action: 'acknowledge' | 'assign' | 'dismiss' | 'escalate';
  note: string | null;
  reason: 'false_alarm' | 'known_activity' | 'test' | 'other' | null;
  assigneeId: string | null;
}

export interface IncidentTypesTable {
  code: string;
  nameRu: string;
  nameKk: string;
  nameEn: string;
  sortOrder: Generated<number>;
  active: Generated<boolean>;
}

export interface IncidentCountersTable {
  complexId: string;
  year: number;
  seq: number;
}

export interface IncidentsTable {
  id: string;
  complexId: string;
  number: string;
  type: string;
  occurredAt: Timestamp;
  buildingId: string | null;
  entranceId: string | null;
  zoneId: string | null;
  position: ColumnType<[number, number] | null, string | null, string | null>;
  description: Generated<string>;
  actionsTaken: Generated<string>;
  outcome: 'resolved_on_site' | 'administrative_protocol' | 'handed_to_investigators' | 'refused' | null;
  status: Generated<'open' | 'closed'>;
  createdBy: string;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface IncidentPartiesTable {
  id: string;
  incidentId: string;
  personId: string | null;
  description: Generated<string>;
  role: 'victim' | 'suspect' | 'witness' | 'applicant' | 'other';
}

export interface IncidentLinksTable {
  incidentId: string;
  kind: 'alert' | 'appeal' | 'event';
  refId: string;
}

export interface DetectionTables {
  detectionSettings: DetectionSettingsTable;
  detectionZones: DetectionZonesTable;
  detectionEvents: DetectionEventsTable;
  detectionSnapshots: DetectionSnapshotsTable;
  alertCounters: AlertCountersTable;
  alerts: AlertsTable;
  alertFeed: AlertFeedTable;
  alertActions: AlertActionsTable;
  incidentTypes: IncidentTypesTable;
  incidentCounters: IncidentCountersTable;
  incidents: IncidentsTable;
  incidentParties: IncidentPartiesTable;
  incidentLinks: IncidentLinksTable;
}
