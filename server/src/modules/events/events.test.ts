import crypto from 'node:crypto';
import type { DetectionEvent, EventMarks, EventPage } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../../testing/test-app.ts';
import { aTestCamera } from '../../testing/cameras.ts';
import type { DetectionReport } from './events.types.ts';
import { MAX_BOXES } from './events.service.ts';

const aCamera = (t: TestApp, recordingPolicy: 'continuous' | 'off' = 'continuous') => aTestCamera(t, { type: 'playground', recordingPolicy });

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

function report(over: Partial<DetectionReport> & Pick<DetectionReport, 'eventKey' | 'cameraId' | 'phase'>): DetectionReport {
  return { kind: 'motion', zoneId: null, cause: null, startedAt: Date.parse('2026-11-30T20:00:00Z'), endedAt: null, peakScore: 0.3, boxes: [], snapshotJpeg: null, label: null, ...over };
}

describe('detection events: upsert by eventKey, search, marks, snapshots', () => {
  let t: TestApp;
  let operator: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.signIn('operator');
  });
  afterAll(async () => t?.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: operator.cookie } });

  it('start, updates and end of one eventKey make one event; boxes capped; the alert is raised once', async () => {
    const cameraId = await aCamera(t);
    const zoneId = crypto.randomUUID();
    const eventKey = crypto.randomUUID();
    const t0 = Date.parse('2026-11-30T20:00:00Z');
    const sink = t.services.events; // DetectionSink
    sink.report(report({ eventKey, cameraId, zoneId, phase: 'start', startedAt: t0, peakScore: 0.4, boxes: [{ at: t0, box: { x: 0.4, y: 0.5, w: 0.1, h: 0.2 } }], snapshotJpeg: JPEG }));
    for (let i = 1; i <= 60; i++) sink.report(report({ eventKey, cameraId, zoneId, phase: 'update', startedAt: t0, peakScore: i === 30 ? 0.9 : 0.5, boxes: [{ at: t0 + i * 100, box: { x: 0.4 + i / 1000, y: 0.5, w: 0.1, h: 0.2 } }] }));
    sink.report(report({ eventKey, cameraId, zoneId, phase: 'end', startedAt: t0, endedAt: t0 + 8000, peakScore: 0.5, boxes: [] }));
    await t.services.events.settled();

    const rows = await t.env.handle.db.selectFrom('detectionEvents').selectAll().where('eventKey', '=', eventKey).execute();
    expect(rows).toHaveLength(1);
    const ev = (await get(`/api/v1/events/${rows[0]!.id}`)).json() as DetectionEvent;
    expect(ev).toMatchObject({ cameraId, zoneId, kind: 'motion', peakScore: 0.9, endedAt: new Date(t0 + 8000).toISOString(), cameraIds: [cameraId] });
    expect(ev.boxes).toHaveLength(MAX_BOXES);
    expect(ev.boxes[0]!.at).toBe(new Date(t0).toISOString()); // where it started stays
    expect(ev.boxes.at(-1)!.at).toBe(new Date(t0 + 6000).toISOString()); // and the newest
    expect(ev.recording).toEqual({ from: new Date(t0 - 10_000).toISOString(), to: new Date(t0 + 13_000).toISOString() });
    expect(ev.snapshotUrl).toBe(`/api/v1/events/${ev.id}/snapshot`);
    const alerts = await t.env.handle.db.selectFrom('alerts').selectAll().where('eventId', '=', ev.id).execute();
    expect(alerts.map((a) => [a.status, a.priority])).toEqual([['new', 'normal']]);
    // Two feed rows: the new alert, and its event's end (the console shows it is over).
    const feed = await t.env.handle.db.selectFrom('alertFeed').select('seq').where('alertId', '=', alerts[0]!.id).execute();
    expect(feed).toHaveLength(2);
  });

  it('an event reopened within its cooldown is ongoing again, and the console hears it (a feed row)', async () => {
    const cameraId = await aCamera(t);
    const eventKey = crypto.randomUUID();
    const t0 = Date.parse('2026-11-30T21:00:00Z');
    const sink = t.services.events;
    sink.report(report({ eventKey, cameraId, phase: 'start', startedAt: t0 }));
    sink.report(report({ eventKey, cameraId, phase: 'end', startedAt: t0, endedAt: t0 + 3000 }));
    await t.services.events.settled();
    const row = () => t.env.handle.db.selectFrom('detectionEvents').select(['id', 'endedAt']).where('eventKey', '=', eventKey).executeTakeFirstOrThrow();
    expect((await row()).endedAt).not.toBeNull();
    // The figure is back within the cooldown: the detector reopens the same event.
    sink.report(report({ eventKey, cameraId, phase: 'update', startedAt: t0, endedAt: null, boxes: [{ at: t0 + 9000, box: { x: 0.2, y: 0.2, w: 0.1, h: 0.2 } }] }));
    await t.services.events.settled();
    expect((await row()).endedAt).toBeNull();
    const alert = await t.env.handle.db.selectFrom('alerts').select('id').where('eventId', '=', (await row()).id).executeTakeFirstOrThrow();
    // New alert, its end, its reopening.
    expect(await t.env.handle.db.selectFrom('alertFeed').select('seq').where('alertId', '=', alert.id).execute()).toHaveLength(3);
    // The picture, made after the start, is a change the console hears of too.
    sink.report(report({ eventKey, cameraId, phase: 'update', startedAt: t0, endedAt: null, snapshotJpeg: JPEG }));
    await t.services.events.settled();
    expect(await t.env.handle.db.selectFrom('alertFeed').select('seq').where('alertId', '=', alert.id).execute()).toHaveLength(4);
    expect((await t.env.handle.db.selectFrom('detectionEvents').select('hasSnapshot').where('eventKey', '=', eventKey).executeTakeFirstOrThrow()).hasSnapshot).toBe(true);
  });

  it('events a dead detector left open end at their last sample, and their alerts hear it', async () => {
    const cameraId = await aCamera(t);
    const eventKey = crypto.randomUUID();
    const t0 = Date.parse('2026-11-30T22:00:00Z');
    t.services.events.report(report({ eventKey, cameraId, phase: 'start', startedAt: t0, boxes: [{ at: t0, box: { x: 0.1, y: 0.1, w: 0.1, h: 0.1 } }] }));
    t.services.events.report(report({ eventKey, cameraId, phase: 'update', startedAt: t0, boxes: [{ at: t0 + 4200, box: { x: 0.2, y: 0.1, w: 0.1, h: 0.1 } }] }));
    await t.services.events.settled();
    expect(await t.services.events.closeOrphans()).toBeGreaterThanOrEqual(1);
    const row = await t.env.handle.db.selectFrom('detectionEvents').select(['id', 'endedAt']).where('eventKey', '=', eventKey).executeTakeFirstOrThrow();
    expect(row.endedAt?.getTime()).toBe(t0 + 4200);
    const alert = await t.env.handle.db.selectFrom('alerts').select('id').where('eventId', '=', row.id).executeTakeFirstOrThrow();
    expect(await t.env.handle.db.selectFrom('alertFeed').select('seq').where('alertId', '=', alert.id).execute()).toHaveLength(2);
    expect(await t.services.events.closeOrphans()).toBe(0);
  });

  it('an update whose start was lost still makes the event; a camera that does not record has no recording range', async () => {
    const cameraId = await aCamera(t, 'off');
    const eventKey = crypto.randomUUID();
    const r = await t.services.events.store(report({ eventKey, cameraId, kind: 'tamper', cause: 'covered', phase: 'update', peakScore: 1 }));
    expect(r?.created).toBe(true);
    const ev = await t.services.events.get(r!.eventId);
    expect(ev).toMatchObject({ kind: 'tamper', cause: 'covered', endedAt: null, recording: null, snapshotUrl: null });
    const alert = await t.env.handle.db.selectFrom('alerts').select('priority').where('eventId', '=', ev.id).executeTakeFirstOrThrow();
    expect(alert.priority).toBe('high');
    // A removed camera's late report is dropped, not an error.
    expect(await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId: crypto.randomUUID(), phase: 'start' }))).toBeNull();
  });

  it('searches by camera, zone, kind and time, newest first; marks over a window', async () => {
    const cameraId = await aCamera(t);
    const zoneA = crypto.randomUUID();
    const base = Date.parse('2026-11-29T18:00:00Z');
    for (let i = 0; i < 5; i++) {
      await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId, zoneId: i % 2 ? zoneA : null, phase: 'end', startedAt: base + i * 60_000, endedAt: base + i * 60_000 + 5000 }));
    }
    await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId, kind: 'tamper', cause: 'turned', phase: 'start', startedAt: base + 10 * 60_000 }));
    const all = (await get(`/api/v1/complexes/${t.complexId}/events?cameraId=${cameraId}`)).json() as EventPage;
    expect(all.total).toBe(6);
    expect(all.items.map((e) => e.startedAt)).toEqual([...all.items.map((e) => e.startedAt)].sort().reverse());
    const inZone = (await get(`/api/v1/complexes/${t.complexId}/events?cameraId=${cameraId}&zoneId=${zoneA}`)).json() as EventPage;
    expect(inZone.items.map((e) => e.zoneId)).toEqual([zoneA, zoneA]);
    const tamper = (await get(`/api/v1/complexes/${t.complexId}/events?cameraId=${cameraId}&kind=tamper`)).json() as EventPage;
    expect(tamper.items.map((e) => e.cause)).toEqual(['turned']);
    const window = (await get(`/api/v1/complexes/${t.complexId}/events?cameraId=${cameraId}&from=${new Date(base + 60_000).toISOString()}&to=${new Date(base + 3 * 60_000).toISOString()}`)).json() as EventPage;
    expect(window.total).toBe(2);
    const marks = (await get(`/api/v1/cameras/${cameraId}/events?from=${new Date(base).toISOString()}&to=${new Date(base + 3600_000).toISOString()}`)).json() as EventMarks;
    expect(marks.items.map((m) => m.kind)).toEqual(['motion', 'motion', 'motion', 'motion', 'motion', 'tamper']);
    expect(marks.truncated).toBe(false);
  });

  it('snapshots past the camera\'s retention are pruned, except those an incident links to', async () => {
    const cameraId = await aCamera(t); // retention 30 days
    const now = t.clock.now().getTime();
    const old = await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId, phase: 'start', startedAt: now - 31 * 86_400_000, snapshotJpeg: JPEG }));
    const kept = await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId, phase: 'start', startedAt: now - 31 * 86_400_000, snapshotJpeg: JPEG }));
    const fresh = await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId, phase: 'start', startedAt: now - 29 * 86_400_000, snapshotJpeg: JPEG }));
    const inspector = (await t.services.users.findRowByUsername('inspector'))!;
    const alertId = (await t.env.handle.db.selectFrom('alerts').select('id').where('eventId', '=', kept!.eventId).executeTakeFirstOrThrow()).id;
    await t.services.alerts.escalate({ id: inspector.id, username: 'inspector', displayName: inspector.displayName, role: 'inspector', complexId: t.complexId, districtId: null }, alertId, { type: 'vandalism' });
    expect(await t.services.events.pruneSnapshots()).toBe(1);
    const left = await t.env.handle.db.selectFrom('detectionSnapshots').select('eventId').where('eventId', 'in', [old!.eventId, kept!.eventId, fresh!.eventId]).execute();
    expect(left.map((r) => r.eventId).sort()).toEqual([kept!.eventId, fresh!.eventId].sort());
    expect((await t.services.events.get(old!.eventId)).snapshotUrl).toBeNull();
  });

  it('a snapshot is served as JPEG and each view is an access-log entry', async () => {
    const cameraId = await aCamera(t);
    const r = await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId, phase: 'start', snapshotJpeg: JPEG }));
    const res = await get(`/api/v1/events/${r!.eventId}/snapshot`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(new Uint8Array(res.rawPayload)).toEqual(JPEG);
    const audit = await t.env.handle.db.selectFrom('auditLog').selectAll().where('action', '=', 'event.snapshot_viewed').where('subjectId', '=', cameraId).execute();
    expect(audit.map((a) => a.actorId)).toEqual([operator.userId]);
    const none = await t.services.events.store(report({ eventKey: crypto.randomUUID(), cameraId, phase: 'start' }));
    const res2 = await get(`/api/v1/events/${none!.eventId}/snapshot`);
    expect([res2.statusCode, (res2.json() as { error: { code: string } }).error.code]).toEqual([404, 'SNAPSHOT_NOT_FOUND']);
  });
});
