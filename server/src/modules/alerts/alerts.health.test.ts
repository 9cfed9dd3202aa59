import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTestCamera } from '../../testing/cameras.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

/**
 * Camera health alerts from the status machinery (CameraHistoryService.record, as the media
 * engine calls it) and RecordingEvents: offline, back online, a group of cameras at once,
 * recording failures. The hold before a lone offline alerts is shortened to 300 ms here.
 */
const HOLD_MS = 300;

describe('camera health alerts', () => {
  let t: TestApp;
  let cameras: string[] = [];
  beforeAll(async () => {
    t = await createTestApp({ alerts: { holdMs: HOLD_MS } });
    // 20 enabled cameras: a group needs min(5, 30 % of 20 = 6) = 5.
    cameras = [];
    for (let i = 0; i < 20; i++) {
      const c = await t.services.cameras.create(null, t.complexId, {
        name: `Опора ${i + 1}`,
        type: 'perimeter',
        buildingId: null,
        entranceId: null,
        zoneId: null,
        position: [10 + i, 10],
        direction: 90,
        fieldOfView: 80,
        mainUrl: `rtsp://127.0.0.1:1/cam/p${i}/main`,
        subUrl: null,
        username: null,
        password: null,
        recordingPolicy: 'continuous',
        retentionDays: 30,
        enabled: true,
      });
      cameras.push(c.id);
    }
  });
  afterAll(async () => t?.close());

  const status = (ids: string[], state: 'offline' | 'online' | 'connecting', at = new Date(), stream: 'main' | 'sub' = 'main') =>
    t.services.cameraHistory.record(ids.map((cameraId) => ({ complexId: t.complexId, cameraId, stream, state, reason: state === 'offline' ? 'timeout' : null, at })));
  const settle = async (ms = HOLD_MS + 200) => {
    await new Promise((r) => setTimeout(r, ms));
    await t.services.alerts.settled();
  };
  const alertsOf = async (kind: string) =>
    t.env.handle.db
      .selectFrom('alerts as a')
      .innerJoin('detectionEvents as e', 'e.id', 'a.eventId')
      .select(['a.id', 'a.priority', 'e.cameraId', 'e.cameraIds', 'e.endedAt', 'e.kind'])
      .where('e.kind', '=', kind as 'offline')
      .where('a.complexId', '=', t.complexId)
      .orderBy('a.seq')
      .execute();

  it('one camera offline: one offline alert after the hold; a repeat is no new alert; back online: one online alert', async () => {
    const cam = cameras[0]!;
    await status([cam], 'offline');
    await t.services.alerts.settled();
    expect(await alertsOf('offline')).toHaveLength(0); // held a moment: maybe others follow
    await settle();
    const off = await alertsOf('offline');
    expect(off.map((a) => [a.cameraId, a.priority])).toEqual([[cam, 'normal']]);
    await status([cam], 'connecting');
    await status([cam], 'offline'); // reconnect attempts fail again: still the same outage
    await settle();
    expect(await alertsOf('offline')).toHaveLength(1);
    await status([cam], 'online');
    await settle(50);
    expect((await alertsOf('online')).map((a) => [a.cameraId, a.priority])).toEqual([[cam, 'low']]);
    const ended = await t.env.handle.db.selectFrom('detectionEvents').select('endedAt').where('cameraId', '=', cam).where('kind', '=', 'offline').executeTakeFirstOrThrow();
    expect(ended.endedAt).not.toBeNull();
    // The offline alert got a feed row when it ended: consoles show it as over.
    expect(await t.env.handle.db.selectFrom('alertFeed').select('seq').where('alertId', '=', off[0]!.id).execute()).toHaveLength(2);
  });

  it('a blip shorter than the hold and the sub stream alone raise nothing', async () => {
    const before = (await alertsOf('offline')).length;
    await status([cameras[1]!], 'offline');
    await status([cameras[1]!], 'online');
    await status([cameras[2]!], 'offline', new Date(), 'sub');
    await settle();
    expect(await alertsOf('offline')).toHaveLength(before);
  });

  it('six cameras offline within 20 s: one group_offline alert listing them, no alert per camera; one online when all are back', async () => {
    const group = cameras.slice(10, 16);
    const beforeOffline = (await alertsOf('offline')).length;
    const t0 = Date.now();
    for (const [i, cam] of group.entries()) {
      await status([cam], 'offline', new Date(t0 + i * 2000)); // a switch dying: within 10 s
    }
    await settle();
    const groups = await alertsOf('group_offline');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.priority).toBe('high');
    expect(groups[0]!.cameraId).toBeNull();
    expect([...groups[0]!.cameraIds].sort()).toEqual([...group].sort());
    expect(await alertsOf('offline')).toHaveLength(beforeOffline);
    // Each camera's outage is on its timeline all the same.
    const memberEvents = await t.env.handle.db.selectFrom('detectionEvents').select('cameraId').where('groupEventId', '=', (await t.services.alerts.get(groups[0]!.id)).eventId).execute();
    expect(memberEvents.map((e) => e.cameraId).sort()).toEqual([...group].sort());

    // A seventh joining within the window extends the same alert (a feed row, not a new alert).
    const seqBefore = await t.services.alerts.currentSeq(t.complexId);
    await status([cameras[16]!], 'offline', new Date(t0 + 14_000));
    await settle();
    expect(await alertsOf('group_offline')).toHaveLength(1);
    expect((await t.services.alerts.get(groups[0]!.id)).event.cameraIds).toHaveLength(7);
    expect(await t.services.alerts.currentSeq(t.complexId)).toBe(seqBefore + 1);

    const onlineBefore = (await alertsOf('online')).length;
    for (const cam of [...group, cameras[16]!]) await status([cam], 'online');
    await settle(50);
    const online = await alertsOf('online');
    expect(online).toHaveLength(onlineBefore + 1);
    expect(online.at(-1)!.cameraIds).toHaveLength(7);
  });

  it('recording failures: one alert per outage, none while it lasts, a new one after recovery', async () => {
    const cam = cameras[5]!;
    const ev = t.services.recordingEvents;
    ev.emit('problem', { cameraId: cam, code: 'write_error', message: 'EIO', at: Date.now() });
    ev.emit('problem', { cameraId: cam, code: 'write_error', message: 'EIO', at: Date.now() });
    await t.services.alerts.settled();
    expect((await alertsOf('recording_failed')).map((a) => [a.cameraId, a.priority])).toEqual([[cam, 'high']]);
    ev.emit('recovered', { cameraId: cam, code: 'write_error', at: Date.now() });
    ev.emit('problem', { cameraId: null, code: 'disk_full', message: 'ENOSPC', at: Date.now() });
    await t.services.alerts.settled();
    const all = await alertsOf('recording_failed');
    expect(all).toHaveLength(2);
    expect(all[0]!.endedAt).not.toBeNull();
    expect(all[1]!.cameraId).toBeNull();
  });
});

