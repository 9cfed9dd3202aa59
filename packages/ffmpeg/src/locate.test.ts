import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFfmpeg, locate, packagedPath } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'kuzet-locate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A directory holding an executable named `name` (a shell script; locate never runs it). */
function binDir(label: string, name = 'ffmpeg'): string {
  const dir = join(root, label);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, name), 0o755);
  return dir;
}

describe('locate', () => {
  it('prefers the system ffmpeg on PATH over the packaged one', () => {
    const sys = binDir('sys');
    const found = locate('ffmpeg', { env: { PATH: `/nonexistent:${sys}` } });
    expect(found).toEqual({ ok: true, name: 'ffmpeg', path: join(sys, 'ffmpeg'), source: 'system' });
  });

  it('skips a file on PATH that is not executable', () => {
    const dir = binDir('noexec');
    chmodSync(join(dir, 'ffmpeg'), 0o644);
    const sys = binDir('sys2');
    expect(locate('ffmpeg', { env: { PATH: `${dir}:${sys}` }, packaged: false })).toMatchObject({ ok: true, path: join(sys, 'ffmpeg') });
  });

  it('falls back to the packaged build when PATH has no ffmpeg', () => {
    const found = locate('ffmpeg', { env: { PATH: binDir('only-node', 'node') } });
    if (!found.ok) throw new Error(`the packaged ffmpeg is not installed (${found.reason}): run npm install`);
    expect(found.source).toBe('packaged');
    expect(found.path).toMatch(/@ffmpeg-installer[\\/][a-z0-9]+-[a-z0-9]+[\\/]ffmpeg$/);
    expect(packagedPath('ffmpeg')).toBe(found.path);
  });

  it('finds the packaged ffprobe the same way', () => {
    const found = locate('ffprobe', { env: { PATH: '' } });
    expect(found).toMatchObject({ ok: true, source: 'packaged' });
  });

  it('honours KUZET_FFMPEG / KUZET_FFPROBE over the system and the packaged ones', () => {
    const sys = binDir('sys3');
    const mine = binDir('mine', 'my-ffmpeg');
    expect(locate('ffmpeg', { env: { PATH: sys, KUZET_FFMPEG: join(mine, 'my-ffmpeg') } })).toMatchObject({
      ok: true,
      path: join(mine, 'my-ffmpeg'),
      source: 'env',
    });
    // a bare name is looked up on PATH
    expect(locate('ffmpeg', { env: { PATH: `${sys}:${mine}`, KUZET_FFMPEG: 'my-ffmpeg' } })).toMatchObject({ ok: true, source: 'env' });
    const probe = binDir('probe', 'ffprobe');
    expect(locate('ffprobe', { env: { PATH: '', KUZET_FFPROBE: join(probe, 'ffprobe') } })).toMatchObject({ ok: true, source: 'env' });
  });

  it('reports a wrong override instead of silently using another ffmpeg', () => {
    const found = locate('ffmpeg', { env: { PATH: binDir('sys4'), KUZET_FFMPEG: '/nonexistent/ffmpeg' } });
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.reason).toContain('KUZET_FFMPEG=/nonexistent/ffmpeg');
    expect(found.fix).toMatch(/point KUZET_FFMPEG at an ffmpeg binary, or unset it/);
  });

  it('says what to do when there is none at all', () => {
    const found = locate('ffmpeg', { env: { PATH: '' }, packaged: false });
    expect(found).toMatchObject({ ok: false, reason: expect.stringContaining('no ffmpeg on PATH') });
    if (!found.ok) expect(found.fix).toContain('apt-get install -y ffmpeg');
  });

  it('accepts a symlink on PATH (a PATH made of links still works)', () => {
    const dir = join(root, 'links');
    mkdirSync(dir);
    symlinkSync(join(binDir('real'), 'ffmpeg'), join(dir, 'ffmpeg'));
    expect(locate('ffmpeg', { env: { PATH: dir } })).toMatchObject({ ok: true, source: 'system', path: join(dir, 'ffmpeg') });
  });
});

describe('findFfmpeg', () => {
  it('reports an ffmpeg that does not run', async () => {
    const dir = join(root, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'ffmpeg'), '#!/bin/sh\necho "cannot start" >&2\nexit 3\n');
    chmodSync(join(dir, 'ffmpeg'), 0o755);
    const s = await findFfmpeg({ env: { PATH: dir } });
    expect(s).toMatchObject({ ok: false, reason: expect.stringContaining('does not run') });
  });
});
