import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';

describe('camera registry', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof freshSession>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await freshSession(t, 'admin');
  });
  afterAll(async () => t?.close());
  const h = () => ({ cookie: admin.cookie, 'x-csrf-token': admin.csrf });

  it('stores credentials but never returns them, and strips them from addresses', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/complexes/${t.complexId}/cameras`,
      headers: h(),
      payload: { name: 'Подъезд 1', type: 'entrance', mainUrl: 'rtsp://admin:S3cr%40t-pass@10.1.1.5:554/Streaming/101', subUrl: 'rtsp://10.1.1.5:554/Streaming/102', enabled: false },
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain('S3cr');
    expect(res.body).not.toContain('admin:');
    const cam = res.json() as { id: string; mainUrl: string; hasCredentials: boolean };
    expect(cam.mainUrl).toBe('rtsp://10.1.1.5:554/Streaming/101');
    expect(cam.hasCredentials).toBe(true);
    const conn = await t.services.cameras.connection(cam.id);
    expect(conn).toBeNull(); // disabled: the media engine does not connect
    await t.services.cameras.update({ id: admin.userId, username: admin.username, displayName: '', role: 'admin', complexId: null, districtId: null }, cam.id, { enabled: true });
    const enabled = await t.services.cameras.connection(cam.id);
    expect(enabled?.streams[0]?.url).toBe('rtsp://admin:S3cr%40t-pass@10.1.1.5:554/Streaming/101');
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras`, headers: h() });
    expect(list.body).not.toContain('S3cr');
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=50', headers: h() });
    expect(audit.body).not.toContain('S3cr');
  });

  it('refuses references outside the complex and positions off the plan', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/complexes/${t.complexId}/cameras`,
      headers: h(),
      payload: { name: 'Х', type: 'yard', mainUrl: 'rtsp://h/x', buildingId: crypto.randomUUID() },
    });
    expect(res.json()).toMatchObject({ error: { code: 'CAMERA_REF_INVALID', details: { field: 'buildingId' } } });
    const off = await t.app.inject({
      method: 'POST',
      url: `/api/v1/complexes/${t.complexId}/cameras`,
      headers: h(),
      payload: { name: 'Х', type: 'yard', mainUrl: 'rtsp://h/x', position: [10_000, 5] },
    });
    expect(off.json()).toMatchObject({ error: { code: 'CAMERA_POSITION_OUTSIDE' } });
    const badUrl = await t.app.inject({ method: 'POST', url: `/api/v1/complexes/${t.complexId}/cameras`, headers: h(), payload: { name: 'Х', type: 'yard', mainUrl: 'http://h/x' } });
    expect(badUrl.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('imports CSV with a per-row report; bad rows name their line and field, good rows are created', async () => {
    const csv = [
      'name;type;main_url;sub_url;username;password;building;entrance;zone;x;y;direction;fov;recording;retention_days;enabled',
      'Блок 1, подъезд 2;entrance;rtsp://10.0.0.2/main;rtsp://10.0.0.2/sub;view;pw-1;Блок 1;2;;60;56;180;90;continuous;30;нет',
      'Двор север;yard;rtsp://10.0.0.3/main;;;;;;Северный двор;150;100;90;100;motion;90;false',
      'Без адреса;yard;;;;;;;;;;;;;;',
      'Неизвестный блок;yard;rtsp://10.0.0.4/main;;;;Блок 99;;;;;;;;;',
      'Плохой тип;sauna;rtsp://10.0.0.5/main;;;;;;;;;;;;;',
    ].join('\n');
    const dry = await t.app.inject({ method: 'POST', url: `/api/v1/complexes/${t.complexId}/cameras/import`, headers: h(), payload: { csv, dryRun: true } });
    expect(dry.json()).toMatchObject({ created: 0, failed: 3, dryRun: true });
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/complexes/${t.complexId}/cameras/import`, headers: h(), payload: { csv } });
    const report = res.json() as { created: number; failed: number; rows: { line: number; ok: boolean; errors: { field: string }[] }[] };
    expect(report.created).toBe(2);
    expect(report.failed).toBe(3);
    expect(report.rows.map((r) => [r.line, r.ok])).toEqual([[2, true], [3, true], [4, false], [5, false], [6, false]]);
    expect(report.rows[2]!.errors.map((e) => e.field)).toContain('main_url');
    expect(report.rows[3]!.errors.map((e) => e.field)).toContain('building');
    expect(report.rows[4]!.errors.map((e) => e.field)).toContain('type');
    expect(res.body).not.toContain('pw-1');
    const list = await t.services.cameras.list(t.complexId, { q: 'подъезд 2', limit: 10, offset: 0 });
    expect(list.items[0]).toMatchObject({ name: 'Блок 1, подъезд 2', hasCredentials: true, enabled: false, subUrl: 'rtsp://10.0.0.2/sub' });
    expect(list.items[0]!.entranceId).not.toBeNull();
    const missing = await t.app.inject({ method: 'POST', url: `/api/v1/complexes/${t.complexId}/cameras/import`, headers: h(), payload: { csv: 'a,b\n1,2' } });
    expect(missing.json()).toMatchObject({ error: { code: 'CSV_INVALID' } });
  });

  it('gives a partner video only through an explicit, expiring grant, and audits it', async () => {
    const cam = await t.services.cameras.create(null, t.complexId, { name: 'Лифт', type: 'lift', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null, mainUrl: 'rtsp://h/l', subUrl: null, username: null, password: null, recordingPolicy: 'off', retentionDays: 30, enabled: false });
    const partner = (await t.services.users.findRowByUsername('partner'))!;
    const pActor = { id: partner.id, username: 'partner', displayName: '', role: 'partner' as const, complexId: t.complexId, districtId: null };
    expect(await t.services.cameraGrants.canViewVideo(pActor, cam.id)).toBe(false);
    const tooLong = await t.app.inject({ method: 'POST', url: `/api/v1/cameras/${cam.id}/grants`, headers: h(), payload: { userId: partner.id, reason: 'Ремонт', expiresAt: new Date(t.clock.now().getTime() + 40 * 86_400_000).toISOString() } });
    expect(tooLong.json()).toMatchObject({ error: { code: 'GRANT_EXPIRY_INVALID' } });
    const notPartner = await t.app.inject({ method: 'POST', url: `/api/v1/cameras/${cam.id}/grants`, headers: h(), payload: { userId: admin.userId, reason: 'Ремонт', expiresAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() } });
    expect(notPartner.json()).toMatchObject({ error: { code: 'GRANT_NOT_PARTNER' } });
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/cameras/${cam.id}/grants`, headers: h(), payload: { userId: partner.id, reason: 'Ремонт', expiresAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() } });
    expect(ok.statusCode).toBe(201);
    expect(await t.services.cameraGrants.canViewVideo(pActor, cam.id)).toBe(true);
    t.clock.advance(3601_000);
    expect(await t.services.cameraGrants.canViewVideo(pActor, cam.id)).toBe(false);
    const audit = await t.services.audit.list({ limit: 10, offset: 0, action: 'camera.grant_created' }, null);
    expect(audit.items[0]).toMatchObject({ subjectId: cam.id });
  });

  it('computes uptime per Almaty day from the status history', async () => {
    const cam = await t.services.cameras.create(null, t.complexId, { name: 'Периметр', type: 'perimeter', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null, mainUrl: 'rtsp://h/p', subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true });
    t.clock.advance(120_000);
    const now = t.clock.now().getTime();
    await t.services.cameraHistory.record([
      { complexId: t.complexId, cameraId: cam.id, stream: 'main', state: 'online', reason: null, at: new Date(now - 60_000) },
      { complexId: t.complexId, cameraId: cam.id, stream: 'main', state: 'offline', reason: 'timeout', at: new Date(now - 30_000) },
    ]);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras/uptime?days=2`, headers: h() });
    const body = res.json() as { days: string[]; cameras: { cameraId: string; uptime: (number | null)[] }[] };
    const row = body.cameras.find((c) => c.cameraId === cam.id)!;
    expect(body.days).toHaveLength(2);
    expect(row.uptime[0]).toBeNull(); // the camera did not exist yesterday
    expect(row.uptime[1]).toBeGreaterThan(0);
    expect(row.uptime[1]).toBeLessThan(1);
    const hist = await t.app.inject({ method: 'GET', url: `/api/v1/cameras/${cam.id}/status-history`, headers: h() });
    expect((hist.json() as { items: { state: string; reason: string | null }[] }).items.map((i) => [i.state, i.reason])).toEqual([['online', null], ['offline', 'timeout']]);
  });
});

