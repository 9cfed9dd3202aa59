import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { defaultShedLimits, LoadShedder, priorityOf } from './load-shedder.ts';

/**
 * Load shedding: over its class's limit, the lowest-priority work gets 503 OVERLOADED
 * in the project's error format with Retry-After; sign-in, the session and live video
 * are never refused. Driven by a tiny configured limit whose slots the test holds.
 */
describe('load shedding', { timeout: 120_000 }, () => {
  const shedder = new LoadShedder({ ...defaultShedLimits, normal: { concurrency: 1, queue: 0 }, low: { concurrency: 1, queue: 0 } }, () => 0);
  let t: TestApp;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ shedder });
    const admin = await t.signIn('admin');
    headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
  });
  afterAll(async () => t?.close());

  it('classifies reports as low, sign-in, the session, health and live video as never refused', () => {
    expect(priorityOf('GET', '/api/v1/audit')).toBe('low');
    expect(priorityOf('GET', '/api/v1/complexes/:complexId/cameras/uptime')).toBe('low');
    expect(priorityOf('GET', '/api/v1/complexes/:complexId/cameras')).toBe('normal');
    expect(priorityOf('POST', '/api/v1/auth/login')).toBe('exempt');
    expect(priorityOf('GET', '/api/v1/auth/session')).toBe('exempt');
    expect(priorityOf('GET', '/api/v1/cameras/:cameraId/live')).toBe('exempt');
    expect(priorityOf('GET', '/api/v1/live')).toBe('exempt'); // the wall's WebSocket
    expect(priorityOf('GET', '/api/health')).toBe('exempt');
    expect(priorityOf('GET', undefined)).toBe('exempt');
  });

  it('refuses a low-priority request over the limit with 503, the error body and Retry-After; others still pass', async () => {
    const release = await shedder.enter('low'); // the one low slot is busy
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=10', headers });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      const body = res.json() as { error: { code: string; message: string; details: unknown }; requestId: string };
      expect(body.error).toEqual({ code: 'OVERLOADED', message: expect.stringContaining('busy') as unknown, details: { retryAfterSeconds: 1, reason: 'queue_full' } });
      expect(body.requestId).toBeTruthy();
      const uptime = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras/uptime`, headers });
      expect(uptime.statusCode).toBe(503);
      // Normal work has its own slots; sign-in and the session are never refused.
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras`, headers })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers })).statusCode).toBe(200);
    } finally {
      release();
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=10', headers })).statusCode).toBe(200);
    expect(shedder.stats().refused.low).toBe(2);
    expect(shedder.stats().active).toEqual({ normal: 0, low: 0 });
  });

  it('when every slot is busy, sign-in and the live stream description still answer', async () => {
    const releases = [await shedder.enter('normal'), await shedder.enter('low')];
    try {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras`, headers })).statusCode).toBe(503);
      const login = await t.login('operator', 'test-password-123');
      expect(login.statusCode).toBe(200);
      const camera = await t.services.cameras.create(null, t.complexId, {
        name: 'shed', type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: 'rtsp://127.0.0.1:9/x', subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 7, enabled: false,
      });
      const live = await t.app.inject({ method: 'GET', url: `/api/v1/cameras/${camera.id}/live`, headers });
      expect(live.statusCode).toBe(200);
    } finally {
      for (const r of releases) r();
    }
  });

  it('queues within the limit, refuses a waiter that waited too long, and sheds low work on a slow event loop', async () => {
    let delay = 0;
    const s = new LoadShedder({ ...defaultShedLimits, normal: { concurrency: 1, queue: 1 }, low: { concurrency: 4, queue: 4 }, maxWaitMs: 50 }, () => delay);
    const first = await s.enter('normal');
    const waiting = s.enter('normal');
    await expect(s.enter('normal')).rejects.toMatchObject({ code: 'OVERLOADED', details: { reason: 'queue_full' } });
    first();
    const second = await waiting; // handed the slot the first gave back
    const late = s.enter('normal');
    await expect(late).rejects.toMatchObject({ code: 'OVERLOADED', details: { reason: 'wait_too_long' } });
    second();
    delay = 500;
    await expect(s.enter('low')).rejects.toMatchObject({ code: 'OVERLOADED', details: { reason: 'event_loop_delay' } });
    (await s.enter('normal'))();
    expect(s.stats().active).toEqual({ normal: 0, low: 0 });
  });
});
