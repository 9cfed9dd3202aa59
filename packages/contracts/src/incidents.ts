import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';
import { Point } from './site.ts';

/**
 * The incident journal (issue 11's final table shape; issue 10 creates incidents from alerts).
 * Types are data (table incident_types); these codes are the seeded ones.
 */
export const incidentTypeCodes = [
  'theft',
  'burglary_apartment',
  'burglary_storage',
  'burglary_car',
  'hooliganism',
  'domestic_violence',
  'fight',
  'vandalism',
  'traffic_accident',
  'missing_person',
  'other',
] as const;
/** A type code: the seeded ones above, or one added to incident_types later (checked by the server). */
export const IncidentTypeCode = z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, 'An incident type code such as theft or other');
export type IncidentTypeCode = z.infer<typeof IncidentTypeCode>;

export const incidentOutcomes = ['resolved_on_site', 'administrative_protocol', 'handed_to_investigators', 'refused'] as const;
export const IncidentOutcome = z.enum(incidentOutcomes);
export type IncidentOutcome = z.infer<typeof IncidentOutcome>;

export const incidentStatuses = ['open', 'closed'] as const;
export const IncidentStatus = z.enum(incidentStatuses);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const incidentPartyRoles = ['victim', 'suspect', 'witness', 'applicant', 'other'] as const;
export const IncidentPartyRole = z.enum(incidentPartyRoles);
export type IncidentPartyRole = z.infer<typeof IncidentPartyRole>;

export const incidentLinkKinds = ['alert', 'appeal', 'event'] as const;
export const IncidentLinkKind = z.enum(incidentLinkKinds);
export type IncidentLinkKind = z.infer<typeof IncidentLinkKind>;

export const IncidentPlace = z.strictObject({
  buildingId: Id.nullable(),
  entranceId: Id.nullable(),
  /** A zone of the site plan (not a detection zone). */
  zoneId: Id.nullable(),
  /** A point on the site plan (plan metres). */
  position: Point.nullable(),
});
export type IncidentPlace = z.infer<typeof IncidentPlace>;

export const IncidentParty = z.strictObject({
  id: Id,
  /** A person of the registry, or null for a described unknown person. */
  personId: Id.nullable(),
  description: z.string(),
  role: IncidentPartyRole,
});
export type IncidentParty = z.infer<typeof IncidentParty>;

export const IncidentLink = z.strictObject({ kind: IncidentLinkKind, refId: Id });
export type IncidentLink = z.infer<typeof IncidentLink>;

export const IncidentType = z.strictObject({ code: z.string(), nameRu: z.string(), nameKk: z.string(), nameEn: z.string() });
export type IncidentType = z.infer<typeof IncidentType>;

export const Incident = z.strictObject({
  id: Id,
  complexId: Id,
  /** 'YYYY-NNNNN', per complex per year. */
  number: z.string(),
  type: z.string(),
  occurredAt: IsoDateTime,
  place: IncidentPlace,
  description: z.string(),
  actionsTaken: z.string(),
  outcome: IncidentOutcome.nullable(),
  status: IncidentStatus,
  parties: z.array(IncidentParty),
  links: z.array(IncidentLink),
  createdBy: z.strictObject({ id: Id, displayName: z.string() }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Incident = z.infer<typeof Incident>;

export const CreateIncidentRequest = z.strictObject({
  type: IncidentTypeCode,
  occurredAt: IsoDateTime,
  place: IncidentPlace.partial().default({}),
  description: z.string().trim().max(5000).default(''),
  actionsTaken: z.string().trim().max(5000).default(''),
  outcome: IncidentOutcome.nullable().default(null),
  parties: z
    .array(z.strictObject({ personId: Id.nullable().default(null), description: z.string().trim().max(1000).default(''), role: IncidentPartyRole }))
    .max(50)
    .default([]),
  links: z.array(IncidentLink).max(50).default([]),
});
export type CreateIncidentRequest = z.input<typeof CreateIncidentRequest>;

export const IncidentIdParams = z.strictObject({ incidentId: Id });
export const IncidentListQuery = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const IncidentPage = z.strictObject({ items: z.array(Incident), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
export const IncidentTypeList = z.strictObject({ items: z.array(IncidentType) });