describe('camera transport setting', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof freshSession>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await freshSession(t, 'admin');
  });
  afterAll(async () => t?.close());
  const h = () => ({ cookie: admin.cookie, 'x-csrf-token': admin.csrf });
  const base = () => `/api/v1/complexes/${t.complexId}/cameras`;

  it('defaults to auto, can be set to tcp or udp, reaches the media engine, and refuses anything else', async () => {
    const created = await t.app.inject({ method: 'POST', url: base(), headers: h(), payload: { name: 'UDP-only encoder', type: 'yard', mainUrl: 'rtsp://10.2.0.9/live' } });
    const cam = created.json() as { id: string; transport: string; status: { transport: string | null }[] };
    expect(cam.transport).toBe('auto');
    expect(cam.status[0]?.transport).toBeNull(); // not playing
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/cameras/${cam.id}`, headers: h(), payload: { transport: 'udp' } });
    expect(patched.json()).toMatchObject({ transport: 'udp' });
    expect((await t.services.cameras.connection(cam.id))?.streams[0]?.transport).toBe('udp');
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/cameras/${cam.id}`, headers: h(), payload: { transport: 'sctp' } });
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('CSV import reads an optional transport column', async () => {
    const csv = ['name,type,main_url,transport', 'Шлагбаум,parking,rtsp://10.2.0.10/a,TCP', 'Без колонки,parking,rtsp://10.2.0.11/a,', 'Плохой,parking,rtsp://10.2.0.12/a,quic'].join('\n');
    const res = await t.app.inject({ method: 'POST', url: `${base()}/import`, headers: h(), payload: { csv } });
    const report = res.json() as { created: number; rows: { line: number; ok: boolean; cameraId: string | null; errors: { field: string }[] }[] };
    expect(report.created).toBe(2);
    expect(report.rows[2]).toMatchObject({ ok: false, errors: [{ field: 'transport' }] });
    const [tcp, auto] = await Promise.all(report.rows.slice(0, 2).map((r) => t.services.cameras.get(r.cameraId!)));
    expect([tcp?.transport, auto?.transport]).toEqual(['tcp', 'auto']);
  });
});
