import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';

/**
 * Motion and health detection (issue 10). Coordinates in zones and boxes are normalized
 * 0..1 of the picture (x right, y down), so they hold for the main and the sub stream.
 * Times are instants (ISO with offset); schedules are in Almaty time.
 * Shared design: /work/detection-api.md (kept in the repo as docs by the lead).
 */

export const NormPoint = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);
export type NormPoint = z.infer<typeof NormPoint>;

/** Twice the signed area of a polygon (shoelace). */
export function polygonArea2(points: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return s;
}

function cross(o: readonly [number, number], a: readonly [number, number], b: readonly [number, number]): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function segmentsCross(p1: readonly [number, number], p2: readonly [number, number], q1: readonly [number, number], q2: readonly [number, number]): boolean {
  const d1 = cross(q1, q2, p1);
  const d2 = cross(q1, q2, p2);
  const d3 = cross(p1, p2, q1);
  const d4 = cross(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Why a polygon cannot be a zone, or null: repeated points, no area, edges that cross. */
export function polygonProblem(points: readonly (readonly [number, number])[]): string | null {
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (Math.abs(points[i]![0] - points[j]![0]) < 1e-6 && Math.abs(points[i]![1] - points[j]![1]) < 1e-6) {
        return `Points ${i + 1} and ${j + 1} are the same point: remove one of them`;
      }
    }
  }
  const n = points.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // neighbours through the closing edge
      if (segmentsCross(points[i]!, points[(i + 1) % n]!, points[j]!, points[(j + 1) % n]!)) {
        return `Edges ${i + 1} and ${j + 1} cross each other: draw the outline without crossings`;
      }
    }
  }
  if (Math.abs(polygonArea2(points)) / 2 < 0.0005) return 'The zone has (almost) no area: spread its points out';
  return null;
}

export const ZonePolygon = z
  .array(NormPoint)
  .min(3, 'A zone needs at least 3 points')
  .max(32, 'A zone may have at most 32 points')
  .superRefine((pts, ctx) => {
    const problem = polygonProblem(pts);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM, 00:00 to 23:59');

export const ZoneSchedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('always') }),
  z.strictObject({
    kind: z.literal('window'),
    /** Almaty time; from > to wraps midnight (23:00–06:00); the days are those the window starts on. */
    from: HhMm,
    to: HhMm,
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'Pick at least one day')
      .max(7)
      .refine((d) => new Set(d).size === d.length, 'Each day once')
      .default([1, 2, 3, 4, 5, 6, 7]),
  }).refine((s) => s.from !== s.to, { message: 'The window must not start and end at the same time', path: ['to'] }),
]);
export type ZoneSchedule = z.infer<typeof ZoneSchedule>;

export const detectionZoneKinds = ['include', 'exclude'] as const;
export const DetectionZoneKind = z.enum(detectionZoneKinds);
export type DetectionZoneKind = z.infer<typeof DetectionZoneKind>;

const zoneFields = {
  name: z.string().trim().min(1, 'Name the zone').max(80, 'At most 80 characters'),
  /** exclude = a mask: motion there is ignored. */
  kind: DetectionZoneKind.default('include'),
  polygon: ZonePolygon,
  /** Higher = a smaller brightness change counts. */
  sensitivity: z.number().int().min(1).max(10).default(5),
  /** Fraction of the picture's area. */
  minObjectSize: z.number().min(0.0005).max(0.25).default(0.004),
  schedule: ZoneSchedule.default({ kind: 'always' }),
  /** After an event ends, a new one in this zone within the cooldown is merged into it. */
  cooldownSeconds: z.number().int().min(0).max(3600).default(30),
  enabled: z.boolean().default(true),
};

