import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import type { Actor } from '../auth/actor.ts';
import { DEMO_PREVENTION_RECORDS, DemoService } from './demo.service.ts';

// Issue 9's demo: the demo complex's preventive registry is not empty — a few residents
// are on it, answered for by the demo inspector, with a check-in due today and overdue ones.
describe('the demo preventive registry', () => {
  let t: TestApp;
  let inspector: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    const row = (await t.services.users.findRowByUsername('inspector'))!;
    inspector = { id: row.id, username: row.username, displayName: row.displayName, role: 'inspector', complexId: t.complexId, districtId: null };
    // As `kuzet demo` does: residents, then the registry (once).
    await new DemoService(t.env.handle.db, t.services).seed('demo-password-1', null, 600);
  }, 180_000);
  afterAll(async () => t?.close());

  it('has records of adult residents in force, some due today or overdue in the inspector day list', async () => {
    const list = await t.services.prevention.list(inspector, t.complexId);
    expect(list.items).toHaveLength(DEMO_PREVENTION_RECORDS);
    expect(new Set(list.items.map((r) => r.personId)).size).toBe(DEMO_PREVENTION_RECORDS);
    const day = await t.services.prevention.dayList(inspector, t.complexId, undefined);
    expect(day.items.some((r) => r.nextDueOn === day.today)).toBe(true);
    expect(day.items.some((r) => r.nextDueOn < day.today)).toBe(true);
    expect(day.items.length).toBeLessThan(DEMO_PREVENTION_RECORDS);
    // Seeding again adds nothing.
    await new DemoService(t.env.handle.db, t.services).seed('demo-password-1', null, 600);
    expect((await t.services.prevention.list(inspector, t.complexId)).items).toHaveLength(DEMO_PREVENTION_RECORDS);
  });
});
