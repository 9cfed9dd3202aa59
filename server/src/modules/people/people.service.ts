import crypto from 'node:crypto';
import {
  can,
  formatPhone,
  maskIin,
  normalisePhone,
  normalisePlate,
  parseIin,
  type ApartmentCard,
  type Management,
  type Person,
  type PersonInput,
  type PersonSummary,
  type PersonUpdate,
  type Premise,
  type Vehicle,
} from '@kuzet/contracts';
import type { z } from 'zod';
import type { PremiseInput, VehicleInput } from '@kuzet/contracts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import { personKeys, premiseKeys, vehicleKeys } from './people.keys.ts';
import type { PeopleRepository, Tx } from './people.repository.ts';
import { kazakhSortKey } from './search-keys.ts';

/**
 * What may keep a person from erasure: open appeals and incidents (later issues register
 * theirs here). Returns a short description of each hold, empty when none.
 */
export type ErasureHold = (personId: string) => Promise<string[]>;

export interface PeopleSettings {
  /** Years an archived person is kept before erasure (Law 94-V retention; a setting). */
  retentionYears: number;
}

/** Whether the actor sees IINs, birth dates and sex (derived from the IIN) unmasked. */
export function identifies(actor: Actor): boolean {
  return can(actor.role, 'people.identify');
}

export function fullName(p: { lastName: string; firstName: string; patronymic: string | null }): string {
  return [p.lastName, p.firstName, p.patronymic].filter(Boolean).join(' ');
}

export class PeopleService {
  private readonly holds: ErasureHold[] = [];

  constructor(
    readonly repo: PeopleRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: PeopleSettings = { retentionYears: 3 },
  ) {}

  /** Appeals and incidents call this when they land: a person they link stays until they close. */
  addErasureHold(hold: ErasureHold): void {
    this.holds.push(hold);
  }

  async complexOf(params: { personId?: string; apartmentId?: string }): Promise<string> {
    if (params.personId) {
      const c = await this.repo.complexOfPerson(params.personId);
      if (!c) throw new DomainError('PERSON_NOT_FOUND');
      return c;
    }
    const c = params.apartmentId ? await this.repo.complexOfApartment(params.apartmentId) : undefined;
    if (!c) throw new DomainError('APARTMENT_NOT_FOUND');
    return c;
  }

  private validate(complexId: string, input: PersonUpdate) {
    const errors: { field: string; message: string }[] = [];
    let iin: { iin: string; birthDate: string; sex: 'male' | 'female'; implausible: boolean } | null | undefined;
    if (input.iin !== undefined) {
      if (input.iin === null || input.iin === '') iin = null;
      else {
        const r = parseIin(input.iin, this.clock.now());
        if (!r.ok) throw new DomainError('IIN_INVALID', { field: 'iin', reason: r.reason });
        iin = r.info;
      }
    }
    const phones = input.phones?.map((p, i) => {
      const r = normalisePhone(p.phone);
      if (!r.ok) errors.push({ field: `phones.${i}`, message: 'bad phone' });
      return { id: crypto.randomUUID(), phone: r.ok ? r.phone : '', label: p.label };
    });
    if (errors.length) throw new DomainError('PHONE_INVALID', errors);
    return { iin, phones, complexId };
  }

  async create(actor: Actor | null, complexId: string, input: PersonInput, tx?: Tx): Promise<string> {
    const { iin, phones } = this.validate(complexId, input);
    if (iin && (await this.repo.iinTaken(complexId, iin.iin, null))) throw new DomainError('PERSON_IIN_TAKEN');
    await this.checkApartments(complexId, input.residencies);
    const id = crypto.randomUUID();
    const row = {
      id,
      complexId,
      lastName: input.lastName,
      firstName: input.firstName,
      patronymic: input.patronymic ?? null,
      iin: iin?.iin ?? null,
      iinImplausible: iin?.implausible ?? false,
      birthDate: iin?.birthDate ?? input.birthDate ?? null,
      sex: iin?.sex ?? input.sex ?? null,
      notes: input.notes,
      consent: input.consent,
      source: input.source,
      sortKey: kazakhSortKey(fullName({ lastName: input.lastName, firstName: input.firstName, patronymic: input.patronymic ?? null })),
    };
    const write = async (t: Tx) => {
      await this.repo.insertPerson(t, row);
      await this.repo.replacePhones(t, complexId, id, phones ?? []);
      await this.repo.replaceResidencies(t, complexId, id, input.residencies.map((r) => ({ id: crypto.randomUUID(), apartmentId: r.apartmentId, relation: r.relation, movedIn: r.movedIn ?? null, movedOut: r.movedOut ?? null })));
      await this.repo.replaceKeys(t, complexId, id, personKeys(id, row, (phones ?? []).map((p) => p.phone)));
    };
    if (tx) await write(tx);
    else await this.repo.transaction(write);
    if (actor) await this.audit.append({ action: 'person.created', actorId: actor.id, subjectType: 'person', subjectId: id, complexId });
    return id;
  }

