/**
 * `kuzet doctor`'s checks: each returns what it found and, when something is wrong, what to
 * do. `need` says who misses it: the server itself, the demo (`npm start`: its cameras), or
 * only the tests (optional: never a non-zero exit).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeFfmpeg, findFfmpeg, locate, probeVersion, type LocateOptions } from '@kuzet/ffmpeg';
import pg from 'pg';
import type { Config } from '../../config/config.ts';
import { redactUrl } from '../../platform/redact.ts';

const run = promisify(execFile);

export type Need = 'server' | 'demo' | 'optional' | 'tests';
export type Status = 'ok' | 'fail' | 'warn';

export interface Check {
  name: string;
  status: Status;
  /** what was found, or what is wrong */
  detail: string;
  /** what to do (for fail and warn) */
  fix?: string;
  need: Need;
}

const ok = (name: string, need: Need, detail: string): Check => ({ name, status: 'ok', detail, need });
/** A failure of something optional (or only for the tests) is a warning: the server and the demo run without it. */
const bad = (name: string, need: Need, detail: string, fix: string): Check => ({
  name,
  status: need === 'tests' || need === 'optional' ? 'warn' : 'fail',
  detail,
  fix,
  need,
});

const MB = 1024 * 1024;
const errText = (err: unknown): string => (err instanceof Error ? err.message.split('\n')[0]! : String(err));

export function checkNode(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 19)
    ? ok('node', 'server', `Node ${version}`)
    : bad('node', 'server', `Node ${version} is older than 20.19`, 'install Node 20.19 or newer (https://nodejs.org, or your distribution)');
}

export async function checkFfmpeg(where: LocateOptions = {}): Promise<Check[]> {
  const s = await findFfmpeg(where);
  if (!s.ok) return [bad('ffmpeg', 'demo', s.reason, `${s.fix} (the demo cameras' scenes and live H.265 need it)`)];
  const i = s.info;
  const older = i.source === 'packaged' ? ' — an older static build; a system ffmpeg (apt-get install -y ffmpeg) is used instead when present' : '';
  const checks: Check[] = [ok('ffmpeg', 'demo', `${describeFfmpeg(i)}${older}`)];
  checks.push(
    i.encoders.has('libx264')
      ? ok('ffmpeg libx264', 'demo', 'encodes H.264 (scenes, live H.265 → H.264)')
      : bad('ffmpeg libx264', 'demo', `${i.path} has no libx264 encoder`, 'install an ffmpeg built with libx264 (Debian: apt-get install -y ffmpeg), or set KUZET_FFMPEG'),
  );
  checks.push(
    i.encoders.has('libx265')
      ? ok('ffmpeg libx265', 'optional', 'encodes H.265 (the H.265 demo camera)')
      : bad('ffmpeg libx265', 'optional', `${i.path} has no libx265: the H.265 demo camera is served as H.264`, 'install an ffmpeg built with libx265 (Debian: apt-get install -y ffmpeg) for the H.265 camera'),
  );
  if (i.source !== 'packaged') {
    const fallback = locate('ffmpeg', { env: {}, system: false });
    checks.push(ok('ffmpeg fallback', 'demo', fallback.ok ? `packaged static build at ${fallback.path} (used when there is no system ffmpeg)` : 'no packaged build (not needed while this one is there)'));
  }
  const missing = ['h264', 'hevc'].filter((d) => !i.decoders.has(d));
  checks.push(
    missing.length
      ? bad('ffmpeg decoders', 'demo', `no ${missing.join(', ')} decoder`, 'install a full ffmpeg (Debian: apt-get install -y ffmpeg), or set KUZET_FFMPEG')
      : ok('ffmpeg decoders', 'demo', 'decodes h264, hevc'),
  );
  return checks;
}

export async function checkFfprobe(where: LocateOptions = {}): Promise<Check> {
  const found = locate('ffprobe', where);
  if (!found.ok) return bad('ffprobe', 'tests', found.reason, `${found.fix} (tests check the fMP4 we write with it)`);
  try {
    const v = await probeVersion(found);
    return ok('ffprobe', 'tests', `ffprobe ${v.version} (${v.source}: ${v.path})`);
  } catch (err) {
    return bad('ffprobe', 'tests', `${found.path} does not run: ${errText(err)}`, 'reinstall it, or set KUZET_FFPROBE');
  }
}

export async function checkChromium(file = '/usr/bin/chromium'): Promise<Check> {
  const fix = 'apt-get install -y chromium (the end-to-end tests drive it)';
  if (!fs.existsSync(file)) return bad('chromium', 'tests', `no ${file}`, fix);
  try {
    const { stdout } = await run(file, ['--version'], { timeout: 20_000 });
    return ok('chromium', 'tests', `${stdout.trim()} (${file})`);
  } catch (err) {
    return bad('chromium', 'tests', `${file} does not run: ${errText(err)}`, fix);
  }
}

