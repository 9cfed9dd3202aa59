import fs from 'node:fs';
import { RecordingHealth, RecordingHold } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { RecordingHealthService } from './health.service.ts';
import { aCamera, aSegment } from './recording-test-helpers.ts';

const HOUR = 3_600_000;

// One app for both parts: a fresh database costs seconds.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('legal holds API', () => {
  async function as(role: 'inspector' | 'operator') {
    const s = await t.signIn(role);
    return { cookie: s.cookie, 'x-csrf-token': s.csrf };
  }

  it('creates with a reason, lists, releases; audited; bad input is a 400 with a message', async () => {
    const cam = await aCamera(t);
    const h = await as('inspector');
    const now = t.clock.now().getTime();
    const url = `/api/v1/cameras/${cam}/recordings/holds`;
    const created = await t.app.inject({ method: 'POST', url, headers: h, payload: { start: new Date(now - 2 * HOUR).toISOString(), end: new Date(now - HOUR).toISOString(), reason: '  Кража велосипеда, КУСП 123  ' } });
    expect(created.statusCode).toBe(201);
    const hold = RecordingHold.parse(created.json());
    expect(hold).toMatchObject({ cameraId: cam, reason: 'Кража велосипеда, КУСП 123', releasedAt: null });
    expect(hold.createdBy).not.toBe('');

    const list = await t.app.inject({ method: 'GET', url, headers: h });
    expect((list.json() as RecordingHold[]).map((x) => x.id)).toEqual([hold.id]);

    const bad = async (payload: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url, headers: h, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      return res.json() as { error: { code: string; message: string } };
    };
    const iso = (ms: number) => new Date(ms).toISOString();
    expect((await bad({ start: iso(now - HOUR), end: iso(now - 2 * HOUR), reason: 'Проверка' })).error).toMatchObject({ code: 'RECORDING_HOLD_INVALID', message: expect.stringContaining('after its start') });
    expect((await bad({ start: iso(now - 40 * 24 * HOUR), end: iso(now), reason: 'Проверка' })).error.message).toContain('31 days');
    expect((await bad({ start: iso(now + 2 * HOUR), end: iso(now + 3 * HOUR), reason: 'Проверка' })).error.message).toContain('future');
    expect((await bad({ start: iso(now - HOUR), end: iso(now), reason: ' x ' })).error.code).toBe('VALIDATION_FAILED');
    expect((await bad({ start: 'вчера', end: iso(now), reason: 'Проверка' })).error.code).toBe('VALIDATION_FAILED');

    const rel = await t.app.inject({ method: 'POST', url: `${url}/${hold.id}/release`, headers: h, payload: {} });
    expect(rel.statusCode).toBe(200);
    expect(RecordingHold.parse(rel.json()).releasedAt).not.toBeNull();
    const again = await t.app.inject({ method: 'POST', url: `${url}/${hold.id}/release`, headers: h, payload: {} });
    expect([again.statusCode, (again.json() as { error: { code: string } }).error.code]).toEqual([409, 'RECORDING_HOLD_RELEASED']);
    // A hold of another camera is not found through this one.
    const other = await aCamera(t);
    const wrong = await t.app.inject({ method: 'POST', url: `/api/v1/cameras/${other}/recordings/holds/${hold.id}/release`, headers: h, payload: {} });
    expect(wrong.statusCode).toBe(404);

    const audit = await t.env.handle.db.selectFrom('auditLog').select(['action', 'subjectId']).where('action', 'in', ['recording.hold_created', 'recording.hold_released']).execute();
    expect(audit.filter((a) => a.subjectId === cam).map((a) => a.action).sort()).toEqual(['recording.hold_created', 'recording.hold_released']);

    // The operator plays footage but cannot hold it.
    const op = await t.app.inject({ method: 'POST', url, headers: await as('operator'), payload: { start: iso(now - HOUR), end: iso(now), reason: 'Проверка' } });
    expect(op.statusCode).toBe(403);
  });
});

