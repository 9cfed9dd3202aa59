import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessUnit } from '@kuzet/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H264_PPS, H264_SPS } from '../../../../packages/media/src/codec/fixtures.ts';
import { run, waitUntil } from '../../testing/media-helpers.ts';
import { Recorder } from './recorder.ts';
import type { RecorderReport, SegmentReport } from './recorder.protocol.ts';
import { salvage } from './recovery.ts';

/**
 * The writer on a disk that fills up (a 4 MB tmpfs): it reports disk_full, ends the file
 * at its last whole fragment, keeps the earlier files intact, and once there is room
 * again opens a new file at a keyframe by itself and reports the problem cleared.
 * Also: a write error on one camera (its directory made unwritable) does not touch another.
 */
const FRAME = 3600; // 25 fps at 90 kHz

function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A synthetic 25 fps H.264 stream: SPS/PPS from the fixtures, slices of random bytes (the recorder never decodes). */
class Feed {
  n = 0;
  clock = 1_764_460_800_000;
  constructor(private readonly r: Recorder) {
    r.onParams({ codec: 'h264', sps: H264_SPS, pps: H264_PPS });
  }
  au(size: number): AccessUnit {
    const key = this.n % 25 === 0;
    const nal = new Uint8Array(size);
    nal[0] = key ? 0x65 : 0x41;
    for (let i = 1; i < size; i += 97) nal[i] = (i * 31 + this.n) & 0xff;
    return { codec: 'h264', nalus: [nal], pts: 900_000 + this.n * FRAME, keyframe: key, receivedAt: this.clock };
  }
  /** Feeds frames of `size` bytes at real pace divided by `speed`, letting the writes run. */
  async frames(count: number, size: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.r.onAccessUnit(this.au(size));
      this.n++;
      this.clock += 40;
      await new Promise((res) => setTimeout(res, 2));
    }
  }
}

describe('recorder on a full disk', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-recdisk-'));
  let mounted = false;

  beforeAll(() => {
    mounted = mountTmpfs(dir, '4m');
  });

  afterAll(() => {
    if (mounted) execFileSync('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('survives ENOSPC: reports disk_full, keeps earlier files whole, resumes once there is room', async (ctx) => {
    if (!mounted) ctx.skip(); // needs root for mount
    const reports: RecorderReport[] = [];
    const feedClock = { now: 0 };
    const rec = new Recorder('cam-1', { root: dir, segmentSeconds: 2, retryMs: 500, now: () => feedClock.now }, (r) => reports.push(r));
    const feed = new Feed(rec);
    const tick = setInterval(() => (feedClock.now = feed.clock), 1);
    try {
      // ~23 KB frames: 1.15 MB per 2 s file, so the disk fills in the middle of the fourth file.
      await feed.frames(300, 23_000);
      await waitUntil(() => reports.some((r) => r.kind === 'problem'), 10_000, 'a problem report');
      const problem = reports.find((r) => r.kind === 'problem')!;
      expect(problem).toMatchObject({ kind: 'problem', cameraId: 'cam-1', code: 'disk_full' });
      const closed = () => reports.filter((r): r is SegmentReport => r.kind === 'segment' && r.state === 'closed');
      await new Promise((r) => setTimeout(r, 500));
      await waitUntil(() => closed().some((r) => r.reason === 'disk_full'), 10_000, 'the file cut by the full disk closed');
      // Every closed file is on disk, whole (ends at a fragment boundary), as indexed, and ffprobe reads it.
      for (const c of closed()) {
        const buf = fs.readFileSync(path.join(dir, c.path));
        expect(buf.length).toBe(c.bytes);
        expect(salvage(buf)?.wholeBytes).toBe(buf.length);
        const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', path.join(dir, c.path)]);
        expect(probe.code, probe.stderr).toBe(0);
      }
      const before = closed().filter((r) => r.reason === 'segment');
      expect(before.length).toBeGreaterThan(0);
      // On disk: the closed files, and at most the one a retry is writing now (a retry that
      // could not write a whole fragment deleted its file).
      const onDisk = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.mp4'));
      expect(onDisk).toEqual(expect.arrayContaining(closed().map((c) => c.path)));
      expect(onDisk.length - closed().length).toBeLessThanOrEqual(1);

      // Room again (retention would do this): delete the two oldest files; recording resumes by itself.
      expect(before.length).toBeGreaterThanOrEqual(2);
      for (const b of before.slice(0, 2)) fs.rmSync(path.join(dir, b.path));
      const n = reports.length;
      await feed.frames(150, 5_000);
      await waitUntil(() => reports.slice(n).some((r) => r.kind === 'recovered'), 10_000, 'recovered');
      expect(reports.slice(n).find((r) => r.kind === 'recovered')).toMatchObject({ cameraId: 'cam-1', code: 'disk_full' });
      expect(reports.slice(n).some((r) => r.kind === 'segment' && r.state === 'open')).toBe(true);
      await rec.stop('server_down');
      const last = closed().find((r) => r.reason === 'server_down')!;
      expect(last).toBeDefined();
      expect(fs.statSync(path.join(dir, last.path)).size).toBe(last.bytes);
    } finally {
      clearInterval(tick);
      await rec.stop('server_down');
    }
  });

  it('a write error on one camera leaves the other recording', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-recerr-'));
    try {
      const reports: RecorderReport[] = [];
      // Camera "bad" cannot create its directory: a file stands where it should be.
      fs.writeFileSync(path.join(root, 'bad'), 'not a directory');
      const good = new Recorder('good', { root, segmentSeconds: 60 }, (r) => reports.push(r));
      const bad = new Recorder('bad', { root, segmentSeconds: 60, retryMs: 200 }, (r) => reports.push(r));
      const fg = new Feed(good);
      const fb = new Feed(bad);
      for (let i = 0; i < 60; i++) {
        await Promise.all([fg.frames(1, 2000), fb.frames(1, 2000)]);
      }
      await waitUntil(() => reports.some((r) => r.kind === 'problem' && r.cameraId === 'bad'), 5000, 'bad reports');
      expect(reports.find((r) => r.kind === 'problem' && r.cameraId === 'bad')).toMatchObject({ code: 'write_error' });
      expect(reports.some((r) => r.cameraId === 'good' && r.kind === 'problem')).toBe(false);
      await good.stop('server_down');
      await bad.stop('server_down');
      const g = reports.filter((r): r is SegmentReport => r.kind === 'segment' && r.cameraId === 'good' && r.state === 'closed');
      expect(g.length).toBe(1);
      expect(g[0]!.endMs - g[0]!.startMs).toBeGreaterThan(2000);
      expect(reports.some((r) => r.kind === 'segment' && r.cameraId === 'bad')).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
