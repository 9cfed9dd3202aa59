import crypto from 'node:crypto';
import {
  normalisePhone,
  type Caretaker,
  type CaretakerInput,
  type CaretakerUpdate,
  type ManagementCompany,
  type ManagementCompanyInput,
  type ManagementCompanyUpdate,
  type Premise,
  type PremiseUpdate,
} from '@kuzet/contracts';
import type { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import { premiseKeys } from './people.keys.ts';
import type { PeopleRepository } from './people.repository.ts';

/**
 * Editing the complex's places and its management: ground-floor premises (contacts, hours,
 * alarm details), the management company (ОСИ/КСК/УК) and its caretakers. Phones are
 * normalised like residents' (7XXXXXXXXXX); a building or company must be of the same
 * complex; every change is audited with the names of the fields it changed (not their
 * values: contacts are personal data).
 */
export class PlacesService {
  constructor(
    private readonly repo: PeopleRepository,
    private readonly audit: AuditService,
  ) {}

  private phone(input: string | null | undefined, field = 'phone'): string | null | undefined {
    if (input === undefined) return undefined;
    if (input === null || input.trim() === '') return null;
    const r = normalisePhone(input);
    if (!r.ok) throw new DomainError('PHONE_INVALID', [{ field, message: 'bad phone' }]);
    return r.phone;
  }

  private async building(complexId: string, id: string | null | undefined): Promise<void> {
    if (!id) return;
    const row = await this.repo.db
      .selectFrom('buildings')
      .select('id')
      .where('id', '=', id)
      .where('complexId', '=', complexId)
      .executeTakeFirst();
    if (!row)
      throw new DomainError('BUILDING_NOT_FOUND', [{ field: 'buildingId', message: 'not a building of this complex' }]);
  }

  private async company(complexId: string, id: string) {
    const row = await this.repo.db
      .selectFrom('managementCompanies')
      .select(['id', 'kind', 'name', 'phone', 'email', 'address'])
      .where('id', '=', id)
      .where('complexId', '=', complexId)
      .executeTakeFirst();
    if (!row) throw new DomainError('MANAGEMENT_COMPANY_NOT_FOUND');
    return { ...row, kind: row.kind as ManagementCompany['kind'] };
  }

  private async caretaker(complexId: string, id: string): Promise<Caretaker> {
    const row = await this.repo.db
      .selectFrom('caretakers')
      .select(['id', 'managementCompanyId', 'buildingId', 'name', 'position', 'phone'])
      .where('id', '=', id)
      .where('complexId', '=', complexId)
      .executeTakeFirst();
    if (!row) throw new DomainError('CARETAKER_NOT_FOUND');
    return row;
  }

  private changed<T extends object>(input: T): string[] {
    return Object.entries(input)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k)
      .sort();
  }

  async updatePremise(actor: Actor, complexId: string, premiseId: string, input: PremiseUpdate): Promise<Premise> {
    const cur = await this.repo.db
      .selectFrom('premises')
      .select(['id', 'buildingId', 'name', 'kind', 'contactName', 'phone', 'hours', 'alarmDetails', 'notes'])
      .where('id', '=', premiseId)
      .where('complexId', '=', complexId)
      .executeTakeFirst();
    if (!cur) throw new DomainError('PREMISE_NOT_FOUND');
    const phone = this.phone(input.phone);
    await this.building(complexId, input.buildingId);
    const next: Premise = {
      id: cur.id,
      buildingId: input.buildingId === undefined ? cur.buildingId : input.buildingId,
      name: input.name ?? cur.name,
      kind: input.kind ?? (cur.kind as Premise['kind']),
      contactName: input.contactName ?? cur.contactName,
      phone: phone === undefined ? cur.phone : phone,
      hours: input.hours ?? cur.hours,
      alarmDetails: input.alarmDetails ?? cur.alarmDetails,
      notes: input.notes ?? cur.notes,
    };
    await this.repo.transaction(async (tx) => {
      const { id: _id, ...fields } = next;
      await tx.updateTable('premises').set(fields).where('id', '=', premiseId).execute();
      // The search finds premises by name and phone: their keys follow the change.
      if (next.name !== cur.name || next.phone !== cur.phone)
        await this.repo.replaceKeys(tx, complexId, premiseId, premiseKeys(premiseId, next.name, next.phone));
    });
    await this.audit.append({
      action: 'premise.updated',
      actorId: actor.id,
      subjectType: 'premise',
      subjectId: premiseId,
      complexId,
      details: { fields: this.changed(input) },
    });
    return next;
  }

  async createCompany(
    actor: Actor,
    complexId: string,
    input: z.output<typeof ManagementCompanyInput>,
  ): Promise<ManagementCompany> {
    const c: ManagementCompany = {
      id: crypto.randomUUID(),
      kind: input.kind,
      name: input.name,
      phone: this.phone(input.phone) ?? null,
      email: input.email,
      address: input.address,
    };
    await this.repo.db
      .insertInto('managementCompanies')
      .values({ ...c, complexId })
      .execute();
    await this.audit.append({
      action: 'management_company.created',
      actorId: actor.id,
      subjectType: 'management_company',
      subjectId: c.id,
      complexId,
    });
    return c;
  }

  async updateCompany(
    actor: Actor,
    complexId: string,
    companyId: string,
    input: ManagementCompanyUpdate,
  ): Promise<ManagementCompany> {
    const cur = await this.company(complexId, companyId);
    const phone = this.phone(input.phone);
    const next: ManagementCompany = {
      id: cur.id,
      kind: input.kind ?? cur.kind,
      name: input.name ?? cur.name,
      phone: phone === undefined ? cur.phone : phone,
      email: input.email ?? cur.email,
      address: input.address ?? cur.address,
    };
    const { id: _id, ...fields } = next;
    await this.repo.db.updateTable('managementCompanies').set(fields).where('id', '=', companyId).execute();
    await this.audit.append({
      action: 'management_company.updated',
      actorId: actor.id,
      subjectType: 'management_company',
      subjectId: companyId,
      complexId,
      details: { fields: this.changed(input) },
    });
    return next;
  }

  async createCaretaker(actor: Actor, complexId: string, input: z.output<typeof CaretakerInput>): Promise<Caretaker> {
    if (input.managementCompanyId) await this.company(complexId, input.managementCompanyId);
    await this.building(complexId, input.buildingId);
    const c: Caretaker = {
      id: crypto.randomUUID(),
      managementCompanyId: input.managementCompanyId ?? null,
      buildingId: input.buildingId ?? null,
      name: input.name,
      position: input.position,
      phone: this.phone(input.phone) ?? null,
    };
    await this.repo.db
      .insertInto('caretakers')
      .values({ ...c, complexId })
      .execute();
    await this.audit.append({
      action: 'caretaker.created',
      actorId: actor.id,
      subjectType: 'caretaker',
      subjectId: c.id,
      complexId,
    });
    return c;
  }

  async updateCaretaker(
    actor: Actor,
    complexId: string,
    caretakerId: string,
    input: CaretakerUpdate,
  ): Promise<Caretaker> {
    const cur = await this.caretaker(complexId, caretakerId);
    if (input.managementCompanyId) await this.company(complexId, input.managementCompanyId);
    await this.building(complexId, input.buildingId);
    const phone = this.phone(input.phone);
    const next: Caretaker = {
      id: cur.id,
      managementCompanyId:
        input.managementCompanyId === undefined ? cur.managementCompanyId : input.managementCompanyId,
      buildingId: input.buildingId === undefined ? cur.buildingId : input.buildingId,
      name: input.name ?? cur.name,
      position: input.position ?? cur.position,
      phone: phone === undefined ? cur.phone : phone,
    };
    const { id: _id, ...fields } = next;
    await this.repo.db.updateTable('caretakers').set(fields).where('id', '=', caretakerId).execute();
    await this.audit.append({
      action: 'caretaker.updated',
      actorId: actor.id,
      subjectType: 'caretaker',
      subjectId: caretakerId,
      complexId,
      details: { fields: this.changed(input) },
    });
    return next;
  }

  async deleteCaretaker(actor: Actor, complexId: string, caretakerId: string): Promise<void> {
    await this.caretaker(complexId, caretakerId);
    await this.repo.db.deleteFrom('caretakers').where('id', '=', caretakerId).execute();
    await this.audit.append({
      action: 'caretaker.deleted',
      actorId: actor.id,
      subjectType: 'caretaker',
      subjectId: caretakerId,
      complexId,
    });
  }
}
