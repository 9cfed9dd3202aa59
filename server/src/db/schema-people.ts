import type { ColumnType, Generated } from 'kysely';

/** Tables of issue 9 (people and places); see migrations/20261129020000-people.ts. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: written as 'YYYY-MM-DD', read through to_char (engines parse dates differently). */
type DateColumn = ColumnType<Date | string, string, string>;

export interface PersonsTable {
  id: string;
  complexId: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  iin: string | null;
  iinImplausible: Generated<boolean>;
  birthDate: DateColumn | null;
  sex: string | null;
  notes: Generated<string>;
  consent: string;
  source: string;
  sortKey: string;
  archivedAt: ColumnType<Date, Date | string, Date | string> | null;
  archivedReason: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface PersonPhonesTable {
  id: string;
  complexId: string;
  personId: string;
  phone: string;
  label: Generated<string>;
}

export interface ResidenciesTable {
  id: string;
  complexId: string;
  personId: string;
  apartmentId: string;
  relation: string;
  movedIn: DateColumn | null;
  movedOut: DateColumn | null;
}

export interface VehiclesTable {
  id: string;
  complexId: string;
  plate: string;
  plateDisplay: string;
  make: Generated<string>;
  model: Generated<string>;
  colour: Generated<string>;
  ownerPersonId: string | null;
  parkingPlace: Generated<string>;
  notes: Generated<string>;
}

export interface PremisesTable {
  id: string;
  complexId: string;
  buildingId: string | null;
  name: string;
  kind: string;
  contactName: Generated<string>;
  phone: string | null;
  hours: Generated<string>;
  alarmDetails: Generated<string>;
  notes: Generated<string>;
}

export interface ManagementCompaniesTable {
  id: string;
  complexId: string;
  kind: string;
  name: string;
  phone: string | null;
  email: Generated<string>;
  address: Generated<string>;
}

export interface CaretakersTable {
  id: string;
  complexId: string;
  managementCompanyId: string | null;
  buildingId: string | null;
  name: string;
  position: Generated<string>;
  phone: string | null;
}

export interface SearchKeysTable {
  complexId: string;
  entityType: string;
  entityId: string;
  field: string;
  key: string;
  sortKey: Generated<string>;
}

export interface SearchTermsTable {
  complexId: string;
  field: string;
  key: string;
}

export interface PersonErasuresTable {
  personId: string;
  complexId: string;
  erasedAt: ColumnType<Date, Date | string, Date | string>;
  erasedBy: string | null;
}

export interface PeopleTables {
  persons: PersonsTable;
  personPhones: PersonPhonesTable;
  residencies: ResidenciesTable;
  vehicles: VehiclesTable;
  premises: PremisesTable;
  managementCompanies: ManagementCompaniesTable;
  caretakers: CaretakersTable;
  searchKeys: SearchKeysTable;
  searchTerms: SearchTermsTable;
  personErasures: PersonErasuresTable;
}