export async function checkGstreamer(python = '/usr/bin/python3'): Promise<Check> {
  const fix =
    'apt-get install -y python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad (the RTSP interop tests)';
  try {
    await run(python, ['-c', "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import GstRtspServer"], { timeout: 20_000 });
  } catch {
    return bad('gstreamer', 'tests', `no GStreamer RTSP server under ${python}`, fix);
  }
  const missing: string[] = [];
  for (const el of ['x264enc', 'x265enc']) {
    try {
      await run('gst-inspect-1.0', [el], { timeout: 20_000 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return bad('gstreamer', 'tests', 'RTSP server present, no gst-inspect-1.0 on PATH', fix);
      missing.push(el);
    }
  }
  return missing.length
    ? bad('gstreamer', 'tests', `RTSP server present, no ${missing.join(', ')}`, fix)
    : ok('gstreamer', 'tests', 'RTSP server with x264enc, x265enc (interop tests)');
}

/** The nearest directory that exists: what a missing data dir would be created in. */
function existingAncestor(dir: string): string {
  let d = path.resolve(dir);
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

/** Really writes (access(2) says yes to root everywhere, even on /proc). */
function writable(dir: string): boolean {
  try {
    fs.rmdirSync(fs.mkdtempSync(path.join(dir, '.kuzet-doctor-')));
    return true;
  } catch {
    return false;
  }
}

export function checkDataDir(config: Config): Check[] {
  const dir = config.dataDir;
  const where = existingAncestor(dir);
  const checks: Check[] = [];
  if (!writable(where))
    checks.push(bad('data dir', 'server', `${dir} is not writable (${where})`, `fix its permissions, or set KUZET_DATA_DIR to a writable directory`));
  else checks.push(ok('data dir', 'server', where === dir ? `${dir} (writable)` : `${dir} (will be created in ${where})`));
  try {
    const st = fs.statfsSync(where);
    const free = st.bavail * st.bsize;
    const text = `${(free / 1024 / MB).toFixed(1)} GB free on ${where}`;
    if (free < 200 * MB) checks.push(bad('free disk', 'server', text, 'free some space (the database and the scene cache need a few hundred MB)'));
    else if (free < 2 * 1024 * MB) checks.push({ name: 'free disk', status: 'warn', detail: text, fix: 'less than 2 GB: recordings will need much more', need: 'server' });
    else checks.push(ok('free disk', 'server', text));
  } catch (err) {
    checks.push({ name: 'free disk', status: 'warn', detail: `cannot tell: ${errText(err)}`, need: 'server' });
  }
  return checks;
}

export async function checkDatabase(config: Config): Promise<Check> {
  if (config.database.kind === 'pglite') {
    const db = config.database.dir;
    const lock = path.join(config.dataDir, 'kuzet.pid');
    const holder = fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8').trim() : '';
    const note = holder ? `; held by process ${holder} (a running server, or a stale lock the next start clears)` : '';
    return writable(existingAncestor(db))
      ? ok('database', 'server', `embedded (PGlite) in ${db}${note}`)
      : bad('database', 'server', `embedded database dir ${db} is not writable`, 'fix its permissions, set KUZET_DATA_DIR, or set DATABASE_URL to a PostgreSQL database');
  }
  const shown = redactUrl(config.database.url);
  const client = new pg.Client({ connectionString: config.database.url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const r = await client.query<{ v: string }>('show server_version');
    return ok('database', 'server', `PostgreSQL ${r.rows[0]?.v ?? '?'} at ${shown}`);
  } catch (err) {
    return bad('database', 'server', `PostgreSQL at ${shown} is not reachable: ${errText(err)}`, 'start PostgreSQL (15+), or fix DATABASE_URL (unset it for the embedded database)');
  } finally {
    await client.end().catch(() => undefined); // never connected: nothing to close
  }
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

async function kuzetAnswers(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
    return r.ok && ((await r.json()) as { status?: string }).status === 'ok';
  } catch {
    return false; // not HTTP, not Kuzet, or not answering
  }
}

export async function checkPorts(config: Config): Promise<Check[]> {
  const checks: Check[] = [];
  const http = config.http.port;
  let running = false;
  if (http === 0) checks.push(ok('http port', 'server', 'PORT=0: a free port is picked at start'));
  else if (await portFree(http, config.http.host)) checks.push(ok('http port', 'server', `${config.http.host}:${http} is free`));
  else if ((running = await kuzetAnswers(http))) checks.push(ok('http port', 'server', `${http} is in use by a running Kuzet server`));
  else checks.push(bad('http port', 'server', `port ${http} is in use by another program`, 'stop it, or set PORT to a free port'));
  if (config.sim.cameras === 0) {
    checks.push(ok('sim ports', 'demo', 'KUZET_SIM_CAMERAS=0: no simulator'));
    return checks;
  }
  const busy: number[] = [];
  for (const p of [config.sim.port, config.sim.port + 1]) if (!(await portFree(p, '127.0.0.1'))) busy.push(p);
  if (busy.length && running) {
    checks.push(ok('sim ports', 'demo', `${busy.join(', ')} in use, presumably by the running server's simulator`));
    return checks;
  }
  checks.push(
    busy.length
      ? bad('sim ports', 'demo', `${busy.join(', ')} in use (the demo cameras' RTSP ${config.sim.port} and control ${config.sim.port + 1})`, 'stop what holds them (a running demo?), or set KUZET_SIM_PORT')
      : ok('sim ports', 'demo', `RTSP ${config.sim.port} and control ${config.sim.port + 1} are free`),
  );
  return checks;
}
