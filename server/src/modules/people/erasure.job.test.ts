import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import type { Actor } from '../auth/actor.ts';
import { ErasureJob } from './erasure.job.ts';

// Issue 9: the daily job erases archived residents whose retention period (3 years by
// default) is over — at start and then once a day — and leaves those a hold names
// (an open appeal or incident) for a later day.
describe('the daily erasure job', () => {
  let t: TestApp;
  let inspector: Actor;
  const YEAR = 365.25 * 24 * 3600_000;
  const person = async (lastName: string) =>
    t.services.people.create(inspector, t.complexId, {
      lastName,
      firstName: 'Тест',
      consent: 'law_enforcement',
      source: 'test',
      phones: [{ phone: `8 701 000 00 ${String(lastName.length).padStart(2, '0')}`, label: '' }],
      notes: '',
      residencies: [],
    });
  const exists = async (id: string) =>
    !!(await t.env.handle.db.selectFrom('persons').select('id').where('id', '=', id).executeTakeFirst());
  const keysOf = async (id: string) =>
    (await t.env.handle.db.selectFrom('searchKeys').select('key').where('entityId', '=', id).execute()).length;

  beforeAll(async () => {
    t = await createTestApp();
    inspector = {
      id: crypto.randomUUID(),
      username: 'i',
      displayName: 'i',
      role: 'inspector',
      complexId: t.complexId,
      districtId: null,
    };
  }, 120_000);
  afterAll(async () => t?.close());

  it('at start and then each interval erases what is due, respects holds and the retention period', async () => {
    const due = await person('Срокиштеков');
    const held = await person('Удержанов');
    const living = await person('Живущий');
    await t.services.people.archive(inspector, due, 'выехал');
    await t.services.people.archive(inspector, held, 'выехал');
    t.clock.advance(3 * YEAR + 24 * 3600_000);
    const recent = await person('Недавний');
    await t.services.people.archive(inspector, recent, 'выехал');
    let holding = true;
    t.services.people.addErasureHold(async (id) => (holding && id === held ? ['обращение №17 открыто'] : []));

    const logs: unknown[] = [];
    const job = new ErasureJob(
      t.services.people,
      { info: (o: unknown) => logs.push(o), warn: (o: unknown) => logs.push(o) } as never,
      { intervalMs: 200, startDelayMs: 0 },
    );
    job.start();
    try {
      // The pass at start.
      await expect.poll(() => job.passes, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      expect(await exists(due)).toBe(false);
      expect(await keysOf(due)).toBe(0);
      expect(await exists(held)).toBe(true);
      expect(await exists(recent)).toBe(true);
      expect(await exists(living)).toBe(true);
      expect(logs).toContainEqual(expect.objectContaining({ erased: 1, held: 1 }));
      // The hold closes: a later pass (the interval) erases the person it held.
      holding = false;
      const after = job.passes;
      await expect.poll(() => job.passes, { timeout: 30_000 }).toBeGreaterThan(after + 1);
      expect(await exists(held)).toBe(false);
      expect(await exists(recent)).toBe(true);
      expect(await exists(living)).toBe(true);
      const tombstones = await t.env.handle.db.selectFrom('personErasures').select('personId').execute();
      expect(tombstones.map((x) => x.personId).sort()).toEqual([due, held].sort());
    } finally {
      await job.stop();
    }
    // Stopped: no more passes.
    const n = job.passes;
    await new Promise((r) => setTimeout(r, 600));
    expect(job.passes).toBe(n);
  }, 120_000);

  it('a failing pass is logged and does not stop the schedule', async () => {
    const logs: unknown[] = [];
    let calls = 0;
    const failing = {
      eraseDue: async () => {
        calls++;
        throw new Error('database away');
      },
    } as never;
    const job = new ErasureJob(
      failing,
      { info: (o: unknown) => logs.push(o), warn: (o: unknown) => logs.push(o) } as never,
      { intervalMs: 50, startDelayMs: 0 },
    );
    job.start();
    await expect.poll(() => calls, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await job.stop();
    expect(logs.length).toBeGreaterThanOrEqual(2);
  });
});
