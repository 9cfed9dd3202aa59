import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { IncidentPartyRole } from '@kuzet/contracts';

/** The incident journal's create route: numbering, and bad references refused with a message. */
describe('incidents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const create = async (body: object) => {
    const s = await t.signIn('inspector');
    return t.app.inject({ method: 'POST', url: `/api/v1/complexes/${t.complexId}/incidents`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: body });
  };
  const role = IncidentPartyRole.options[0];

  it('numbers incidents per complex and year; a party naming an unknown resident is a 400 naming the field, and nothing is written', async () => {
    const ok = await create({ type: 'vandalism', occurredAt: new Date().toISOString(), description: 'Сломана скамейка', parties: [{ description: 'Неизвестный в капюшоне', role }] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as { number: string }).number).toMatch(/^\d{4}-\d{5}$/);
    const before = await t.env.handle.db.selectFrom('incidents').select('id').execute();
    const bad = await create({ type: 'vandalism', occurredAt: new Date().toISOString(), parties: [{ personId: crypto.randomUUID(), role }] });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(bad.body).toContain('parties.0.personId');
    expect(await t.env.handle.db.selectFrom('incidents').select('id').execute()).toHaveLength(before.length);
  });
});
