import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordingHealth } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { statfsDisk } from './disk.ts';
import { aCamera, capturedLogger } from './recording-test-helpers.ts';
import { RetentionRepository } from './retention.repository.ts';
import { RetentionService, almatyDay } from './retention.service.ts';

/**
 * A real full disk: a 24 MB tmpfs as the recordings folder. A stand-in recorder writes
 * 1 MB files with their rows until the disk refuses (ENOSPC), as the media workers would;
 * the real recorder's version of this test is e2e/recording-full-disk.e2e.ts.
 */
const mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-tmpfs-'));
let mounted = false;
let whyNot = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountDir], { stdio: 'pipe' });
  mounted = true;
} catch (e) {
  whyNot = `cannot mount a tmpfs (needs root or CAP_SYS_ADMIN): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  fs.rmSync(mountDir, { recursive: true, force: true });
  console.warn(`full-disk test skipped: ${whyNot}`);
}

describe.skipIf(!mounted)('a full recordings disk (24 MB tmpfs)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { KUZET_RECORDINGS_DIR: mountDir } });
  });
  afterAll(async () => {
    await t?.close();
    if (mounted) execFileSync('umount', [mountDir]);
    fs.rmSync(mountDir, { recursive: true, force: true });
  });

  it('raises the warning, keeps the API up, loses nothing written, frees space by the floor, and writing goes on', async () => {
    const cams = [await aCamera(t), await aCamera(t)];
    const log = capturedLogger();
    const retention = new RetentionService(
      new RetentionRepository(t.env.handle.db),
      t.services.recordingEvents,
      t.clock,
      log.logger,
      // Only the disk_full event starts a run here (the schedule is far away): the test sees what the event does.
      { root: mountDir, quotaBytes: null, freeFloor: { percent: 5 }, intervalMs: 3_600_000, floorCheckMs: 3_600_000 },
      t.services.retentionGate,
    );
    const written = new Map<number, { path: string; sha: string; startMs: number }>();
    let clock = t.clock.now().getTime() - 3_600_000;
    let full = false;
    /** One 1 MB file of one camera: row open, file written, row closed (what the recorder does, simplified). */
    const writeOne = async (cameraId: string): Promise<boolean> => {
      const startMs = (clock += 60_000);
      const rel = `${cameraId}/${almatyDay(startMs)}/${startMs}.mp4`;
      const abs = path.join(mountDir, rel);
      const row = await t.env.handle.db
        .insertInto('recordingSegments')
        .values({ complexId: t.complexId, cameraId, path: rel, startAt: new Date(startMs), endAt: new Date(startMs), codec: 'avc1.640028', width: 1920, height: 1080, state: 'open' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const data = crypto.randomBytes(1_000_000);
      try {
        await fs.promises.mkdir(path.dirname(abs), { recursive: true });
        await fs.promises.writeFile(abs, data);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
        // The recorder keeps what was whole; this stand-in drops the partial file and its row.
        await fs.promises.rm(abs, { force: true });
        await t.env.handle.db.deleteFrom('recordingSegments').where('id', '=', row.id).execute();
        full = true;
        t.services.recordingEvents.emit('problem', { cameraId: null, code: 'disk_full', message: 'No space left on the recordings disk', at: Date.now() });
        return false;
      }
      await t.env.handle.db.updateTable('recordingSegments').set({ state: 'closed', bytes: data.length, endAt: new Date(startMs + 60_000) }).where('id', '=', row.id).execute();
      written.set(Number(row.id), { path: rel, sha: sha(data), startMs });
      return true;
    };

    // Fill the disk (retention not running yet: nothing stops the disk from filling).
    for (let i = 0; !full && i < 100; i++) await writeOne(cams[i % 2]!);
    expect(full).toBe(true);
    expect(written.size).toBeGreaterThan(15);
    const before = await statfsDisk(mountDir);
    expect(before.freeBytes).toBeLessThan(1_000_000);

    // The console's health: critical (disk full), and the disk nearly full; the API answers.
    const op = await t.signIn('operator');
    const headers = { cookie: op.cookie, 'x-csrf-token': op.csrf };
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/recordings/health`, headers });
    expect(res.statusCode).toBe(200);
    const health = RecordingHealth.parse(res.json());
    expect(health.state).toBe('critical');
    expect(health.problems.map((p) => p.code).sort()).toEqual(['disk_full', 'disk_low']);
    expect(health.disk.freeBytes).toBeLessThan(health.disk.floorBytes);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/cameras`, headers })).statusCode).toBe(200);

    // Retention starts; the recorder's next disk_full report makes it run at once and free the oldest footage.
    retention.start();
    try {
      t.services.recordingEvents.emit('problem', { cameraId: null, code: 'disk_full', message: 'No space left on the recordings disk', at: Date.now() });
      const floor = Math.round(before.totalBytes * 0.05);
      const deadline = Date.now() + 20_000;
      while ((await statfsDisk(mountDir)).freeBytes < floor && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await retention.run('settle');
      const after = await statfsDisk(mountDir);
      expect(after.freeBytes).toBeGreaterThanOrEqual(floor);

      // Nothing written was lost but what the floor deleted, and that was the oldest.
      const rows = await t.env.handle.db.selectFrom('recordingSegments').select(['id', 'path', 'state']).execute();
      const kept = new Set(rows.map((r) => Number(r.id)));
      const deleted = [...written.keys()].filter((id) => !kept.has(id));
      expect(deleted.length).toBeGreaterThan(0);
      expect(deleted.length).toBeLessThan(written.size / 2);
      const newestDeleted = Math.max(...deleted.map((id) => written.get(id)!.startMs));
      for (const id of kept) {
        const w = written.get(id)!;
        expect(w.startMs).toBeGreaterThan(newestDeleted);
        expect(sha(fs.readFileSync(path.join(mountDir, w.path))), w.path).toBe(w.sha);
      }
      for (const id of deleted) expect(fs.existsSync(path.join(mountDir, written.get(id)!.path))).toBe(false);
      expect(log.lines().some((l) => l.msg.includes('by the free-space floor'))).toBe(true);

      // Writing goes on, and the recorder says so.
      t.services.recordingEvents.emit('recovered', { cameraId: null, code: 'disk_full', at: Date.now() });
      expect(await writeOne(cams[0]!)).toBe(true);
      const again = RecordingHealth.parse((await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${t.complexId}/recordings/health`, headers })).json());
      // The answer is cached for a few seconds; a recovered event clears the cache.
      expect(again.problems.map((p) => p.code)).not.toContain('disk_full');
      expect(again.state).not.toBe('critical');
    } finally {
      await retention.stop();
    }
  });
});

function sha(b: Buffer): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}
