import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli } from '../testing/cli-process.ts';
import { checkNode } from './doctor/checks.ts';

/** `kuzet doctor` as a user runs it: lines with ✓ / ✗ / !, what to do, and the exit code. */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function env(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-doctor-'));
  dirs.push(dataDir);
  // No simulator by default: a free port's neighbour (its control port) may be taken by a parallel test file.
  return { KUZET_DATA_DIR: dataDir, PORT: String(await freePort()), KUZET_SIM_CAMERAS: '0', ...extra };
}

const line = (out: string, name: string): string => out.split('\n').find((l) => l.slice(2).startsWith(name.padEnd(16))) ?? `(no ${name} line in)\n${out}`;

describe('kuzet doctor', () => {
  it('on this machine: every check has its line, and the exit is 0', async () => {
    const r = await runCli(['doctor'], await env());
    for (const name of ['node', 'ffmpeg', 'ffmpeg libx264', 'ffprobe', 'database', 'data dir', 'free disk', 'http port', 'sim ports', 'chromium', 'gstreamer'])
      expect(line(r.stdout, name)).toMatch(/^[✓✗!] /);
    expect(line(r.stdout, 'ffmpeg')).toMatch(/^✓ ffmpeg +ffmpeg \S+ \((system|packaged): \//);
    expect(line(r.stdout, 'database')).toMatch(/^✓ database +embedded \(PGlite\)/);
    expect(r.stdout).toContain('Ready: the server and the demo have what they need');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('an override pointing at a missing ffmpeg: ✗, what to do, exit 1', async () => {
    const r = await runCli(['doctor'], await env({ KUZET_FFMPEG: '/nonexistent/ffmpeg' }));
    expect(line(r.stdout, 'ffmpeg')).toBe('✗ ffmpeg           KUZET_FFMPEG=/nonexistent/ffmpeg is not an executable file');
    expect(r.stdout).toMatch(/→ point KUZET_FFMPEG at an ffmpeg binary, or unset it .* \[the demo\]/);
    expect(r.stdout).toMatch(/1 problem\(s\) the server or the demo cannot run with/);
    expect(r.code).toBe(1);
  });

  it('without a system ffmpeg on PATH it finds the packaged one', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-doctor-path-'));
    dirs.push(bin);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = await runCli(['doctor'], await env({ PATH: bin }));
    expect(line(r.stdout, 'ffmpeg')).toMatch(/^✓ ffmpeg +ffmpeg \S+ \(packaged: .*@ffmpeg-installer.*libx264 yes, libx265 yes\)/);
    expect(line(r.stdout, 'ffprobe')).toMatch(/^✓ ffprobe +ffprobe \S+ \(packaged: /);
    expect(r.code, r.stdout).toBe(0);
  });

  it('a port held by another program and an unreachable PostgreSQL are problems; the password is not printed', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await runCli(['doctor'], await env({ PORT: String(port), DATABASE_URL: `postgres://kuzet:s3cret-pass@127.0.0.1:${await freePort()}/kuzet` }));
      expect(line(r.stdout, 'http port')).toBe(`✗ http port        port ${port} is in use by another program`);
      expect(r.stdout).toContain('→ stop it, or set PORT to a free port [the server]');
      expect(line(r.stdout, 'database')).toMatch(/^✗ database +PostgreSQL at postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/kuzet is not reachable/);
      expect(r.stdout).not.toContain('s3cret-pass');
      expect(r.code).toBe(1);
    } finally {
      holder.close();
    }
  });

  it("the simulator's port held by another program is a problem for the demo", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await runCli(['doctor'], await env({ KUZET_SIM_CAMERAS: '12', KUZET_SIM_PORT: String(port) }));
      expect(line(r.stdout, 'sim ports')).toMatch(new RegExp(`^✗ sim ports +${port}(, \\d+)? in use`));
      expect(r.stdout).toMatch(/→ stop what holds them .*set KUZET_SIM_PORT \[the demo\]/);
      expect(r.code).toBe(1);
    } finally {
      holder.close();
    }
  });

  it('Node older than 20.19 is a problem', () => {
    expect(checkNode('20.18.1')).toMatchObject({ status: 'fail', need: 'server' });
    expect(checkNode('22.1.0').status).toBe('ok');
  });
});