describe('camera health alerts in the first seconds after start', () => {
  it('offlines during the start-up grace alert only if still offline when it ends — grouped when many', async () => {
    const t = await createTestApp({ alerts: { holdMs: 100, startupGraceMs: 1_500 } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        ids.push(await aTestCamera(t, { name: `Старт ${i + 1}`, mainUrl: `rtsp://127.0.0.1:1/cam/s${i}/main`, enabled: true }));
      }
      const record = (cams: string[], state: 'offline' | 'online') =>
        t.services.cameraHistory.record(cams.map((cameraId) => ({ complexId: t.complexId, cameraId, stream: 'main' as const, state, reason: state === 'offline' ? 'refused' : null, at: new Date() })));
      // All eight refuse at start (the cameras' host still coming up); five come back within the grace.
      await record(ids, 'offline');
      await t.services.alerts.settled();
      await new Promise((r) => setTimeout(r, 300));
      await record(ids.slice(0, 5), 'online');
      await t.services.alerts.settled();
      const kinds = async () =>
        (await t.env.handle.db.selectFrom('alerts as a').innerJoin('detectionEvents as e', 'e.id', 'a.eventId').select(['e.kind', 'e.cameraId']).where('a.complexId', '=', t.complexId).execute()).map((r) => `${r.kind}:${r.cameraId ?? 'group'}`);
      expect(await kinds()).toEqual([]); // nothing during the grace
      await new Promise((r) => setTimeout(r, 1_800));
      await t.services.alerts.settled();
      // Three still down when the grace ends; a group here needs max(2, min(5, ⌈30 % of 8⌉)) = 3: one group alert.
      const after = await kinds();
      expect(after).toEqual(['group_offline:group']);
      const group = await t.env.handle.db.selectFrom('detectionEvents').select('cameraIds').where('kind', '=', 'group_offline').executeTakeFirstOrThrow();
      expect([...(group.cameraIds as string[])].sort()).toEqual(ids.slice(5).sort());
    } finally {
      await t.close();
    }
  });
});
