import type { DetectionZone } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../../testing/test-app.ts';
import { aTestCamera } from '../../testing/cameras.ts';

const aCamera = (t: TestApp) => aTestCamera(t);

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

const square = [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]];

describe('detection zones: validation, storage, the detector hears every change', () => {
  let t: TestApp;
  let inspector: SignedIn;
  const pushed: { cameraId: string; enabled: boolean; zones: DetectionZone[] }[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    inspector = await t.signIn('inspector');
    await t.services.zones.useDetector({ setCameraConfig: (cameraId, c) => pushed.push({ cameraId, ...c }) });
  });
  afterAll(async () => t?.close());

  const put = (cameraId: string, body: unknown, who = inspector) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/cameras/${cameraId}/zones`, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, payload: body as object });

  it('refuses bad polygons, schedules and names with a message for each', async () => {
    const cameraId = await aCamera(t);
    const cases: [string, unknown, RegExp][] = [
      ['two points', { zones: [{ name: 'A', polygon: [[0.1, 0.1], [0.5, 0.5]] }] }, /at least 3 points/],
      ['outside 0..1', { zones: [{ name: 'A', polygon: [[0.1, 0.1], [1.5, 0.1], [0.5, 0.8]] }] }, /less than or equal to 1|<=1|too big/i],
      ['a bow tie', { zones: [{ name: 'A', polygon: [[0.1, 0.1], [0.9, 0.9], [0.9, 0.1], [0.1, 0.9]] }] }, /cross/],
      ['no area', { zones: [{ name: 'A', polygon: [[0.1, 0.1], [0.5, 0.5], [0.9, 0.9]] }] }, /no area/],
      ['a repeated point', { zones: [{ name: 'A', polygon: [[0.1, 0.1], [0.1, 0.1], [0.9, 0.9], [0.1, 0.9]] }] }, /same point/],
      ['a bad time', { zones: [{ name: 'A', polygon: square, schedule: { kind: 'window', from: '25:00', to: '06:00' } }] }, /HH:MM/],
      ['an empty window', { zones: [{ name: 'A', polygon: square, schedule: { kind: 'window', from: '06:00', to: '06:00' } }] }, /same time/],
      ['a day 8', { zones: [{ name: 'A', polygon: square, schedule: { kind: 'window', from: '23:00', to: '06:00', days: [8] } }] }, /less than or equal to 7|<=7|too big/i],
      ['no name', { zones: [{ name: '  ', polygon: square }] }, /Name the zone/],
      ['a name twice', { zones: [{ name: 'Площадка', polygon: square }, { name: 'площадка', polygon: square }] }, /used twice/],
      ['sensitivity 11', { zones: [{ name: 'A', polygon: square, sensitivity: 11 }] }, /10/],
    ];
    for (const [name, body, message] of cases) {
      const res = await put(cameraId, body);
      expect(res.statusCode, name).toBe(400);
      const err = res.json() as { error: { code: string; message: string; details?: unknown } };
      expect(err.error.code, name).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(err.error), name).toMatch(message);
    }
    expect((await t.services.zones.get(cameraId)).zones).toEqual([]);
  });

  it('stores the list with defaults, keeps ids given back, audits, and pushes it to the detector', async () => {
    const cameraId = await aCamera(t);
    pushed.length = 0;
    const res = await put(cameraId, {
      enabled: true,
      zones: [
        { name: 'Площадка', polygon: square, schedule: { kind: 'window', from: '23:00', to: '06:00' } },
        { name: 'Штамп', kind: 'exclude', polygon: [[0, 0], [0.55, 0], [0.55, 0.08], [0, 0.08]] },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { enabled: boolean; zones: DetectionZone[] };
    expect(body.zones.map((z) => [z.name, z.kind, z.sensitivity, z.minObjectSize, z.cooldownSeconds, z.enabled])).toEqual([
      ['Площадка', 'include', 5, 0.004, 30, true],
      ['Штамп', 'exclude', 5, 0.004, 30, true],
    ]);
    expect(body.zones[0]!.schedule).toEqual({ kind: 'window', from: '23:00', to: '06:00', days: [1, 2, 3, 4, 5, 6, 7] });
    expect(pushed.at(-1)).toMatchObject({ cameraId, enabled: true });
    expect(pushed.at(-1)!.zones.map((z) => z.name)).toEqual(['Площадка', 'Штамп']);

    // The playground keeps its id (events refer to it); the mask goes; motion detection off.
    const keep = body.zones[0]!;
    const res2 = await put(cameraId, { enabled: false, zones: [{ id: keep.id, name: 'Площадка ночью', polygon: keep.polygon, schedule: keep.schedule }] });
    expect(res2.statusCode, res2.body).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/cameras/${cameraId}/zones`, headers: { cookie: (await t.signIn('operator')).cookie } });
    expect(after.statusCode).toBe(200);
    const got = after.json() as { enabled: boolean; zones: DetectionZone[] };
    expect(got.enabled).toBe(false);
    expect(got.zones.map((z) => [z.id, z.name])).toEqual([[keep.id, 'Площадка ночью']]);
    expect(got.zones[0]!.createdAt).toBe(keep.createdAt);
    expect(pushed.at(-1)).toMatchObject({ cameraId, enabled: false });

    const audit = await t.env.handle.db.selectFrom('auditLog').selectAll().where('action', '=', 'detection.zones_updated').where('subjectId', '=', cameraId).execute();
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actorId === inspector.userId)).toBe(true);
  });

  it('a camera added or removed in the registry: the detector hears it', async () => {
    pushed.length = 0;
    const cameraId = await aCamera(t);
    await waitFor(() => pushed.some((p) => p.cameraId === cameraId));
    expect(pushed.find((p) => p.cameraId === cameraId)).toEqual({ cameraId, enabled: true, zones: [] });
    const admin = (await t.services.users.findRowByUsername('admin'))!;
    await t.services.cameras.remove({ id: admin.id, username: admin.username, displayName: admin.displayName, role: 'admin', complexId: null, districtId: admin.districtId }, cameraId);
    await waitFor(() => pushed.filter((p) => p.cameraId === cameraId).length >= 2);
    expect(pushed.filter((p) => p.cameraId === cameraId).at(-1)).toEqual({ cameraId, enabled: false, zones: [] });
  });

  it('an operator may look but not change', async () => {
    const cameraId = await aCamera(t);
    const operator = await t.signIn('operator');
    expect((await put(cameraId, { zones: [] }, operator)).statusCode).toBe(403);
  });
});
