import type { Role } from '@kuzet/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

// Acceptance 3 of issue 9: roles, masked IIN for the operator, audited reads and searches,
// erasure that leaves no trace in any table or search key while the audit chain verifies.
const IIN = '760212350620';
const PHONE = '77779098070';
const LAST = 'Қуанышбеков';
const PLATE = '505 QWE 02';

describe('privacy of residents', () => {
  let t: TestApp;
  let personId: string;
  let apartmentId: string;
  const call = async (role: Role, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const s = await t.signIn(role);
    return t.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });
  };
  const searchUrl = (q: string, submitted = false) => `/api/v1/complexes/${t.complexId}/people/search?q=${encodeURIComponent(q)}&submitted=${submitted}`;
  const auditRows = (action: string) => t.env.handle.db.selectFrom('auditLog as l').leftJoin('auditDetails as d', 'd.seq', 'l.seq').select(['l.seq', 'l.actorId', 'l.subjectId', 'd.details']).where('l.action', '=', action).orderBy('l.seq').execute();

  beforeAll(async () => {
    t = await createTestApp();
    const b = (await t.services.site.sitePlan(t.complexId)).buildings[0]!;
    apartmentId = (await t.services.site.apartments(b.id, { limit: 1, offset: 0 })).items[0]!.id;
    const res = await call('inspector', 'POST', `/api/v1/complexes/${t.complexId}/people`, {
      lastName: LAST, firstName: 'Ғалымжан', patronymic: 'Серікұлы', iin: IIN, phones: [{ phone: '8 (777) 909-80-70', label: 'мобильный' }],
      consent: 'law_enforcement', source: 'приём граждан', residencies: [{ apartmentId, relation: 'owner', movedIn: '2019-05-01' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    personId = (res.json() as { id: string }).id;
    const v = await call('inspector', 'POST', `/api/v1/complexes/${t.complexId}/vehicles`, { plate: PLATE, make: 'Toyota', model: 'Camry', ownerPersonId: personId });
    expect(v.statusCode, v.body).toBe(201);
  }, 120_000);
  afterAll(async () => t?.close());

  it('derives birth date and sex from the IIN for the inspector', async () => {
    const card = (await call('inspector', 'GET', `/api/v1/people/${personId}?reason=${encodeURIComponent('проверка')}`)).json() as Record<string, unknown>;
    expect(card).toMatchObject({ iin: IIN, iinMasked: false, birthDate: '1976-02-12', sex: 'male' });
    expect((card.phones as { phone: string }[])[0]!.phone).toBe(PHONE);
  });

  it('masks the IIN in every operator response: card, list, search, apartment card', async () => {
    const responses = [
      await call('operator', 'GET', `/api/v1/people/${personId}`),
      await call('operator', 'GET', `/api/v1/complexes/${t.complexId}/people`),
      await call('operator', 'GET', searchUrl(LAST)),
      await call('operator', 'GET', searchUrl('Kuanyshbekov', true)),
      await call('operator', 'GET', searchUrl(PLATE)),
      await call('operator', 'GET', `/api/v1/apartments/${apartmentId}/card`),
    ];
    for (const r of responses) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).not.toContain(IIN);
      // Birth date is the IIN's first six digits: not shown either.
      expect(r.body).not.toContain('1976-02-12');
    }
    expect(responses[0]!.json()).toMatchObject({ iin: '76••••••••20', iinMasked: true, birthDate: null, sex: null, lastName: LAST });
    expect(responses[2]!.body).toContain('76••••••••20');
  });

  it('refuses the operator a search by IIN; a prefix finds nobody', async () => {
    const r = await call('operator', 'GET', searchUrl(IIN));
    expect([r.statusCode, r.json().error.code]).toEqual([403, 'IIN_SEARCH_FORBIDDEN']);
    const spaced = await call('operator', 'GET', searchUrl('760212 350620'));
    expect(spaced.statusCode).toBe(403);
    const prefix = await call('operator', 'GET', searchUrl(IIN.slice(0, 8)));
    expect((prefix.json() as { items: unknown[] }).items).toEqual([]);
    // Submitted: the IIN is now in the audit details, which erasure must clear.
    const inspector = await call('inspector', 'GET', searchUrl(IIN, true));
    expect((inspector.json() as { items: { personId: string }[] }).items[0]?.personId).toBe(personId);
  });

  it('partner and resident see none of it', async () => {
    for (const role of ['partner', 'resident'] as const) {
      for (const url of [`/api/v1/people/${personId}`, searchUrl(LAST), `/api/v1/complexes/${t.complexId}/people`, `/api/v1/apartments/${apartmentId}/card`]) {
        expect((await call(role, 'GET', url)).statusCode).toBe(403);
      }
    }
  });

  it('audits every card view with its reason and every submitted search, not keystrokes', async () => {
    const viewsBefore = (await auditRows('person.viewed')).length;
    const searchesBefore = (await auditRows('person.searched')).length;
    await call('operator', 'GET', `/api/v1/people/${personId}?reason=${encodeURIComponent('звонок 102')}`);
    for (const q of ['К', 'Ку', 'Куа', 'Куан']) await call('operator', 'GET', searchUrl(q));
    await call('inspector', 'GET', searchUrl(LAST, true));
    await call('operator', 'GET', `${searchUrl('Куаныш', true)}&reason=${encodeURIComponent('заявление о шуме')}`);
    const views = await auditRows('person.viewed');
    const searches = await auditRows('person.searched');
    expect(views.length).toBe(viewsBefore + 1);
    expect(views.at(-1)).toMatchObject({ subjectId: personId, details: { reason: 'звонок 102' } });
    expect(searches.length).toBe(searchesBefore + 2);
    const d = searches.at(-1)!.details as { q: string; reason: string; found: string[] };
    expect(d).toMatchObject({ q: 'Куаныш', reason: 'заявление о шуме' });
    expect(d.found).toContain(`person:${personId}`);
  });

  it('erases an archived person only after the retention period and any open case, then leaves no trace', async () => {
    expect((await call('inspector', 'POST', `/api/v1/people/${personId}/erase`, { reason: 'срок' })).json().error.code).toBe('PERSON_NOT_ARCHIVED');
    expect((await call('inspector', 'POST', `/api/v1/people/${personId}/archive`, { reason: 'выехал' })).statusCode).toBe(200);
    const early = await call('inspector', 'POST', `/api/v1/people/${personId}/erase`, { reason: 'срок' });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'ERASURE_TOO_EARLY']);
    // Three years pass (archived date moved back rather than the clock: sessions would expire).
    await t.services.people.repo.setArchived(personId, new Date(t.clock.now().getTime() - 3 * 366 * 86_400_000), 'выехал');
    let open = true;
    t.services.people.addErasureHold(async (id) => (id === personId && open ? ['appeal 2026-0042'] : []));
    const held = await call('inspector', 'POST', `/api/v1/people/${personId}/erase`, { reason: 'срок' });
    expect([held.statusCode, held.json().error.code]).toEqual([409, 'ERASURE_HELD']);
    open = false;
    const ok = await call('inspector', 'POST', `/api/v1/people/${personId}/erase`, { reason: 'срок хранения истёк' });
    expect(ok.statusCode, ok.body).toBe(200);

    // Found by no search.
    for (const q of [LAST, 'Kuanyshbekov Galymzhan', 'Куанышбеко', IIN, '8 777 909 80 70', PLATE]) {
      const r = (await call('inspector', 'GET', searchUrl(q))).json() as { items: { personId: string | null; title: string }[] };
      expect(r.items.filter((h) => h.personId === personId || h.title.includes(LAST)), q).toEqual([]);
    }
    expect((await call('inspector', 'GET', `/api/v1/people/${personId}`)).statusCode).toBe(404);

    // A scan of every table (search keys and audit details included) finds none of name, IIN or phone.
    const db = t.env.handle.db;
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['persons', 'search_keys', 'search_terms', 'audit_details', 'vehicles']));
    for (const { name: table_name } of tables.rows) {
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(db);
      for (const needle of [LAST, 'Ғалымжан', IIN, PHONE, '909 80 70', '505QWE02', 'kuanishbekov']) {
        expect(rows.rows.filter((r) => r.row.includes(needle)), `${table_name} holds ${needle}`).toEqual([]);
      }
    }
    // The audit log still verifies; its chained rows keep only the person's id.
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
    expect((await auditRows('person.erased')).at(-1)).toMatchObject({ subjectId: personId });
  });
});
