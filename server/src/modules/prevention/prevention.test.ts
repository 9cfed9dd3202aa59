import type { PreventionList, PreventionRecord, Role, RoundCoverage, VisitRound } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { addMonths, nextDue } from './schedule.ts';

// Issue 9: the preventive registry's day list (Almaty days), check-ins moving the next due
// date, reasoned and audited record views, roles; door-to-door rounds and their coverage.
describe('preventive registry and door-to-door visits', () => {
  let t: TestApp;
  const call = async (role: Role, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) => {
    const s = await t.signIn(role);
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    return payload === undefined
      ? t.app.inject({ method, url, headers })
      : t.app.inject({ method, url, headers, payload });
  };
  let inspectorId: string;
  let otherInspectorId: string;
  const persons: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    // 00:30 on 1 December in Almaty is still 30 November in UTC: the day list must use Almaty's day.
    t.clock.advance(Date.parse('2026-11-30T19:30:00Z') - t.clock.now().getTime());
    inspectorId = (await t.services.users.findRowByUsername('inspector'))!.id;
    otherInspectorId = (
      await t.services.users.createSystem({
        username: 'inspector2',
        displayName: 'Второй УП',
        password: 'inspector-two-pw',
        role: 'inspector',
        complexId: t.complexId,
        districtId: null,
        language: 'ru',
      })
    ).id;
    const b = (await t.services.site.sitePlan(t.complexId)).buildings[0]!;
    const apt = (await t.services.site.apartments(b.id, { limit: 1, offset: 0 })).items[0]!.id;
    for (const [last, first] of [
      ['Серіков', 'Дәулет'],
      ['Петров', 'Игорь'],
      ['Омаров', 'Руслан'],
      ['Ким', 'Виктор'],
      ['Жумабаев', 'Арман'],
    ] as const) {
      persons.push(
        await t.services.people.create(null, t.complexId, {
          lastName: last,
          firstName: first,
          patronymic: null,
          phones: [],
          notes: '',
          consent: 'law_enforcement',
          source: 'test',
          residencies: [{ apartmentId: apt, relation: 'tenant' }],
        }),
      );
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('lists who may answer for a record: active inspectors, chiefs and admins of the complex, not operators', async () => {
    const r = await call('inspector', 'GET', `/api/v1/complexes/${t.complexId}/prevention/inspectors`);
    expect(r.statusCode, r.body).toBe(200);
    const items = (r.json() as { items: { id: string; displayName: string; role: string }[] }).items;
    expect(items.map((u) => u.id)).toEqual(expect.arrayContaining([inspectorId, otherInspectorId]));
    expect(new Set(items.map((u) => u.role))).toEqual(new Set(['inspector', 'district_chief', 'admin']));
    // Every one of them is accepted as the responsible inspector of a new record.
    const op = (await t.services.users.findRowByUsername('operator'))!.id;
    expect(items.map((u) => u.id)).not.toContain(op);
    expect((await call('operator', 'GET', `/api/v1/complexes/${t.complexId}/prevention/inspectors`)).statusCode).toBe(403);
  });

  const create = async (i: number, body: Record<string, unknown>) => {
    const res = await call('inspector', 'POST', `/api/v1/complexes/${t.complexId}/prevention/records`, {
      personId: persons[i],
      categoryCode: 'parole',
      basis: 'Постановление суда № 2-345',
      startsOn: '2026-06-01',
      inspectorId,
      periodicity: 'monthly',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as PreventionRecord;
  };

  it('schedules check-ins by calendar periods', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(nextDue('2026-12-01', 'monthly')).toBe('2027-01-01');
    expect(nextDue('2026-11-30', 'quarterly')).toBe('2027-02-28');
    expect(nextDue('2026-12-28', 'weekly')).toBe('2027-01-04');
  });

  it("lists the inspector's check-ins due today or overdue, by Almaty's date", async () => {
    const dueToday = await create(0, { firstDueOn: '2026-12-01' });
    const overdue = await create(1, { firstDueOn: '2026-11-20', categoryCode: 'official_warning' });
    await create(2, { firstDueOn: '2026-12-02' }); // tomorrow
    await create(3, { firstDueOn: '2026-11-25', inspectorId: otherInspectorId }); // someone else's
    await create(4, { firstDueOn: '2026-11-01', startsOn: '2026-01-01', endsOn: '2026-11-30' }); // ended yesterday
    const res = await call('inspector', 'GET', `/api/v1/complexes/${t.complexId}/prevention/day-list`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json() as PreventionList;
    expect(list.today).toBe('2026-12-01');
    expect(list.items.map((i) => i.id)).toEqual([overdue.id, dueToday.id]);
    expect(list.items.map((i) => i.overdue)).toEqual([true, false]);
    expect(list.items[1]!.personName).toBe('Серіков Дәулет');
    // The district chief sees a given inspector's list.
    const chief = (
      await call(
        'district_chief',
        'GET',
        `/api/v1/complexes/${t.complexId}/prevention/day-list?inspectorId=${otherInspectorId}`,
      )
    ).json() as PreventionList;
    expect(chief.items).toHaveLength(1);

    // A check-in moves the next due date a period on and takes the record off today's list.
    const checked = await call('inspector', 'POST', `/api/v1/prevention/records/${dueToday.id}/check-ins`, {
      checkedOn: '2026-12-01',
      outcome: 'met',
      note: 'Дома, трудоустроен',
    });
    expect(checked.statusCode, checked.body).toBe(201);
    const rec = checked.json() as PreventionRecord;
    expect(rec.nextDueOn).toBe('2027-01-01');
    expect(rec.checkIns.map((c) => [c.checkedOn, c.outcome, c.note])).toEqual([
      ['2026-12-01', 'met', 'Дома, трудоустроен'],
    ]);
    const after = (
      await call('inspector', 'GET', `/api/v1/complexes/${t.complexId}/prevention/day-list`)
    ).json() as PreventionList;
    expect(after.items.map((i) => i.id)).toEqual([overdue.id]);
    // A check-in cannot be dated in the future.
    expect(
      (
        await call('inspector', 'POST', `/api/v1/prevention/records/${overdue.id}/check-ins`, {
          checkedOn: '2026-12-02',
          outcome: 'met',
        })
      ).statusCode,
    ).toBe(400);
  });

  it('needs a reason to open a record, and audits it', async () => {
    const rec = await create(0, { categoryCode: 'administrative_supervision' });
    expect((await call('inspector', 'GET', `/api/v1/prevention/records/${rec.id}`)).statusCode).toBe(400);
    const ok = await call(
      'district_chief',
      'GET',
      `/api/v1/prevention/records/${rec.id}?reason=${encodeURIComponent('сверка списков')}`,
    );
    expect(ok.statusCode, ok.body).toBe(200);
    const rows = await t.env.handle.db
      .selectFrom('auditLog as l')
      .innerJoin('auditDetails as d', 'd.seq', 'l.seq')
      .select(['l.action', 'd.details'])
      .where('l.subjectId', '=', rec.id)
      .where('l.action', '=', 'prevention.record_viewed')
      .execute();
    expect(rows.map((r) => r.details)).toEqual([{ reason: 'сверка списков' }]);
  });

  it('refuses the registry and the rounds to operators, partners and residents', async () => {
    const rec = await create(1, {});
    for (const role of ['operator', 'partner', 'resident'] as const) {
      expect((await call(role, 'GET', `/api/v1/complexes/${t.complexId}/prevention/day-list`)).statusCode).toBe(403);
      expect((await call(role, 'GET', `/api/v1/prevention/records/${rec.id}?reason=check`)).statusCode).toBe(403);
      expect((await call(role, 'GET', `/api/v1/complexes/${t.complexId}/visit-rounds`)).statusCode).toBe(403);
    }
  });

  it('rejects an unknown category and a responsible person who is not staff of the complex', async () => {
    const base = { personId: persons[0], basis: 'x', startsOn: '2026-06-01', periodicity: 'monthly' };
    const url = `/api/v1/complexes/${t.complexId}/prevention/records`;
    expect(
      (await call('inspector', 'POST', url, { ...base, categoryCode: 'nope', inspectorId })).json().error.code,
    ).toBe('PREVENTION_CATEGORY_UNKNOWN');
    const operatorId = (await t.services.users.findRowByUsername('operator'))!.id;
    expect(
      (await call('inspector', 'POST', url, { ...base, categoryCode: 'parole', inspectorId: operatorId })).json().error
        .code,
    ).toBe('PREVENTION_INSPECTOR_INVALID');
  });

  it('records a round apartment by apartment and reports coverage per entrance and building', async () => {
    const b = (await t.services.site.sitePlan(t.complexId)).buildings[0]!;
    const [e1, e2] = b.entrances;
    const res = await call('inspector', 'POST', `/api/v1/complexes/${t.complexId}/visit-rounds`, {
      name: 'Обход блока',
      plannedOn: '2026-12-01',
      entranceIds: [e1!.id, e2!.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const round = res.json() as VisitRound;
    const inE1 = round.apartments.filter((a) => a.entranceId === e1!.id);
    expect(inE1.length).toBe(e1!.apartmentCount);
    expect(round.apartments.length).toBe(e1!.apartmentCount + e2!.apartmentCount);
    const put = (apartmentId: string, body: Record<string, unknown>) =>
      call('inspector', 'PUT', `/api/v1/visit-rounds/${round.id}/apartments/${apartmentId}`, body);
    // Entrance 1: 3 visited, 1 no answer, 1 refused; entrance 2: 1 visited.
    for (const a of inE1.slice(0, 3))
      expect(
        (
          await put(a.apartmentId, {
            outcome: 'visited',
            peopleMetCount: 2,
            problems: ['Не горит свет на 3 этаже'],
            personIds: [persons[0]],
          })
        ).statusCode,
      ).toBe(200);
    expect((await put(inE1[3]!.apartmentId, { outcome: 'no_answer' })).statusCode).toBe(200);
    expect((await put(inE1[4]!.apartmentId, { outcome: 'refused' })).statusCode).toBe(200);
    const inE2 = round.apartments.filter((a) => a.entranceId === e2!.id);
    // The phone's outbox may send the same outcome twice: the second replaces the first.
    expect((await put(inE2[0]!.apartmentId, { outcome: 'visited' })).statusCode).toBe(200);
    expect((await put(inE2[0]!.apartmentId, { outcome: 'visited', note: 'повторная отправка' })).statusCode).toBe(200);

    const cov = (await call('inspector', 'GET', `/api/v1/visit-rounds/${round.id}/coverage`)).json() as RoundCoverage;
    const c1 = cov.buildings[0]!.entrances.find((e) => e.entranceId === e1!.id)!;
    expect([c1.visited, c1.noAnswer, c1.refused, c1.apartments]).toEqual([3, 1, 1, e1!.apartmentCount]);
    expect(c1.coverage).toBeCloseTo(3 / e1!.apartmentCount);
    const c2 = cov.buildings[0]!.entrances.find((e) => e.entranceId === e2!.id)!;
    expect([c2.visited, c2.apartments]).toEqual([1, e2!.apartmentCount]);
    expect(cov.buildings[0]!.coverage).toBeCloseTo(4 / (e1!.apartmentCount + e2!.apartmentCount));
    expect(cov.total).toMatchObject({
      apartments: e1!.apartmentCount + e2!.apartmentCount,
      visited: 4,
      noAnswer: 1,
      refused: 1,
    });

    const detail = (await call('inspector', 'GET', `/api/v1/visit-rounds/${round.id}`)).json() as VisitRound;
    const first = detail.apartments.find((a) => a.apartmentId === inE1[0]!.apartmentId)!;
    expect(first).toMatchObject({
      outcome: 'visited',
      peopleMetCount: 2,
      personIds: [persons[0]],
      problems: [{ text: 'Не горит свет на 3 этаже', appealId: null }],
    });
    // An apartment of another entrance is not on this round.
    const other = b.entrances[2]
      ? (await t.services.site.apartments(b.id, { entrance: b.entrances[2].number, limit: 1, offset: 0 })).items[0]
      : undefined;
    if (other)
      expect((await put(other.id, { outcome: 'visited' })).json().error.code).toBe('VISIT_APARTMENT_NOT_IN_ROUND');
  });
});

describe('erasing a person on the registry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(async () => t?.close());

  it('is held while a record is in force, and takes the ended records and check-ins with the person', async () => {
    const inspector = (await t.services.users.findRowByUsername('inspector'))!;
    const actor = {
      id: inspector.id,
      username: inspector.username,
      displayName: inspector.displayName,
      role: 'inspector' as const,
      complexId: t.complexId,
      districtId: null,
    };
    const b = (await t.services.site.sitePlan(t.complexId)).buildings[0]!;
    const apt = (await t.services.site.apartments(b.id, { limit: 1, offset: 0 })).items[0]!.id;
    const personId = await t.services.people.create(null, t.complexId, {
      lastName: 'Стиранов',
      firstName: 'Эраст',
      patronymic: null,
      phones: [],
      notes: '',
      consent: 'law_enforcement',
      source: 'test',
      residencies: [{ apartmentId: apt, relation: 'tenant' }],
    });
    const rec = await t.services.prevention.create(actor, t.complexId, {
      personId,
      categoryCode: 'official_warning',
      basis: 'x',
      startsOn: '2020-01-01',
      endsOn: null,
      inspectorId: inspector.id,
      periodicity: 'quarterly',
      firstDueOn: null,
    });
    await t.services.prevention.checkIn(actor, rec.id, {
      checkedOn: '2020-02-01',
      outcome: 'met',
      note: 'Стиранов дома',
    });
    await t.services.people.repo.setArchived(
      personId,
      new Date(t.clock.now().getTime() - 4 * 366 * 86_400_000),
      'moved out',
    );
    await expect(t.services.people.erase(actor, personId, 'срок истёк')).rejects.toMatchObject({
      code: 'ERASURE_HELD',
    });

    // The record ended: erasure goes ahead and nothing of it is left.
    await t.env.handle.db
      .updateTable('preventionRecords')
      .set({ endsOn: '2021-01-01' })
      .where('id', '=', rec.id)
      .execute();
    await t.services.people.erase(actor, personId, 'срок истёк');
    expect(
      await t.env.handle.db.selectFrom('preventionRecords').select('id').where('personId', '=', personId).execute(),
    ).toEqual([]);
    expect(
      await t.env.handle.db.selectFrom('preventionCheckIns').select('id').where('recordId', '=', rec.id).execute(),
    ).toEqual([]);
  });
});
