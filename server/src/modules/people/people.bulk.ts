import crypto from 'node:crypto';
import type { Insertable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { PeopleBulkRepository } from './people-bulk.repository.ts';
import { personKeys } from './people.keys.ts';
import type { KeyRow, PeopleRepository } from './people.repository.ts';
import { fullName } from './people.service.ts';
import { kazakhSortKey } from './search-keys.ts';

/** A person of the registry as an import compares it. */
export interface RegistryPerson {
  id: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  iin: string | null;
  birthDate: string | null;
  archived: boolean;
  sortKey: string;
  phones: string[];
  residencies: { apartmentId: string; relation: string; movedIn: string | null; movedOut: string | null }[];
}

export interface RegistryApartment { id: string; number: string; buildingName: string; sortOrder: number; entranceNumber: number }

/** A person as the import will leave them: the whole record (keys are rebuilt from it). */
export interface BulkPerson {
  lastName: string;
  firstName: string;
  patronymic: string | null;
  iin: string | null;
  iinImplausible: boolean;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  phones: string[];
}
export interface BulkResidency { apartmentId: string; relation: string; movedIn: string | null }
export interface BulkCreate { person: BulkPerson; residency: BulkResidency }
export interface BulkUpdate {
  personId: string;
  person: BulkPerson;
  /** Phones the registry lacks (a list adds phones, never drops them). */
  addPhones: string[];
  /** A residency to add (a new apartment) or to correct (relation, moved-in date); null when it is as recorded. */
  residency: (BulkResidency & { op: 'add' | 'update' }) | null;
  /** Names, IIN or phones changed: the search keys are rebuilt (a new relation alone leaves them). */
  keysChanged: boolean;
}

/**
 * Whole-registry reads and writes for the import and the export. Rows and search keys are
 * built by the same functions the people service uses (personKeys, kazakhSortKey), so an
 * imported person is found exactly like one typed in at the desk.
 */
export class PeopleBulk {
  constructor(
    private readonly repo: PeopleBulkRepository,
    /** Search keys (and the term list behind typo matching) are written only by the people repository's own methods. */
    private readonly keys: PeopleRepository,
    private readonly clock: Clock,
  ) {}

  async snapshot(complexId: string): Promise<{ persons: RegistryPerson[]; apartments: RegistryApartment[]; version: string }> {
    const [version, rows, phones, residencies, apartments] = await Promise.all([
      this.repo.lastChange(complexId),
      this.repo.persons(complexId),
      this.repo.phones(complexId),
      this.repo.residencies(complexId),
      this.repo.apartments(complexId),
    ]);
    const byId = new Map<string, RegistryPerson>();
    const persons = rows.map((p) => {
      const r: RegistryPerson = { id: p.id, lastName: p.lastName, firstName: p.firstName, patronymic: p.patronymic, iin: p.iin, birthDate: p.birthDate, archived: p.archivedAt !== null, sortKey: p.sortKey, phones: [], residencies: [] };
      byId.set(p.id, r);
      return r;
    });
    for (const ph of phones) byId.get(ph.personId)?.phones.push(ph.phone);
    for (const r of residencies) byId.get(r.personId)?.residencies.push({ apartmentId: r.apartmentId, relation: r.relation, movedIn: r.movedIn, movedOut: r.movedOut });
    return { persons, apartments, version };
  }

  /** A token that changes whenever a person of the complex is added or changed. */
  version(complexId: string): Promise<string> {
    return this.repo.lastChange(complexId);
  }

  /**
   * Writes an import in one transaction, first checking inside it that the registry is
   * still at the version the preview compared against (else returns false, writing nothing).
   * Nothing is deleted.
   */
  async apply(complexId: string, source: string, version: string, creates: BulkCreate[], updates: BulkUpdate[]): Promise<boolean> {
    const now = this.clock.now();
    const persons: Insertable<DB['persons']>[] = [];
    const phones: Insertable<DB['personPhones']>[] = [];
    const residencies: Insertable<DB['residencies']>[] = [];
    const keys: KeyRow[] = [];
    const residency = (personId: string, r: BulkResidency) => ({ id: crypto.randomUUID(), complexId, personId, apartmentId: r.apartmentId, relation: r.relation, movedIn: r.movedIn, movedOut: null });
    for (const c of creates) {
      const id = crypto.randomUUID();
      const p = c.person;
      persons.push({ id, complexId, lastName: p.lastName, firstName: p.firstName, patronymic: p.patronymic, iin: p.iin, iinImplausible: p.iinImplausible, birthDate: p.birthDate, sex: p.sex, consent: 'law_enforcement', source, sortKey: kazakhSortKey(fullName(p)), createdAt: now, updatedAt: now });
      for (const ph of p.phones) phones.push({ id: crypto.randomUUID(), complexId, personId: id, phone: ph, label: '' });
      residencies.push(residency(id, c.residency));
      keys.push(...personKeys(id, p, p.phones));
    }
    for (const u of updates) {
      for (const ph of u.addPhones) phones.push({ id: crypto.randomUUID(), complexId, personId: u.personId, phone: ph, label: '' });
      if (u.residency?.op === 'add') residencies.push(residency(u.personId, u.residency));
    }
    return this.repo.transaction(async (tx) => {
      await this.repo.lockComplex(tx, complexId);
      if ((await this.repo.lastChange(complexId, tx)) !== version) return false;
      await this.repo.insert(tx, 'persons', persons);
      // Set-wise: a list that changes every row is a few statements per 1,000 people, not a few per person.
      await this.repo.updatePersons(
        tx,
        updates.map((u) => {
          const p = u.person;
          return { id: u.personId, lastName: p.lastName, firstName: p.firstName, patronymic: p.patronymic, iin: p.iin, birthDate: p.birthDate, fromIin: p.iin !== null, iinImplausible: p.iinImplausible, sex: p.sex, sortKey: kazakhSortKey(fullName(p)), updatedAt: now };
        }),
      );
      await this.repo.updateResidencies(tx, updates.flatMap((u) => (u.residency?.op === 'update' ? [{ personId: u.personId, apartmentId: u.residency.apartmentId, relation: u.residency.relation, movedIn: u.residency.movedIn }] : [])));
      await this.repo.insert(tx, 'personPhones', phones);
      await this.repo.insert(tx, 'residencies', residencies);
      await this.keys.replaceKeysMany(tx, complexId, updates.filter((u) => u.keysChanged).map((u) => ({ entityId: u.personId, keys: personKeys(u.personId, u.person, u.person.phones) })));
      // In slices: one statement per slice stays under the drivers' parameter limit.
      for (let i = 0; i < keys.length; i += 1000) await this.keys.insertKeys(tx, complexId, keys.slice(i, i + 1000));
      return true;
    });
  }
}
