import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import type { DiskSpace } from './disk.ts';
import { aCamera, aSegment, bytesUnder, capturedLogger, segmentIds } from './recording-test-helpers.ts';
import { RetentionRepository } from './retention.repository.ts';
import { RetentionService, type RetentionOptions } from './retention.service.ts';

const DAY = 86_400_000;
const MIN = 60_000;

describe('retention (real database, real files)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  /** Starts from an empty index and an empty recordings folder. */
  async function clean() {
    await t.env.handle.db.deleteFrom('recordingSegments').execute();
    await t.env.handle.db.deleteFrom('recordingHolds').execute();
    fs.rmSync(t.env.config.recordings.dir, { recursive: true, force: true });
    fs.mkdirSync(t.env.config.recordings.dir, { recursive: true });
  }

  function retention(opts: Partial<RetentionOptions> = {}, log = capturedLogger()) {
    const service = new RetentionService(
      new RetentionRepository(t.env.handle.db),
      t.services.recordingEvents,
      t.clock,
      log.logger,
      { root: t.env.config.recordings.dir, quotaBytes: null, freeFloor: { percent: 5 }, statfs: async () => ({ totalBytes: 1e12, freeBytes: 5e11 }), batchSize: 2, ...opts },
      t.services.retentionGate,
    );
    return { service, log };
  }

  async function hold(cameraId: string, startMs: number, endMs: number) {
    return t.services.holds.create(null, cameraId, { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), reason: 'Обращение 14/2026' });
  }

  it('by age per camera: expired files and their rows go, held, open and younger ones stay; a deleted camera keeps following its retention', async () => {
    await clean();
    const now = t.clock.now().getTime();
    const month = await aCamera(t, { retentionDays: 30 });
    const week = await aCamera(t, { retentionDays: 7 });
    const gone = await aCamera(t, { retentionDays: 7 });
    const m40 = await aSegment(t, { cameraId: month, startMs: now - 40 * DAY, bytes: 1000 });
    const m20 = await aSegment(t, { cameraId: month, startMs: now - 20 * DAY, bytes: 1000 });
    // Three neighbours ten days old; a hold covers the middle one.
    const w1 = await aSegment(t, { cameraId: week, startMs: now - 10 * DAY, bytes: 1000 });
    const w2 = await aSegment(t, { cameraId: week, startMs: now - 10 * DAY + MIN, bytes: 1000 });
    const w3 = await aSegment(t, { cameraId: week, startMs: now - 10 * DAY + 2 * MIN, bytes: 1000 });
    await hold(week, now - 10 * DAY + MIN + 10_000, now - 10 * DAY + MIN + 20_000);
    // A released hold protects nothing.
    const released = await hold(week, now - 10 * DAY, now - 10 * DAY + 30_000);
    const chief = (await t.services.users.findRowByUsername('chief'))!;
    await t.services.holds.release({ id: chief.id, username: chief.username, displayName: chief.displayName, role: 'district_chief', complexId: null, districtId: chief.districtId }, week, released.id);
    const wOpen = await aSegment(t, { cameraId: week, startMs: now - 9 * DAY, bytes: 1000, state: 'open' });
    const wMissing = await aSegment(t, { cameraId: week, startMs: now - 8 * DAY, bytes: 1000, file: false });
    const wRecovered = await aSegment(t, { cameraId: week, startMs: now - 8 * DAY + MIN, bytes: 1000, state: 'recovered' });
    const w3d = await aSegment(t, { cameraId: week, startMs: now - 3 * DAY, bytes: 1000 });
    // A file that began 7 days + 30 s ago ends after the cutoff: kept until it is wholly older.
    const wEdge = await aSegment(t, { cameraId: week, startMs: now - 7 * DAY - 30_000, bytes: 1000 });
    const g10 = await aSegment(t, { cameraId: gone, startMs: now - 10 * DAY, bytes: 1000 });
    const g1 = await aSegment(t, { cameraId: gone, startMs: now - 1 * DAY, bytes: 1000 });
    const admin = (await t.services.users.findRowByUsername('admin'))!;
    await t.services.cameras.remove({ id: admin.id, username: 'admin', displayName: admin.displayName, role: 'admin', complexId: null, districtId: admin.districtId }, gone);
    // Deleting the camera left its footage alone.
    expect(fs.existsSync(g10.abs) && fs.existsSync(g1.abs)).toBe(true);
    expect(await segmentIds(t)).toContain(g10.id);

    const { service, log } = retention();
    const report = await service.run('test');
    const left = await segmentIds(t);
    expect(left.sort()).toEqual([m20.id, w2.id, wOpen.id, w3d.id, wEdge.id, g1.id].sort());
    for (const s of [m40, w1, w3, wRecovered, g10]) expect(fs.existsSync(s.abs), s.path).toBe(false);
    for (const s of [m20, w2, wOpen, w3d, wEdge, g1]) expect(fs.existsSync(s.abs), s.path).toBe(true);
    expect(wMissing.id).not.toBeOneOf(left);
    expect(report.deleted.age).toEqual({ files: 6, bytes: 6000 });
    expect(report.deleted.quota.files + report.deleted.floor.files).toBe(0);
    const summary = log.lines().find((l) => l.msg.startsWith('retention (test)'));
    expect(summary?.msg).toContain('deleted 6 files (0.0 MB) by age');
    expect(summary?.level).toBe(30);

    // Nothing more to do: a second run deletes nothing and says so at debug level only.
    const again = await service.run('again');
    expect(again.deleted.age.files).toBe(0);
    expect(log.lines().find((l) => l.msg.startsWith('retention (again)'))?.level).toBe(20);
  });

  it('by a small quota: the oldest across cameras go until the footage fits; held footage survives a run that deletes its neighbours', async () => {
    await clean();
    const now = t.clock.now().getTime();
    const a = await aCamera(t);
    const b = await aCamera(t);
    const base = now - 2 * 3_600_000;
    // Interleaved in time: a0 b0 a1 b1 a2 b2 a3 b3, 10 kB each, 80 kB in all.
    const segs = [];
    for (let i = 0; i < 4; i++) {
      segs.push(await aSegment(t, { cameraId: a, startMs: base + i * 2 * MIN, bytes: 10_000 }));
      segs.push(await aSegment(t, { cameraId: b, startMs: base + i * 2 * MIN + MIN, bytes: 10_000 }));
    }
    const open = await aSegment(t, { cameraId: a, startMs: base - 10 * MIN, bytes: 10_000, state: 'open' });
    // Hold b0 (the second oldest); quota 45 kB of 90 kB → 45 kB must go: a0, a1, b1, a2, b2 (b0 held, the open one never).
    await hold(b, base + MIN + 5000, base + MIN + 6000);
    const { service, log } = retention({ quotaBytes: 45_000 });
    const report = await service.run('quota');
    const left = await segmentIds(t);
    const [a0, b0, a1, b1, a2, b2, a3, b3] = segs;
    expect(left.sort()).toEqual([open.id, b0!.id, a3!.id, b3!.id].sort());
    expect(report.deleted.quota).toEqual({ files: 5, bytes: 50_000 });
    for (const s of [a0, a1, b1, a2, b2]) expect(fs.existsSync(s!.abs)).toBe(false);
    for (const s of [b0, a3, b3, open]) expect(fs.existsSync(s!.abs)).toBe(true);
    expect(log.lines().some((l) => l.msg.includes('by the quota'))).toBe(true);
  });

  it('by the free-space floor (simulated low disk): the oldest deletable files go until free space is above the floor plus a margin', async () => {
    await clean();
    const now = t.clock.now().getTime();
    const a = await aCamera(t);
    const b = await aCamera(t);
    const root = t.env.config.recordings.dir;
    // A 1 MB disk where other data takes 145 kB: the footage (850 kB) leaves 5 kB free, under the 5 % floor (50 kB).
    const statfs = async (): Promise<DiskSpace> => ({ totalBytes: 1_000_000, freeBytes: 1_000_000 - 145_000 - bytesUnder(root) });
    const oldestHeld = await aSegment(t, { cameraId: a, startMs: now - 3_600_000, bytes: 50_000 });
    await hold(a, now - 3_600_000, now - 3_600_000 + 1000);
    const oldOpen = await aSegment(t, { cameraId: b, startMs: now - 3_500_000, bytes: 50_000, state: 'open' });
    const rest = [];
    for (let i = 0; i < 15; i++) rest.push(await aSegment(t, { cameraId: i % 2 ? a : b, startMs: now - 3_000_000 + i * MIN, bytes: 50_000 }));
    expect((await statfs()).freeBytes).toBe(5_000);
    const { service } = retention({ statfs });
    const report = await service.run('floor');
    // Target: floor 50 kB + margin 10 kB = 60 kB free → one 50 kB file is not enough (55 kB), the second makes 105 kB.
    expect(report.deleted.floor.files).toBe(2);
    expect(report.freeBytes).toBe(105_000);
    const left = await segmentIds(t);
    expect(left).toContain(oldestHeld.id);
    expect(left).toContain(oldOpen.id);
    expect(left).not.toContain(rest[0]!.id);
    expect(left).not.toContain(rest[1]!.id);
    expect(left).toContain(rest[2]!.id);
  });

  it('never deletes open or held files even when the floor cannot be met, and says so', async () => {
    await clean();
    const now = t.clock.now().getTime();
    const a = await aCamera(t);
    const open = await aSegment(t, { cameraId: a, startMs: now - 2 * MIN, bytes: 5000, state: 'open' });
    const held = await aSegment(t, { cameraId: a, startMs: now - 4 * MIN, bytes: 5000 });
    await hold(a, now - 4 * MIN, now - 3 * MIN);
    const { service, log } = retention({ statfs: async () => ({ totalBytes: 1_000_000, freeBytes: 1000 }), quotaBytes: 1000 });
    const report = await service.run('full');
    expect(report.short).toBe('floor');
    expect(report.deleted.floor.files + report.deleted.quota.files + report.deleted.age.files).toBe(0);
    expect((await segmentIds(t)).sort()).toEqual([open.id, held.id].sort());
    expect(fs.existsSync(open.abs) && fs.existsSync(held.abs)).toBe(true);
    const warn = log.lines().find((l) => l.msg.startsWith('retention (full)'));
    expect(warn?.level).toBe(40);
    expect(warn?.msg).toContain('everything left is being written or held');
  });

  it('runs at once when the recorder reports a full disk', async () => {
    await clean();
    const now = t.clock.now().getTime();
    const a = await aCamera(t);
    const old = await aSegment(t, { cameraId: a, startMs: now - 3_600_000, bytes: 50_000 });
    const root = t.env.config.recordings.dir;
    let full = false;
    const statfs = async (): Promise<DiskSpace> => ({ totalBytes: 1_000_000, freeBytes: full ? 0 : 500_000 + 50_000 - bytesUnder(root) });
    const { service } = retention({ statfs, intervalMs: 3_600_000, floorCheckMs: 3_600_000 });
    service.start();
    try {
      // The start run found enough space and deleted nothing.
      await new Promise((r) => setTimeout(r, 300));
      expect(fs.existsSync(old.abs)).toBe(true);
      full = true;
      t.services.recordingEvents.emit('problem', { cameraId: null, code: 'disk_full', message: 'ENOSPC', at: Date.now() });
      const deadline = Date.now() + 10_000;
      while (fs.existsSync(old.abs) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(fs.existsSync(old.abs)).toBe(false);
    } finally {
      await service.stop();
    }
  });

  it('never follows a path outside the recordings folder', async () => {
    await clean();
    const now = t.clock.now().getTime();
    const a = await aCamera(t, { retentionDays: 1 });
    const outside = `${t.env.dataDir}/precious.txt`;
    fs.writeFileSync(outside, 'keep me');
    await t.env.handle.db
      .insertInto('recordingSegments')
      .values({ complexId: t.complexId, cameraId: a, path: '../precious.txt', startAt: new Date(now - 5 * DAY), endAt: new Date(now - 5 * DAY + MIN), bytes: 7, codec: 'avc1', width: null, height: null, state: 'closed' })
      .execute();
    const { service } = retention();
    await service.run('escape');
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep me');
    expect(await segmentIds(t)).toEqual([]);
  });
});