  async update(actor: Actor, personId: string, input: PersonUpdate): Promise<Person> {
    const cur = await this.repo.person(personId);
    if (!cur) throw new DomainError('PERSON_NOT_FOUND');
    const { iin, phones } = this.validate(cur.complexId, input);
    if (iin && (await this.repo.iinTaken(cur.complexId, iin.iin, personId))) throw new DomainError('PERSON_IIN_TAKEN');
    if (input.residencies) await this.checkApartments(cur.complexId, input.residencies);
    const names = { lastName: input.lastName ?? cur.lastName, firstName: input.firstName ?? cur.firstName, patronymic: input.patronymic === undefined ? cur.patronymic : input.patronymic ?? null };
    const newIin = iin === undefined ? cur.iin : iin?.iin ?? null;
    await this.repo.transaction(async (t) => {
      await this.repo.updatePerson(t, personId, {
        ...names,
        sortKey: kazakhSortKey(fullName(names)),
        iin: newIin,
        ...(iin !== undefined ? { iinImplausible: iin?.implausible ?? false, birthDate: iin?.birthDate ?? null, sex: iin?.sex ?? null } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        ...(input.consent ? { consent: input.consent } : {}),
        ...(input.source ? { source: input.source } : {}),
        updatedAt: this.clock.now(),
      });
      if (phones) await this.repo.replacePhones(t, cur.complexId, personId, phones);
      if (input.residencies) {
        await this.repo.replaceResidencies(t, cur.complexId, personId, input.residencies.map((r) => ({ id: crypto.randomUUID(), apartmentId: r.apartmentId, relation: r.relation, movedIn: r.movedIn ?? null, movedOut: r.movedOut ?? null })));
      }
      const allPhones = phones ? phones.map((p) => p.phone) : (await this.repo.phones([personId])).map((p) => p.phone);
      await this.repo.replaceKeys(t, cur.complexId, personId, personKeys(personId, { ...names, iin: newIin }, allPhones));
    });
    await this.audit.append({ action: 'person.updated', actorId: actor.id, subjectType: 'person', subjectId: personId, complexId: cur.complexId });
    return this.cardOf(actor, personId);
  }

  private async checkApartments(complexId: string, rs: { apartmentId: string }[] | undefined) {
    const ids = [...new Set((rs ?? []).map((r) => r.apartmentId))];
    const found = await this.repo.apartmentsOfComplex(complexId, ids);
    if (found.length !== ids.length) throw new DomainError('APARTMENT_NOT_FOUND');
  }

  /** A person's card; every read is audited with the reason given. */
  async card(actor: Actor, personId: string, reason: string | undefined): Promise<Person> {
    const card = await this.cardOf(actor, personId);
    await this.audit.append({ action: 'person.viewed', actorId: actor.id, subjectType: 'person', subjectId: personId, complexId: card.complexId, details: { reason: reason ?? null } });
    return card;
  }

  private async cardOf(actor: Actor, personId: string): Promise<Person> {
    const p = await this.repo.person(personId);
    if (!p) throw new DomainError('PERSON_NOT_FOUND');
    const [phones, residencies, vehicles] = await Promise.all([this.repo.phones([personId]), this.repo.residencies([personId]), this.repo.vehiclesOf('ownerPersonId', [personId])]);
    const full = identifies(actor);
    return {
      id: p.id,
      complexId: p.complexId,
      lastName: p.lastName,
      firstName: p.firstName,
      patronymic: p.patronymic,
      iin: full ? p.iin : maskIin(p.iin),
      iinMasked: !full && p.iin !== null,
      iinImplausible: full ? p.iinImplausible : false,
      // The birth date and sex are the IIN's first seven digits: masked with it.
      birthDate: full ? p.birthDate : null,
      sex: full ? (p.sex as 'male' | 'female' | null) : null,
      phones: phones.map((ph) => ({ phone: ph.phone, display: formatPhone(ph.phone), label: ph.label })),
      notes: p.notes,
      consent: p.consent as Person['consent'],
      source: p.source,
      archivedAt: p.archivedAt ? p.archivedAt.toISOString() : null,
      residencies: residencies.map((r) => ({ id: r.id, apartmentId: r.apartmentId, buildingName: r.buildingName, apartmentNumber: r.apartmentNumber, relation: r.relation as 'owner', movedIn: r.movedIn, movedOut: r.movedOut })),
      vehicles,
    };
  }

  summary(actor: Actor, p: { id: string; lastName: string; firstName: string; patronymic: string | null; iin: string | null; birthDate: string | null; archivedAt: Date | null }, apartments: string[]): PersonSummary {
    const full = identifies(actor);
    return { id: p.id, name: fullName(p), iin: full ? p.iin : maskIin(p.iin), birthDate: full ? p.birthDate : null, apartments, archived: p.archivedAt !== null };
  }

  async list(actor: Actor, complexId: string, q: { limit: number; offset: number; archived: 'true' | 'false' }) {
    const { items, total } = await this.repo.page(complexId, q.archived === 'true', q.limit, q.offset);
    const labels = await this.apartmentLabels(items.map((i) => i.id));
    return { items: items.map((p) => this.summary(actor, p, labels.get(p.id) ?? [])), total, limit: q.limit, offset: q.offset };
  }

  /**
   * Names and current apartments of persons of a complex, for other modules' lists (the
   * preventive registry, door-to-door visits). Not audited here: callers audit their reads.
   */
  async briefs(complexId: string, ids: string[]): Promise<Map<string, { name: string; apartments: string[] }>> {
    const mine = (await this.repo.personsByIds([...new Set(ids)])).filter((p) => p.complexId === complexId);
    const labels = await this.apartmentLabels(mine.map((p) => p.id));
    return new Map(mine.map((p) => [p.id, { name: fullName(p), apartments: labels.get(p.id) ?? [] }]));
  }

  async apartmentLabels(personIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const r of await this.repo.residencies(personIds)) {
      if (r.movedOut) continue;
      const list = out.get(r.personId) ?? [];
      list.push(`${r.buildingName}, кв. ${r.apartmentNumber}`);
      out.set(r.personId, list);
    }
    return out;
  }

