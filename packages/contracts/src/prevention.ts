import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';

/** Issue 9: the preventive registry (профилактический учёт) and door-to-door visits (подворный обход). */
const IsoDate = z.iso.date();

export const RecordIdParams = z.strictObject({ recordId: Id });
export const RoundIdParams = z.strictObject({ roundId: Id });
export const RoundApartmentParams = z.strictObject({ roundId: Id, apartmentId: Id });

export const PreventionTrack = z.enum(['adult', 'minor']);
export const PreventionCategory = z.strictObject({
  code: z.string(),
  track: PreventionTrack,
  names: z.strictObject({ ru: z.string(), kk: z.string(), en: z.string() }),
});
export type PreventionCategory = z.infer<typeof PreventionCategory>;
export const PreventionCategoryList = z.strictObject({ items: z.array(PreventionCategory) });

export const Periodicity = z.enum(['weekly', 'biweekly', 'monthly', 'quarterly']);
export type Periodicity = z.infer<typeof Periodicity>;
export const CheckInOutcome = z.enum(['met', 'not_found', 'violation']);
export type CheckInOutcome = z.infer<typeof CheckInOutcome>;

/** Every read of a registry record names why (written to the audit log). */
export const Reason = z.string().trim().min(3).max(200);
export const ReasonQuery = z.strictObject({ reason: Reason });

export const PreventionRecordInput = z.strictObject({
  personId: Id,
  categoryCode: z.string().min(1).max(60),
  basis: z.string().trim().min(1).max(500),
  startsOn: IsoDate,
  endsOn: IsoDate.nullish(),
  inspectorId: Id,
  periodicity: Periodicity,
  /** First check-in; defaults to the start date. */
  firstDueOn: IsoDate.nullish(),
});
export type PreventionRecordInput = z.infer<typeof PreventionRecordInput>;

export const PreventionSummary = z.strictObject({
  id: Id,
  complexId: Id,
  personId: Id,
  personName: z.string(),
  apartments: z.array(z.string()),
  categoryCode: z.string(),
  basis: z.string(),
  startsOn: IsoDate,
  endsOn: IsoDate.nullable(),
  inspectorId: Id,
  inspectorName: z.string(),
  periodicity: Periodicity,
  nextDueOn: IsoDate,
  /** The due date is before today in Almaty. */
  overdue: z.boolean(),
  lastCheckInOn: IsoDate.nullable(),
});
export type PreventionSummary = z.infer<typeof PreventionSummary>;
export const PreventionList = z.strictObject({ items: z.array(PreventionSummary), today: IsoDate });
export type PreventionList = z.infer<typeof PreventionList>;

export const CheckInInput = z.strictObject({
  checkedOn: IsoDate,
  outcome: CheckInOutcome,
  note: z.string().max(2000).default(''),
});
export const CheckIn = z.strictObject({
  id: Id,
  checkedOn: IsoDate,
  outcome: CheckInOutcome,
  note: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: IsoDateTime,
});
export type CheckIn = z.infer<typeof CheckIn>;
export const PreventionRecord = PreventionSummary.extend({ checkIns: z.array(CheckIn) });
export type PreventionRecord = z.infer<typeof PreventionRecord>;

export const DayListQuery = z.strictObject({ inspectorId: Id.optional() });

/** Who may answer for a registry record: active inspectors, district chiefs and admins of the complex. */
export const ResponsibleList = z.strictObject({
  items: z.array(z.strictObject({ id: Id, displayName: z.string(), role: z.enum(['inspector', 'district_chief', 'admin']) })),
});
export type ResponsibleList = z.infer<typeof ResponsibleList>;

// ---- door-to-door visits ----

export const VisitOutcome = z.enum(['visited', 'no_answer', 'refused']);
export type VisitOutcome = z.infer<typeof VisitOutcome>;

export const VisitRoundInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  plannedOn: IsoDate,
  /** Whole buildings (every entrance) and single entrances; at least one of them. */
  buildingIds: z.array(Id).max(100).default([]),
  entranceIds: z.array(Id).max(500).default([]),
});
export type VisitRoundInput = z.infer<typeof VisitRoundInput>;

export const VisitProblem = z.strictObject({ text: z.string(), appealId: Id.nullable() });
export const VisitOutcomeInput = z.strictObject({
  outcome: VisitOutcome,
  peopleMetCount: z.number().int().min(0).max(50).default(0),
  /** Residents of the apartment met at the door (ids from the apartment card). */
  personIds: z.array(Id).max(20).default([]),
  problems: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
  note: z.string().max(2000).default(''),
  /** Turn each problem into an appeal (once the appeals module registers itself; ignored before). */
  makeAppeals: z.boolean().default(false),
  /** When it was recorded on the stairs (the phone may send it later from its outbox). */
  recordedAt: IsoDateTime.optional(),
});
export type VisitOutcomeInput = z.infer<typeof VisitOutcomeInput>;

export const RoundApartment = z.strictObject({
  apartmentId: Id,
  buildingId: Id,
  buildingName: z.string(),
  entranceId: Id,
  entranceNumber: z.number().int(),
  floor: z.number().int(),
  number: z.string(),
  outcome: VisitOutcome.nullable(),
  peopleMetCount: z.number().int(),
  personIds: z.array(Id),
  problems: z.array(VisitProblem),
  note: z.string(),
  recordedAt: IsoDateTime.nullable(),
});
export type RoundApartment = z.infer<typeof RoundApartment>;

export const CoverageFigures = z.strictObject({
  apartments: z.number().int(),
  visited: z.number().int(),
  noAnswer: z.number().int(),
  refused: z.number().int(),
  /** visited / apartments, 0..1 (0 when there are no apartments). */
  coverage: z.number(),
});
export type CoverageFigures = z.infer<typeof CoverageFigures>;
export const EntranceCoverage = CoverageFigures.extend({ entranceId: Id, number: z.number().int() });
export const BuildingCoverage = CoverageFigures.extend({
  buildingId: Id,
  name: z.string(),
  entrances: z.array(EntranceCoverage),
});
export type BuildingCoverage = z.infer<typeof BuildingCoverage>;
export const RoundCoverage = z.strictObject({
  roundId: Id,
  total: CoverageFigures,
  buildings: z.array(BuildingCoverage),
});
export type RoundCoverage = z.infer<typeof RoundCoverage>;

export const VisitRoundSummary = z.strictObject({
  id: Id,
  complexId: Id,
  name: z.string(),
  plannedOn: IsoDate,
  createdBy: z.string().nullable(),
  total: CoverageFigures,
});
export type VisitRoundSummary = z.infer<typeof VisitRoundSummary>;
export const VisitRoundList = z.strictObject({ items: z.array(VisitRoundSummary) });
export const VisitRound = VisitRoundSummary.extend({ apartments: z.array(RoundApartment) });
export type VisitRound = z.infer<typeof VisitRound>;
