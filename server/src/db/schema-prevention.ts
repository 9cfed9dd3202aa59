import type { ColumnType, Generated } from 'kysely';

/** Tables of issue 9's preventive registry and door-to-door visits; see migrations/20261129100000-prevention.ts. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A `date` column: written as 'YYYY-MM-DD', read through to_char (engines parse dates differently). */
type DateColumn = ColumnType<Date | string, string, string>;

export interface PreventionCategoriesTable {
  code: string;
  track: string;
  nameRu: string;
  nameKk: string;
  nameEn: string;
  sort: number;
  active: Generated<boolean>;
}

export interface PreventionRecordsTable {
  id: string;
  complexId: string;
  personId: string;
  categoryCode: string;
  basis: string;
  startsOn: DateColumn;
  endsOn: DateColumn | null;
  inspectorId: string;
  periodicity: string;
  nextDueOn: DateColumn;
  closedAt: Timestamp | null;
  createdBy: string | null;
  createdAt: GeneratedTimestamp;
}

export interface PreventionCheckInsTable {
  id: string;
  complexId: string;
  recordId: string;
  checkedOn: DateColumn;
  outcome: string;
  note: Generated<string>;
  recordedBy: string | null;
  recordedAt: GeneratedTimestamp;
}

export interface VisitRoundsTable {
  id: string;
  complexId: string;
  name: string;
  plannedOn: DateColumn;
  createdBy: string | null;
  createdAt: GeneratedTimestamp;
}

export interface VisitRoundEntrancesTable {
  roundId: string;
  complexId: string;
  buildingId: string;
  entranceId: string;
}

export interface VisitOutcomesTable {
  id: string;
  complexId: string;
  roundId: string;
  apartmentId: string;
  outcome: string;
  peopleMetCount: Generated<number>;
  /** JSON array of { text, appealId } (appealId null until the appeals issue links one). */
  problems: ColumnType<{ text: string; appealId: string | null }[], string, string>;
  note: Generated<string>;
  recordedBy: string | null;
  recordedAt: Timestamp;
}

export interface VisitOutcomePeopleTable {
  outcomeId: string;
  complexId: string;
  personId: string;
}

export interface PreventionTables {
  preventionCategories: PreventionCategoriesTable;
  preventionRecords: PreventionRecordsTable;
  preventionCheckIns: PreventionCheckInsTable;
  visitRounds: VisitRoundsTable;
  visitRoundEntrances: VisitRoundEntrancesTable;
  visitOutcomes: VisitOutcomesTable;
  visitOutcomePeople: VisitOutcomePeopleTable;
}