describe('recording health', () => {
  it('answers per camera (bytes, days held, rate, motion policy) and the disk, for monitoring roles', async () => {
    const now = t.clock.now().getTime();
    const cont = await aCamera(t, { retentionDays: 14 });
    const motion = await aCamera(t, { recordingPolicy: 'motion' });
    const off = await aCamera(t, { recordingPolicy: 'off' });
    const waiting = await aCamera(t, { recordingPolicy: 'motion' });
    const fresh = await aCamera(t);
    await aSegment(t, { cameraId: fresh, startMs: now - HOUR, bytes: 1_000_000 });
    // Two days of footage on `cont`, the last 24 h with 2 files of 1 MB.
    await aSegment(t, { cameraId: cont, startMs: now - 48 * HOUR, bytes: 3_000_000 });
    await aSegment(t, { cameraId: cont, startMs: now - 2 * HOUR, bytes: 1_000_000 });
    await aSegment(t, { cameraId: cont, startMs: now - HOUR, bytes: 1_000_000 });
    await t.env.handle.db.insertInto('recordingEvents').values({ complexId: t.complexId, cameraId: cont, at: new Date(now - 3 * HOUR), kind: 'started', reason: null }).execute();
    await t.env.handle.db.insertInto('recordingEvents').values({ complexId: t.complexId, cameraId: motion, at: new Date(now - 3 * HOUR), kind: 'stopped', reason: 'camera_offline' }).execute();
    // A camera recorded on motion, after its post-roll: waiting for motion.
    await t.env.handle.db.insertInto('recordingEvents').values({ complexId: t.complexId, cameraId: waiting, at: new Date(now - HOUR), kind: 'stopped', reason: 'motion_ended' }).execute();
    const s = await t.signIn('operator');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/recordings/health`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(res.statusCode).toBe(200);
    const health = RecordingHealth.parse(res.json());
    const byId = new Map(health.cameras.map((c) => [c.cameraId, c]));
    expect(byId.get(cont)).toMatchObject({ policy: 'continuous', recording: true, problem: null, bytes: 5_000_000, retentionDays: 14 });
    expect(byId.get(fresh)).toMatchObject({ recording: false, problem: 'camera_offline', bytes: 1_000_000 }); // no media engine in this test: the camera is not online
    expect(byId.get(cont)!.daysHeld).toBeCloseTo(2, 1);
    // 2 MB over the last 24 h: footage older than a day exists, so the gap counts (2 MB a day).
    expect(byId.get(cont)!.bytesPerDay).toBe(2_000_000);
    // A camera recording for an hour only is measured from its first file: 1 MB an hour, 24 MB a day.
    expect(byId.get(fresh)!.bytesPerDay).toBe(24_000_000);
    expect(byId.get(motion)).toMatchObject({ policy: 'motion', recording: false, problem: 'camera_offline', bytes: 0, oldest: null });
    expect(byId.get(off)).toMatchObject({ policy: 'off', recording: false, problem: null });
    expect(byId.get(waiting)).toMatchObject({ policy: 'motion', recording: false, problem: 'no_motion' });
    expect(health.disk.usedByFootageBytes).toBe(6_000_000);
    expect(health.disk.totalBytes).toBeGreaterThan(0);
    expect(health.disk.floorBytes).toBe(Math.round(health.disk.totalBytes * 0.05));
    expect(health.disk.daysAtCurrentRate).toBeGreaterThan(0);
    const partner = await t.signIn('partner');
    const refused = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/recordings/health`, headers: { cookie: partner.cookie, 'x-csrf-token': partner.csrf } });
    expect(refused.statusCode).toBe(403);
  });

  it('warns when the disk is nearly full, is critical on a full disk, names write errors, and clears on recovery', async () => {
    let free = 500_000_000;
    const service = new RecordingHealthService(t.env.handle.db, t.services.cameras, t.services.recordingEvents, t.clock, {
      enabled: true,
      root: fs.mkdtempSync(`${t.env.dataDir}/rec-`),
      quotaBytes: 400_000_000,
      freeFloor: { percent: 5 },
      statfs: async () => ({ totalBytes: 1_000_000_000, freeBytes: free }),
      cacheMs: 0,
    });
    try {
      const cam = await aCamera(t);
      expect((await service.health(t.complexId)).state).toBe('ok');
      free = 90_000_000; // under 2× the 50 MB floor
      const low = await service.health(t.complexId);
      expect(low.state).toBe('warning');
      expect(low.problems).toEqual([expect.objectContaining({ code: 'disk_low', cameraId: null, message: expect.stringContaining('nearly full') })]);
      expect(low.disk).toMatchObject({ freeBytes: 90_000_000, floorBytes: 50_000_000, quotaBytes: 400_000_000 });

      t.services.recordingEvents.emit('problem', { cameraId: cam, code: 'write_error', message: 'EIO on yard-1', at: Date.now() });
      const werr = await service.health(t.complexId);
      expect(werr.state).toBe('warning');
      expect(werr.problems.map((p) => [p.code, p.cameraId])).toContainEqual(['write_error', cam]);
      expect(werr.cameras.find((c) => c.cameraId === cam)).toMatchObject({ recording: false, problem: 'write_error' });

      t.services.recordingEvents.emit('problem', { cameraId: null, code: 'disk_full', message: 'ENOSPC', at: Date.now() });
      const full = await service.health(t.complexId);
      expect(full.state).toBe('critical');
      expect(full.cameras.find((c) => c.cameraId === cam)?.problem).toBe('disk_full');

      t.services.recordingEvents.emit('recovered', { cameraId: null, code: 'disk_full', at: Date.now() });
      t.services.recordingEvents.emit('recovered', { cameraId: cam, code: 'write_error', at: Date.now() });
      free = 500_000_000;
      expect(await service.health(t.complexId)).toMatchObject({ state: 'ok', problems: [] });
    } finally {
      service.close();
    }
  });

  it('reuses one answer for a few seconds (cheap under polling)', async () => {
    let calls = 0;
    const service = new RecordingHealthService(t.env.handle.db, t.services.cameras, t.services.recordingEvents, t.clock, {
      enabled: true,
      root: t.env.dataDir,
      quotaBytes: null,
      freeFloor: { bytes: 1000 },
      statfs: async () => (calls++, { totalBytes: 1e9, freeBytes: 5e8 }),
    });
    try {
      await Promise.all([service.health(t.complexId), service.health(t.complexId), service.health(t.complexId)]);
      await service.health(t.complexId);
      expect(calls).toBe(1);
    } finally {
      service.close();
    }
  });
});
