import { z } from 'zod';
import { Id, IsoDateTime, PageQuery, pageOf } from './common.ts';

/** Issue 9: residents, their apartments and vehicles, premises, the management company. */
const IsoDate = z.iso.date();
const Name = z.string().trim().min(1).max(100);

export const Relation = z.enum(['owner', 'tenant', 'registered', 'family']);
export const Consent = z.enum(['law_enforcement', 'given', 'withdrawn']);

export const PersonIdParams = z.strictObject({ personId: Id });
export const ApartmentIdParams = z.strictObject({ apartmentId: Id });

export const ResidencyInput = z.strictObject({
  apartmentId: Id,
  relation: Relation,
  movedIn: IsoDate.nullish(),
  movedOut: IsoDate.nullish(),
});

export const PersonInput = z.strictObject({
  lastName: Name,
  firstName: Name,
  patronymic: Name.nullish(),
  /** Checked by its check digit; birth date and sex come from it. */
  iin: z.string().trim().max(20).nullish(),
  birthDate: IsoDate.nullish(),
  sex: z.enum(['male', 'female']).nullish(),
  phones: z.array(z.strictObject({ phone: z.string().max(40), label: z.string().max(40).default('') })).max(10).default([]),
  notes: z.string().max(4000).default(''),
  consent: Consent,
  /** Where the record came from: "desk", "visit 2026-11-20", "ОСИ list 2026-11". */
  source: z.string().trim().min(1).max(200),
  residencies: z.array(ResidencyInput).max(10).default([]),
});
export type PersonInput = z.infer<typeof PersonInput>;
export const PersonUpdate = PersonInput.partial();
export type PersonUpdate = z.infer<typeof PersonUpdate>;

export const Residency = z.strictObject({
  id: Id,
  apartmentId: Id,
  buildingName: z.string(),
  apartmentNumber: z.string(),
  relation: Relation,
  movedIn: IsoDate.nullable(),
  movedOut: IsoDate.nullable(),
});

export const VehicleInput = z.strictObject({
  plate: z.string().trim().min(3).max(20),
  make: z.string().max(60).default(''),
  model: z.string().max(60).default(''),
  colour: z.string().max(40).default(''),
  ownerPersonId: Id.nullish(),
  parkingPlace: z.string().max(40).default(''),
  notes: z.string().max(1000).default(''),
});
export const Vehicle = z.strictObject({
  id: Id,
  plate: z.string(),
  plateDisplay: z.string(),
  make: z.string(),
  model: z.string(),
  colour: z.string(),
  ownerPersonId: Id.nullable(),
  parkingPlace: z.string(),
});
export type Vehicle = z.infer<typeof Vehicle>;

export const Phone = z.strictObject({ phone: z.string(), display: z.string(), label: z.string() });

export const Person = z.strictObject({
  id: Id,
  complexId: Id,
  lastName: z.string(),
  firstName: z.string(),
  patronymic: z.string().nullable(),
  /** Full for inspector, chief and admin; masked (87••••••••27) for an operator. */
  iin: z.string().nullable(),
  iinMasked: z.boolean(),
  iinImplausible: z.boolean(),
  birthDate: IsoDate.nullable(),
  sex: z.enum(['male', 'female']).nullable(),
  phones: z.array(Phone),
  notes: z.string(),
  consent: Consent,
  source: z.string(),
  archivedAt: IsoDateTime.nullable(),
  residencies: z.array(Residency),
  vehicles: z.array(Vehicle),
});
export type Person = z.infer<typeof Person>;

export const PersonSummary = z.strictObject({
  id: Id,
  name: z.string(),
  iin: z.string().nullable(),
  birthDate: IsoDate.nullable(),
  apartments: z.array(z.string()),
  archived: z.boolean(),
});
export type PersonSummary = z.infer<typeof PersonSummary>;
export const PersonPage = pageOf(PersonSummary);
export const PersonListQuery = PageQuery.extend({ archived: z.enum(['true', 'false']).default('false') });

/** Why a card is opened: written to the audit log with the view. */
export const CardQuery = z.strictObject({ reason: z.string().trim().max(200).optional() });

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  /** The user pressed Enter / chose a result: the search is audited. Keystrokes are not. */
  submitted: z.enum(['true', 'false']).default('false'),
  reason: z.string().trim().max(200).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchHitType = z.enum(['person', 'vehicle', 'premise', 'apartment']);
