import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup, writeBackup } from '../../db/backup.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { createTestEnv, type TestEnv } from '../../testing/test-db.ts';

/** Snapshots are bytea: a backup carries them (as base64) and a restore gives the same bytes back. */
describe('event snapshots in a backup', () => {
  let t: TestApp;
  let other: TestEnv;
  beforeAll(async () => {
    t = await createTestApp();
    other = await createTestEnv();
  });
  afterAll(async () => {
    await other?.cleanup();
    await t?.close();
  });

  it('backup → restore keeps the JPEG byte for byte, the alert and the feed', async () => {
    const cameraId = (
      await t.services.cameras.create(null, t.complexId, {
        name: 'Подвал',
        type: 'other',
        buildingId: null,
        entranceId: null,
        zoneId: null,
        position: [10, 10],
        direction: 0,
        fieldOfView: 80,
        mainUrl: 'rtsp://127.0.0.1:1/cam/none/main',
        subUrl: null,
        username: null,
        password: null,
        recordingPolicy: 'continuous',
        retentionDays: 30,
        enabled: false,
      })
    ).id;
    const jpeg = new Uint8Array(crypto.randomBytes(5000));
    jpeg.set([0xff, 0xd8], 0);
    const r = await t.services.events.store({ eventKey: crypto.randomUUID(), cameraId, kind: 'motion', zoneId: null, cause: null, phase: 'start', startedAt: Date.now(), endedAt: null, peakScore: 0.5, boxes: [], snapshotJpeg: jpeg, label: null });
    const file = path.join(t.env.dataDir, 'b.gz');
    await writeBackup(t.env.handle.db, file, { engine: t.env.engine, files: {} });
    await restoreBackup(other.handle.db, file);
    const snap = await other.handle.db.selectFrom('detectionSnapshots').select('jpeg').where('eventId', '=', r!.eventId).executeTakeFirstOrThrow();
    expect(Buffer.from(snap.jpeg).equals(Buffer.from(jpeg))).toBe(true);
    expect(await other.handle.db.selectFrom('alerts').select('eventId').execute()).toEqual([{ eventId: r!.eventId }]);
    expect((await other.handle.db.selectFrom('alertCounters').select('seq').executeTakeFirstOrThrow()).seq).toBe(1);
    expect((await other.handle.db.selectFrom('incidentTypes').select('code').execute()).length).toBe(11);
  });
});
