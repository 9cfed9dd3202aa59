import crypto from 'node:crypto';
import type { Alert, AlertList, EscalateAlertResponse, Incident } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';

/** Acceptance 5: every acknowledge, assign, dismiss and escalate is recorded with who and when; conflicts are 409. */
describe('alert actions', () => {
  let t: TestApp;
  let cameraId: string;
  beforeAll(async () => {
    t = await createTestApp();
    cameraId = (
      await t.services.cameras.create(null, t.complexId, {
        name: 'Детская площадка',
        type: 'playground',
        buildingId: null,
        entranceId: null,
        zoneId: null,
        position: [180, 160],
        direction: 180,
        fieldOfView: 90,
        mainUrl: 'rtsp://127.0.0.1:1/cam/none/main',
        subUrl: null,
        username: null,
        password: null,
        recordingPolicy: 'continuous',
        retentionDays: 30,
        enabled: false,
      })
    ).id;
  });
  afterAll(async () => t?.close());

  const anAlert = async (): Promise<string> => {
    const now = t.clock.now().getTime();
    const r = await t.services.events.store({ eventKey: crypto.randomUUID(), cameraId, kind: 'motion', zoneId: null, cause: null, phase: 'start', startedAt: now, endedAt: null, peakScore: 0.5, boxes: [], snapshotJpeg: null, label: null });
    return (await t.env.handle.db.selectFrom('alerts').select('id').where('eventId', '=', r!.eventId).executeTakeFirstOrThrow()).id;
  };
  const post = async (role: 'operator' | 'inspector', alertId: string, action: string, body: object) => {
    const s = await t.signIn(role);
    return t.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/${action}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: body });
  };
  const auditOf = (alertId: string) => t.env.handle.db.selectFrom('auditLog').select(['action', 'actorId', 'at', 'complexId']).where('subjectId', '=', alertId).orderBy('seq').execute();

  it('acknowledge, then a second acknowledge or a late one is 409 naming who; dismiss with a reason; each audited with who and when', async () => {
    const id = await anAlert();
    const operator = await t.signIn('operator');
    const inspector = await t.signIn('inspector');
    const at0 = t.clock.now().toISOString();
    const ack = await post('operator', id, 'acknowledge', { note: 'Смотрю камеру' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', actions: [{ action: 'acknowledge', by: { id: operator.userId }, note: 'Смотрю камеру', at: at0 }] });

    const again = await post('inspector', id, 'acknowledge', {});
    expect(again.statusCode).toBe(409);
    const err = again.json() as { error: { code: string; message: string } };
    expect(err.error.code).toBe('ALERT_CONFLICT');
    expect(err.error.message).toMatch(/already acknowledged by .*operator|already acknowledged by/i);

    t.clock.advance(60_000);
    const dismiss = await post('inspector', id, 'dismiss', { reason: 'known_activity', note: 'Дворник' });
    expect(dismiss.statusCode, dismiss.body).toBe(200);
    expect((dismiss.json() as Alert).status).toBe('dismissed');
    const dismissAgain = await post('operator', id, 'dismiss', { reason: 'false_alarm' });
    expect(dismissAgain.statusCode).toBe(409);
    expect((dismissAgain.json() as { error: { message: string } }).error.message).toMatch(/already dismissed by/);
    const escalateLate = await post('operator', id, 'escalate', { type: 'other' });
    expect(escalateLate.statusCode).toBe(409);

    const audit = await auditOf(id);
    expect(audit.map((a) => [a.action, a.actorId, a.complexId])).toEqual([
      ['alert.acknowledged', operator.userId, t.complexId],
      ['alert.dismissed', inspector.userId, t.complexId],
    ]);
    expect(new Date(audit[1]!.at).getTime() - new Date(audit[0]!.at).getTime()).toBe(60_000);
    const alert = await t.services.alerts.get(id);
    expect(alert.actions.map((a) => [a.action, a.by.id, a.reason])).toEqual([
      ['acknowledge', operator.userId, null],
      ['dismiss', inspector.userId, 'known_activity'],
    ]);
  });

  it('"other" needs a note; assign needs an active operator or inspector of the complex', async () => {
    const id = await anAlert();
    expect((await post('operator', id, 'dismiss', { reason: 'other' })).statusCode).toBe(400);
    const chief = (await t.services.users.findRowByUsername('chief'))!;
    const bad = await post('operator', id, 'assign', { userId: chief.id });
    expect([bad.statusCode, (bad.json() as { error: { code: string } }).error.code]).toEqual([400, 'ALERT_ASSIGNEE_INVALID']);
    const inspector = (await t.services.users.findRowByUsername('inspector'))!;
    const ok = await post('operator', id, 'assign', { userId: inspector.id, note: 'Сходите посмотреть' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'assigned', assignedTo: { id: inspector.id }, actions: [{ action: 'assign', assignee: { id: inspector.id } }] });
    expect((await post('operator', id, 'assign', { userId: inspector.id })).statusCode).toBe(409);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['alert.assigned']);
  });

  it('the assign picker lists the complex\'s active operators and inspectors, names only', async () => {
    const s = await t.signIn('operator');
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/alerts/assignees`, headers: { cookie: s.cookie } });
    expect(r.statusCode, r.body).toBe(200);
    const items = (r.json() as { items: { id: string; displayName: string; role: string }[] }).items;
    const inspector = (await t.services.users.findRowByUsername('inspector'))!;
    const chief = (await t.services.users.findRowByUsername('chief'))!;
    expect(items.map((i) => i.id)).toContain(inspector.id);
    expect(items.map((i) => i.id)).not.toContain(chief.id);
    expect(new Set(items.map((i) => i.role))).toEqual(new Set(['operator', 'inspector']));
    expect(Object.keys(items[0]!).sort()).toEqual(['displayName', 'id', 'role']);
  });

  it('escalate makes an incident linked to the alert and its event, numbered per complex and year; the list and badge follow', async () => {
    const id = await anAlert();
    const res = await post('inspector', id, 'escalate', { type: 'vandalism', description: 'Ломают качели' });
    expect(res.statusCode, res.body).toBe(200);
    const { alert, incident } = res.json() as EscalateAlertResponse;
    expect(alert).toMatchObject({ status: 'escalated', incidentId: incident.id });
    expect(incident).toMatchObject({ type: 'vandalism', description: 'Ломают качели', status: 'open', complexId: t.complexId, occurredAt: alert.event.startedAt });
    expect(incident.number).toMatch(/^\d{4}-\d{5}$/);
    expect(incident.links).toEqual(expect.arrayContaining([{ kind: 'alert', refId: id }, { kind: 'event', refId: alert.eventId }]));
    const inspector = await t.signIn('inspector');
    const got = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}`, headers: { cookie: inspector.cookie } });
    expect((got.json() as Incident).number).toBe(incident.number);
    expect((await auditOf(id)).map((a) => [a.action, a.actorId])).toEqual([['alert.escalated', inspector.userId]]);
    const incAudit = await t.env.handle.db.selectFrom('auditLog').select(['action', 'actorId']).where('subjectId', '=', incident.id).execute();
    expect(incAudit).toEqual([{ action: 'incident.created', actorId: inspector.userId }]);

    // A second incident by hand gets the next number; an unknown type is refused.
    const byHand = await t.app.inject({ method: 'POST', url: `/api/v1/complexes/${t.complexId}/incidents`, headers: { cookie: inspector.cookie, 'x-csrf-token': inspector.csrf }, payload: { type: 'theft', occurredAt: new Date().toISOString(), parties: [{ role: 'victim', description: 'Жительница кв. 12' }] } });
    expect(byHand.statusCode, byHand.body).toBe(201);
    const n1 = Number(incident.number.slice(5));
    expect(Number((byHand.json() as Incident).number.slice(5))).toBe(n1 + 1);
    expect((byHand.json() as Incident).parties).toMatchObject([{ role: 'victim', personId: null, description: 'Жительница кв. 12' }]);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/v1/complexes/${t.complexId}/incidents`, headers: { cookie: inspector.cookie, 'x-csrf-token': inspector.csrf }, payload: { type: 'alien_landing', occurredAt: new Date().toISOString() } });
    expect([unknown.statusCode, (unknown.json() as { error: { code: string } }).error.code]).toEqual([400, 'INCIDENT_TYPE_UNKNOWN']);

    const list = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/alerts?status=all`, headers: { cookie: inspector.cookie } });
    const body = list.json() as AlertList;
    expect(body.items.find((a) => a.id === id)?.status).toBe('escalated');
    const open = (await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/alerts`, headers: { cookie: inspector.cookie } })).json() as AlertList;
    expect(open.items.some((a) => a.id === id)).toBe(false);
    expect(open.unacknowledged).toBe(open.items.filter((a) => a.status === 'new').length);
    expect(body.feedSeq).toBeGreaterThanOrEqual(Math.max(...body.items.map((a) => a.seq)));
  });

  it('two officers acting at once: exactly one wins, the other gets 409', async () => {
    const id = await anAlert();
    const a = await freshSession(t, 'operator');
    const b = await freshSession(t, 'inspector');
    const call = (s: { cookie: string; csrf: string }, action: string, body: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1/alerts/${id}/${action}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: body });
    const [r1, r2] = await Promise.all([call(a, 'dismiss', { reason: 'false_alarm' }), call(b, 'escalate', { type: 'other' })]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const actions = await t.env.handle.db.selectFrom('alertActions').select('action').where('alertId', '=', id).execute();
    expect(actions).toHaveLength(1);
  });
});
