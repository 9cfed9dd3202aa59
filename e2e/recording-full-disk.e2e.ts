import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/src/config/config.ts';
import { openDatabase } from '../server/src/db/database.ts';
import { runCli } from '../server/src/testing/cli-process.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

const run = promisify(execFile);

/**
 * Acceptance 3 (issue 8), the full disk, with the real server and recorder: `kuzet demo`
 * records two simulated cameras onto a 24 MB tmpfs; once footage has piled up, a filler
 * file takes the rest of the disk (as any other writer could). The console's top bar
 * shows the warning, the API answers, retention frees the oldest footage down to the
 * floor, recording goes on, and every file the index keeps still plays (ffprobe).
 */
const mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-e2e-tmpfs-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountDir], { stdio: 'pipe' });
  mounted = true;
} catch (e) {
  fs.rmSync(mountDir, { recursive: true, force: true });
  console.warn(`full-disk e2e skipped: cannot mount a tmpfs (needs root or CAP_SYS_ADMIN): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
}

const FILLER = path.join(mountDir, 'filler.bin');

function mp4s(): { rel: string; startMs: number }[] {
  if (!fs.existsSync(mountDir)) return [];
  return fs
    .readdirSync(mountDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.mp4'))
    .map((e) => ({ rel: path.relative(mountDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'), startMs: Number(e.name.replace('.mp4', '')) }));
}

function footageBytes(): number {
  return mp4s().reduce((s, f) => s + fs.statSync(path.join(mountDir, f.rel)).size, 0);
}

const free = () => fs.statfsSync(mountDir).bavail * fs.statfsSync(mountDir).bsize;
const total = () => fs.statfsSync(mountDir).blocks * fs.statfsSync(mountDir).bsize;

describe.skipIf(!mounted)('a full recordings disk with the real recorder', { timeout: 420_000 }, () => {
  let h: Harness;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-e2e-fulldisk-'));
  beforeAll(async () => {
    // The database is created and migrated first: on a loaded machine that alone can eat the harness's 60 s start window.
    const migrated = await runCli(['migrate'], { KUZET_DATA_DIR: dataDir, KUZET_LOG_LEVEL: 'warn' });
    expect(migrated.code, migrated.stderr).toBe(0);
    h = await startHarness({ simCameras: 2, env: { KUZET_DATA_DIR: dataDir, KUZET_RECORDINGS_DIR: mountDir, KUZET_LOG_LEVEL: 'info', KUZET_RECORDING_SEGMENT_SECONDS: '10' } });
  }, 240_000);
  afterAll(async () => {
    await h?.close();
    execFileSync('umount', [mountDir]);
    fs.rmSync(mountDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('warns in the console, keeps the API up, loses nothing recorded, frees space by the floor and records on', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    const floor = Math.round(total() * 0.05);

    // Footage piles up (first start encodes the simulator's scenes: allow for it).
    const firstBy = Date.now() + 90_000;
    while (footageBytes() === 0 && Date.now() < firstBy) await new Promise((r) => setTimeout(r, 1000));
    // Until each camera has closed a file (retention never deletes the one being written) and
    // ~8 MB lie on the disk: with a warm scene cache the first files are still open at 8 MB.
    const closedPerCamera = () => {
      const n = new Map<string, number>();
      for (const f of mp4s()) n.set(f.rel.split('/')[0]!, (n.get(f.rel.split('/')[0]!) ?? 0) + 1);
      return [...n.values()].filter((k) => k >= 2).length;
    };
    const deadline = Date.now() + 120_000;
    while (footageBytes() > 0 && (footageBytes() < 8_000_000 || closedPerCamera() < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    const recorder = footageBytes() > 0;
    if (!recorder) console.warn('no footage appeared: the recorder is not in this build; the filler alone fills the disk');
    const before = mp4s();

    // Something else takes the rest of the disk.
    const fd = fs.openSync(FILLER, 'w');
    const chunk = Buffer.alloc(256 * 1024, 1);
    try {
      while (free() > 64 * 1024) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, free() - 32 * 1024));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    } finally {
      fs.closeSync(fd);
    }
    const filledAt = Date.now();

    // The top bar warns the operator (disk nearly full, or full), and links to the storage view.
    const alert = page.getByTestId('rec-health-alert');
    await page.reload();
    await alert.waitFor({ state: 'visible', timeout: 60_000 });
    expect(['warning', 'critical']).toContain(await alert.getAttribute('data-state'));
    expect(await alert.textContent()).toMatch(/Диск записей (почти )?заполнен/);
    // The API answers.
    expect((await page.request.get(`${h.url}/api/health`)).status()).toBe(200);
    expect((await page.request.get(`${h.url}/api/v1/me/layouts`)).status()).toBe(200);
    // Keyboard: the warning is a link to the storage view.
    await alert.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('camera-storage').waitFor();
    await page.getByTestId('storage-disk').waitFor();

    if (!recorder) {
      fs.rmSync(FILLER);
      expect(errors).toEqual([]);
      return;
    }

    // Retention frees the oldest footage down to the floor (the filler is not footage: it stays).
    await expect.poll(free, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(floor);
    expect(h.server.output()).toMatch(/by the free-space floor/);
    // Recording goes on: new files after the disk was filled.
    await expect.poll(() => mp4s().filter((f) => f.startMs > filledAt).length, { timeout: 60_000, interval: 1000 }).toBeGreaterThan(0);
    expect((await page.request.get(`${h.url}/api/health`)).status()).toBe(200);
    expect(errors).toEqual([]);

    // After a clean stop: every row points at a file that plays; what was deleted of the earlier footage is its oldest.
    await h.server.stop();
    const config = loadConfig({}, { KUZET_DATA_DIR: dataDir, KUZET_LOG_LEVEL: 'silent' });
    const db = await openDatabase(config.database);
    try {
      const rows = await db.db.selectFrom('recordingSegments').select(['path', 'state', 'bytes']).execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.state === 'open')).toEqual([]);
      for (const r of rows) {
        const file = path.join(mountDir, r.path);
        expect(fs.existsSync(file), r.path).toBe(true);
        const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file]);
        expect(probe.stdout.trim(), r.path).toMatch(/h264|hevc/);
      }
      const kept = new Set(rows.map((r) => r.path));
      const gone = before.filter((f) => !kept.has(f.rel));
      const stayed = before.filter((f) => kept.has(f.rel));
      expect(gone.length).toBeGreaterThan(0);
      if (stayed.length) expect(Math.max(...gone.map((f) => f.startMs))).toBeLessThanOrEqual(Math.min(...stayed.map((f) => f.startMs)) + 60_000);
    } finally {
      await db.close();
    }
  });
});