export const SearchHit = z.strictObject({
  type: SearchHitType,
  id: Id,
  title: z.string(),
  subtitle: z.string(),
  /** The person a vehicle belongs to, the apartment a person lives in: where a click leads. */
  personId: Id.nullable(),
  apartmentId: Id.nullable(),
  match: z.enum(['exact', 'prefix', 'fuzzy']),
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;
export const SearchResult = z.strictObject({ items: z.array(SearchHit) });
export type SearchResult = z.infer<typeof SearchResult>;

export const ArchiveRequest = z.strictObject({ reason: z.string().trim().min(1).max(200) });
export const EraseRequest = z.strictObject({ reason: z.string().trim().min(1).max(200) });

export const PremiseKind = z.enum(['shop', 'cafe', 'office', 'service', 'pharmacy', 'other']);
export const PremiseInput = z.strictObject({
  buildingId: Id.nullish(),
  name: Name,
  kind: PremiseKind,
  contactName: z.string().max(100).default(''),
  phone: z.string().max(40).nullish(),
  hours: z.string().max(100).default(''),
  alarmDetails: z.string().max(1000).default(''),
  notes: z.string().max(1000).default(''),
});
export const Premise = z.strictObject({
  id: Id,
  buildingId: Id.nullable(),
  name: z.string(),
  kind: PremiseKind,
  contactName: z.string(),
  phone: z.string().nullable(),
  hours: z.string(),
  alarmDetails: z.string(),
  notes: z.string(),
});
export type Premise = z.infer<typeof Premise>;
export const PremiseList = z.strictObject({ items: z.array(Premise) });
export type PremiseList = z.infer<typeof PremiseList>;

/** A change to a premise: only the fields sent change; `phone: null` or `buildingId: null` clears. */
export const PremiseUpdate = z.strictObject({
  buildingId: Id.nullable().optional(),
  name: Name.optional(),
  kind: PremiseKind.optional(),
  contactName: z.string().trim().max(100).optional(),
  phone: z.string().max(40).nullable().optional(),
  hours: z.string().trim().max(100).optional(),
  alarmDetails: z.string().trim().max(1000).optional(),
  notes: z.string().trim().max(1000).optional(),
});
export type PremiseUpdate = z.infer<typeof PremiseUpdate>;
export const PremiseIdParams = z.strictObject({ complexId: Id, premiseId: Id });

/** ОСИ (объединение собственников имущества), КСК, управляющая компания. */
export const ManagementKind = z.enum(['osi', 'ksk', 'uk']);
export const ManagementCompany = z.strictObject({ id: Id, kind: ManagementKind, name: z.string(), phone: z.string().nullable(), email: z.string(), address: z.string() });
export type ManagementCompany = z.infer<typeof ManagementCompany>;
const Email = z.union([z.literal(''), z.email().max(200)]);
export const ManagementCompanyInput = z.strictObject({
  kind: ManagementKind,
  name: Name,
  phone: z.string().max(40).nullish(),
  email: Email.default(''),
  address: z.string().trim().max(300).default(''),
});
export const ManagementCompanyUpdate = z.strictObject({
  kind: ManagementKind.optional(),
  name: Name.optional(),
  phone: z.string().max(40).nullable().optional(),
  email: Email.optional(),
  address: z.string().trim().max(300).optional(),
});
export type ManagementCompanyUpdate = z.infer<typeof ManagementCompanyUpdate>;
export const CompanyIdParams = z.strictObject({ complexId: Id, companyId: Id });

export const Caretaker = z.strictObject({ id: Id, managementCompanyId: Id.nullable(), buildingId: Id.nullable(), name: z.string(), position: z.string(), phone: z.string().nullable() });
export type Caretaker = z.infer<typeof Caretaker>;
export const CaretakerInput = z.strictObject({
  managementCompanyId: Id.nullish(),
  buildingId: Id.nullish(),
  name: Name,
  position: z.string().trim().max(100).default(''),
  phone: z.string().max(40).nullish(),
});
export const CaretakerUpdate = z.strictObject({
  managementCompanyId: Id.nullable().optional(),
  buildingId: Id.nullable().optional(),
  name: Name.optional(),
  position: z.string().trim().max(100).optional(),
  phone: z.string().max(40).nullable().optional(),
});
export type CaretakerUpdate = z.infer<typeof CaretakerUpdate>;
export const CaretakerIdParams = z.strictObject({ complexId: Id, caretakerId: Id });

export const Management = z.strictObject({
  companies: z.array(ManagementCompany),
  caretakers: z.array(Caretaker),
});
export type Management = z.infer<typeof Management>;

export const ApartmentCard = z.strictObject({
  id: Id,
  complexId: Id,
  buildingId: Id,
  buildingName: z.string(),
  entranceNumber: z.number().int(),
  floor: z.number().int(),
  number: z.string(),
  residents: z.array(PersonSummary.extend({ relation: Relation, movedIn: IsoDate.nullable(), movedOut: IsoDate.nullable() })),
  vehicles: z.array(Vehicle),
});
export type ApartmentCard = z.infer<typeof ApartmentCard>;
