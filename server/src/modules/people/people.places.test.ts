import type { Role } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

// Issue 9: premises, the management company (ОСИ/КСК) and caretakers are edited through the
// API (validated, audited, limited to people.edit), and the search follows a premise's change.
describe('editing premises, the management company and caretakers', () => {
  let t: TestApp;
  const call = async (role: Role, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    const s = await t.signIn(role);
    return t.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });
  };
  const base = () => `/api/v1/complexes/${t.complexId}`;
  const auditOf = (action: string, subjectId: string) =>
    t.env.handle.db.selectFrom('auditLog as l').leftJoin('auditDetails as d', 'd.seq', 'l.seq').select(['l.actorId', 'd.details']).where('l.action', '=', action).where('l.subjectId', '=', subjectId).execute();
  let premiseId: string;
  let buildingId: string;

  beforeAll(async () => {
    t = await createTestApp();
    buildingId = (await t.services.site.sitePlan(t.complexId)).buildings[0]!.id;
    const r = await call('inspector', 'POST', `${base()}/premises`, { name: 'Кофейня «Таңғы»', kind: 'cafe', phone: '8 727 300 11 22' });
    expect(r.statusCode, r.body).toBe(201);
    premiseId = (r.json() as { id: string }).id;
  }, 120_000);
  afterAll(async () => t?.close());

  it('a premise: contacts, hours and alarm details change; phone normalised; the search follows the new name; audited by field', async () => {
    const r = await call('inspector', 'PATCH', `${base()}/premises/${premiseId}`, {
      name: 'Кофейня «Кешкі»',
      phone: '+7 (727) 300-99-88',
      hours: '08:00–23:00',
      alarmDetails: 'Пульт ЧОП «Қалқан», тревожная кнопка у кассы',
      buildingId,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ name: 'Кофейня «Кешкі»', phone: '77273009988', hours: '08:00–23:00', kind: 'cafe', buildingId });
    const list = (await call('operator', 'GET', `${base()}/premises`)).json() as { items: { id: string; alarmDetails: string }[] };
    expect(list.items.find((p) => p.id === premiseId)?.alarmDetails).toContain('Қалқан');
    const inspector = { id: crypto.randomUUID(), username: 'i', displayName: 'i', role: 'inspector' as const, complexId: t.complexId, districtId: null };
    const hits = (q: string) => t.services.peopleSearch.search(inspector, t.complexId, { q, limit: 5, submitted: 'false' });
    expect((await hits('Кешкі'))[0]?.id).toBe(premiseId);
    expect((await hits('Таңғы')).map((h) => h.id)).not.toContain(premiseId);
    expect((await hits('87273009988')).map((h) => h.id)).toContain(premiseId);
    const audit = await auditOf('premise.updated', premiseId);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ fields: ['alarmDetails', 'buildingId', 'hours', 'name', 'phone'] });
    // Clearing: phone null, building null.
    const c = await call('admin', 'PATCH', `${base()}/premises/${premiseId}`, { phone: null, buildingId: null });
    expect(c.json()).toMatchObject({ phone: null, buildingId: null, name: 'Кофейня «Кешкі»' });
  });

  it('refuses bad input with a code a person can act on, and other roles', async () => {
    const bad = async (payload: object, status: number, code: string) => {
      const r = await call('inspector', 'PATCH', `${base()}/premises/${premiseId}`, payload);
      expect([r.statusCode, (r.json() as { error: { code: string } }).error.code], r.body).toEqual([status, code]);
    };
    await bad({ phone: '12345' }, 400, 'PHONE_INVALID');
    await bad({ buildingId: crypto.randomUUID() }, 404, 'BUILDING_NOT_FOUND');
    await bad({ kind: 'casino' }, 400, 'VALIDATION_FAILED');
    await bad({ name: '' }, 400, 'VALIDATION_FAILED');
    const missing = await call('inspector', 'PATCH', `${base()}/premises/${crypto.randomUUID()}`, { hours: '1' });
    expect(missing.statusCode).toBe(404);
    for (const role of ['operator', 'partner', 'resident'] as const) {
      expect((await call(role, 'PATCH', `${base()}/premises/${premiseId}`, { hours: 'x' })).statusCode, role).toBe(403);
      expect((await call(role, 'POST', `${base()}/management/caretakers`, { name: 'X' })).statusCode, role).toBe(403);
    }
  });

  it('the ОСИ/КСК and its caretakers: add, change, remove; validated and audited', async () => {
    const add = await call('inspector', 'POST', `${base()}/management/companies`, { kind: 'ksk', name: 'КСК «Береке»', phone: '8 727 311 22 33', email: 'bereke@example.kz' });
    expect(add.statusCode, add.body).toBe(201);
    const company = add.json() as { id: string; phone: string };
    expect(company.phone).toBe('77273112233');
    expect((await call('inspector', 'POST', `${base()}/management/companies`, { kind: 'osi', name: 'ОСИ', email: 'not an email' })).statusCode).toBe(400);
    const upd = await call('district_chief', 'PATCH', `${base()}/management/companies/${company.id}`, { kind: 'osi', address: 'ул. Жандосова, 1' });
    expect(upd.json()).toMatchObject({ kind: 'osi', address: 'ул. Жандосова, 1', name: 'КСК «Береке»' });

    const ct = await call('inspector', 'POST', `${base()}/management/caretakers`, { name: 'Серик Ахметов', position: 'смотритель', phone: '8 701 555 44 33', managementCompanyId: company.id, buildingId });
    expect(ct.statusCode, ct.body).toBe(201);
    const caretaker = ct.json() as { id: string };
    const wrongCompany = await call('inspector', 'POST', `${base()}/management/caretakers`, { name: 'Другой', managementCompanyId: crypto.randomUUID() });
    expect([wrongCompany.statusCode, (wrongCompany.json() as { error: { code: string } }).error.code]).toEqual([404, 'MANAGEMENT_COMPANY_NOT_FOUND']);
    const ch = await call('inspector', 'PATCH', `${base()}/management/caretakers/${caretaker.id}`, { position: 'старший смотритель', phone: null });
    expect(ch.json()).toMatchObject({ position: 'старший смотритель', phone: null, managementCompanyId: company.id, buildingId });

    const m = (await call('operator', 'GET', `${base()}/management`)).json() as { companies: { id: string }[]; caretakers: { id: string }[] };
    expect(m.companies.map((c) => c.id)).toContain(company.id);
    expect(m.caretakers.map((c) => c.id)).toContain(caretaker.id);

    expect((await call('inspector', 'DELETE', `${base()}/management/caretakers/${caretaker.id}`)).statusCode).toBe(200);
    expect((await call('inspector', 'DELETE', `${base()}/management/caretakers/${caretaker.id}`)).statusCode).toBe(404);
    for (const [action, id] of [['management_company.created', company.id], ['management_company.updated', company.id], ['caretaker.created', caretaker.id], ['caretaker.updated', caretaker.id], ['caretaker.deleted', caretaker.id]] as const) {
      expect(await auditOf(action, id), action).toHaveLength(1);
    }
    expect((await auditOf('caretaker.updated', caretaker.id))[0]!.details).toEqual({ fields: ['phone', 'position'] });
  });
});