  async apartmentCard(actor: Actor, apartmentId: string): Promise<ApartmentCard> {
    const a = await this.repo.apartment(apartmentId);
    if (!a) throw new DomainError('APARTMENT_NOT_FOUND');
    const residents = await this.repo.residentsOfApartments([apartmentId]);
    const vehicles = await this.repo.vehiclesOf('ownerPersonId', residents.map((r) => r.id));
    await this.audit.append({ action: 'apartment.viewed', actorId: actor.id, subjectType: 'apartment', subjectId: apartmentId, complexId: a.complexId });
    return {
      id: a.id,
      complexId: a.complexId,
      buildingId: a.buildingId,
      buildingName: a.buildingName,
      entranceNumber: a.entranceNumber,
      floor: a.floor,
      number: a.number,
      residents: residents.map((r) => ({ ...this.summary(actor, r, [`${a.buildingName}, кв. ${a.number}`]), relation: r.relation as 'owner', movedIn: r.movedIn, movedOut: r.movedOut })),
      vehicles,
    };
  }

  async createVehicle(actor: Actor | null, complexId: string, input: z.input<typeof VehicleInput>, tx?: Tx): Promise<Vehicle> {
    const plate = normalisePlate(input.plate);
    if (!plate.ok) throw new DomainError('PLATE_INVALID', { field: 'plate' });
    if (input.ownerPersonId && (await this.repo.complexOfPerson(input.ownerPersonId)) !== complexId) throw new DomainError('PERSON_NOT_FOUND');
    if (!tx && (await this.repo.plateTaken(complexId, plate.plate))) throw new DomainError('VEHICLE_PLATE_TAKEN');
    const v = { id: crypto.randomUUID(), plate: plate.plate, plateDisplay: plate.display, make: input.make ?? '', model: input.model ?? '', colour: input.colour ?? '', ownerPersonId: input.ownerPersonId ?? null, parkingPlace: input.parkingPlace ?? '' };
    const write = async (t: Tx) => {
      await this.repo.insertVehicle(t, { ...v, complexId, notes: input.notes ?? '' });
      await this.repo.insertKeys(t, complexId, vehicleKeys(v.id, v.plate));
    };
    if (tx) await write(tx);
    else await this.repo.transaction(write);
    if (actor) await this.audit.append({ action: 'vehicle.created', actorId: actor.id, subjectType: 'vehicle', subjectId: v.id, complexId });
    return v;
  }