export const DetectionZone = z.strictObject({
  id: Id,
  cameraId: Id,
  ...zoneFields,
  kind: DetectionZoneKind,
  sensitivity: z.number().int().min(1).max(10),
  minObjectSize: z.number(),
  schedule: ZoneSchedule,
  cooldownSeconds: z.number().int(),
  enabled: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type DetectionZone = z.infer<typeof DetectionZone>;

/** One zone in a PUT; `id` keeps an existing zone's id (events refer to it), absent = a new zone. */
export const DetectionZoneInput = z.strictObject({ id: Id.optional(), ...zoneFields });
export type DetectionZoneInput = z.input<typeof DetectionZoneInput>;

export const PutZonesRequest = z
  .strictObject({
    /** Motion detection on this camera at all (tamper and health are always on). */
    enabled: z.boolean().default(true),
    zones: z.array(DetectionZoneInput).max(16, 'At most 16 zones per camera'),
  })
  .superRefine((r, ctx) => {
    const seen = new Map<string, number>();
    r.zones.forEach((zn, i) => {
      const key = zn.name.trim().toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `Zone name "${zn.name}" is used twice: names must differ`, path: ['zones', i, 'name'] });
      seen.set(key, i);
    });
    const ids = r.zones.map((zn) => zn.id).filter((x): x is string => !!x);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'A zone id is repeated', path: ['zones'] });
  });
export type PutZonesRequest = z.input<typeof PutZonesRequest>;

export const CameraZones = z.strictObject({
  cameraId: Id,
  enabled: z.boolean(),
  zones: z.array(DetectionZone),
});
export type CameraZones = z.infer<typeof CameraZones>;

export const detectionEventKinds = ['motion', 'tamper', 'offline', 'online', 'recording_failed', 'group_offline'] as const;
export const DetectionEventKind = z.enum(detectionEventKinds);
export type DetectionEventKind = z.infer<typeof DetectionEventKind>;

export const tamperCauses = ['covered', 'defocused', 'turned'] as const;
export const TamperCause = z.enum(tamperCauses);
export type TamperCause = z.infer<typeof TamperCause>;

export const Box = z.strictObject({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
export type Box = z.infer<typeof Box>;

export const DetectionEvent = z.strictObject({
  id: Id,
  /** null for group_offline. */
  cameraId: Id.nullable(),
  complexId: Id,
  kind: DetectionEventKind,
  zoneId: Id.nullable(),
  /** tamper: a TamperCause; offline: the stream's reason; recording_failed: the failure. */
  cause: z.string().nullable(),
  startedAt: IsoDateTime,
  /** null while ongoing. */
  endedAt: IsoDateTime.nullable(),
  peakScore: z.number().min(0).max(1),
  /** ≤ 50 samples. */
  boxes: z.array(z.strictObject({ at: IsoDateTime, box: Box })),
  /** Classification seam ('person', 'vehicle'); null = unclassified. */
  label: z.string().nullable(),
  /** GET /api/v1/events/:id/snapshot (image/jpeg) or null when there is none. */
  snapshotUrl: z.string().nullable(),
  /** Where playback should open (from = start − 10 s); to null while ongoing. */
  recording: z.strictObject({ from: IsoDateTime, to: IsoDateTime.nullable() }).nullable(),
  /** group_offline: the cameras in the group; otherwise [cameraId] or []. */
  cameraIds: z.array(Id),
});
export type DetectionEvent = z.infer<typeof DetectionEvent>;

export const EventIdParams = z.strictObject({ eventId: Id });

export const EventSearchQuery = z.strictObject({
  cameraId: Id.optional(),
  zoneId: Id.optional(),
  kind: DetectionEventKind.optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type EventSearchQuery = z.infer<typeof EventSearchQuery>;

export const EventPage = z.strictObject({
  items: z.array(DetectionEvent),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type EventPage = z.infer<typeof EventPage>;

/** Timeline marks of one camera over [from, to) — at most 500, oldest first. */
export const EventMarksQuery = z.strictObject({ from: IsoDateTime, to: IsoDateTime });
export const EventMark = z.strictObject({
  id: Id,
  kind: DetectionEventKind,
  zoneId: Id.nullable(),
  cause: z.string().nullable(),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  peakScore: z.number(),
  label: z.string().nullable(),
});
export type EventMark = z.infer<typeof EventMark>;
export const EventMarks = z.strictObject({ cameraId: Id, from: IsoDateTime, to: IsoDateTime, items: z.array(EventMark), truncated: z.boolean() });
export type EventMarks = z.infer<typeof EventMarks>;