  async premises(complexId: string): Promise<Premise[]> {
    return (await this.repo.premises(complexId)).map((p) => ({ ...p, kind: p.kind as Premise['kind'] }));
  }

  async createPremise(actor: Actor | null, complexId: string, input: z.input<typeof PremiseInput>, tx?: Tx): Promise<Premise> {
    let phone: string | null = null;
    if (input.phone) {
      const r = normalisePhone(input.phone);
      if (!r.ok) throw new DomainError('PHONE_INVALID', [{ field: 'phone', message: 'bad phone' }]);
      phone = r.phone;
    }
    const p: Premise = { id: crypto.randomUUID(), buildingId: input.buildingId ?? null, name: input.name, kind: input.kind, contactName: input.contactName ?? '', phone, hours: input.hours ?? '', alarmDetails: input.alarmDetails ?? '', notes: input.notes ?? '' };
    const write = async (t: Tx) => {
      await this.repo.insertPremise(t, { ...p, complexId });
      await this.repo.insertKeys(t, complexId, premiseKeys(p.id, p.name, phone));
    };
    if (tx) await write(tx);
    else await this.repo.transaction(write);
    if (actor) await this.audit.append({ action: 'premise.created', actorId: actor.id, subjectType: 'premise', subjectId: p.id, complexId });
    return p;
  }

  async management(complexId: string): Promise<Management> {
    const m = await this.repo.management(complexId);
    return { companies: m.companies.map((c) => ({ ...c, kind: c.kind as 'osi' })), caretakers: m.caretakers };
  }

  async archive(actor: Actor, personId: string, reason: string): Promise<Person> {
    const p = await this.repo.person(personId);
    if (!p) throw new DomainError('PERSON_NOT_FOUND');
    if (!p.archivedAt) await this.repo.setArchived(personId, this.clock.now(), reason);
    await this.audit.append({ action: 'person.archived', actorId: actor.id, subjectType: 'person', subjectId: personId, complexId: p.complexId, details: { reason } });
    return this.cardOf(actor, personId);
  }

  /**
   * Erases an archived person after the retention period: every row and search key goes,
   * and the audit details that name them (card views, searches that found them) are
   * cleared. The chained part of the audit log keeps only the person's id, so it still verifies.
   */
  async erase(actor: Actor | null, personId: string, reason: string): Promise<void> {
    const p = await this.repo.person(personId);
    if (!p) throw new DomainError('PERSON_NOT_FOUND');
    if (!p.archivedAt) throw new DomainError('PERSON_NOT_ARCHIVED');
    const due = new Date(p.archivedAt);
    due.setUTCFullYear(due.getUTCFullYear() + this.settings.retentionYears);
    if (due > this.clock.now()) throw new DomainError('ERASURE_TOO_EARLY', { due: due.toISOString() });
    const held = (await Promise.all(this.holds.map((h) => h(personId)))).flat();
    if (held.length) throw new DomainError('ERASURE_HELD', { holds: held });
    const phones = (await this.repo.phones([personId])).map((x) => x.phone);
    const needles = [p.lastName, p.firstName, p.patronymic, p.iin, ...phones].filter((x): x is string => !!x && x.length >= 3);
    await this.repo.transaction((t) => this.repo.erase(t, personId, p.complexId, this.clock.now(), actor?.id ?? null));
    await this.audit.eraseDetailsOf(personId, needles);
    await this.audit.append({ action: 'person.erased', actorId: actor?.id ?? null, subjectType: 'person', subjectId: personId, complexId: p.complexId, details: { reason } });
  }

  /** Erases every archived person whose retention period is over (a daily job); returns who could not be erased. */
  async eraseDue(opts: { yieldBetween?: boolean } = {}): Promise<{ erased: number; held: string[] }> {
    const before = this.clock.now();
    before.setUTCFullYear(before.getUTCFullYear() - this.settings.retentionYears);
    let erased = 0;
    const held: string[] = [];
    for (const p of await this.repo.archivedBefore(before)) {
      // The daily job lets requests in between people.
      if (opts.yieldBetween) await new Promise<void>((r) => setImmediate(r));
      try {
        await this.erase(null, p.id, 'retention period over');
        erased++;
      } catch (e) {
        if (!(e instanceof DomainError) || e.code !== 'ERASURE_HELD') throw e;
        held.push(p.id);
      }
    }
    return { erased, held };
  }
}
