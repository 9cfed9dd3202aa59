/**
 * Where ffmpeg and ffprobe come from, in this order: the override (`KUZET_FFMPEG` /
 * `KUZET_FFPROBE`), the system's (first on PATH — usually newer, so preferred), then the
 * static build an npm package ships (`@ffmpeg-installer/<platform>`,
 * `@ffprobe-installer/<platform>`), so that a machine with only Node and npm still runs the
 * demo. A wrong override is reported, never silently replaced: the operator asked for it.
 */
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';

export type ToolName = 'ffmpeg' | 'ffprobe';
export type ToolSource = 'env' | 'system' | 'packaged';

export type Located =
  | { ok: true; name: ToolName; path: string; source: ToolSource }
  | { ok: false; name: ToolName; reason: string; fix: string };

export const OVERRIDE_VARIABLE: Record<ToolName, string> = { ffmpeg: 'KUZET_FFMPEG', ffprobe: 'KUZET_FFPROBE' };
const PACKAGE_SCOPE: Record<ToolName, string> = { ffmpeg: '@ffmpeg-installer', ffprobe: '@ffprobe-installer' };

export interface LocateOptions {
  env?: Record<string, string | undefined>;
  /** Skip the system's binary (tests; `kuzet doctor` shows both). */
  system?: boolean;
  /** Skip the packaged binary (tests). */
  packaged?: boolean;
  platform?: string;
  arch?: string;
}

const exe = (name: string, platform: string): string => (platform === 'win32' ? `${name}.exe` : name);

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false; // missing or not executable: the caller tries the next candidate
  }
}

/** The first executable `name` on PATH, like `command -v`. */
export function onPath(name: string, env: Record<string, string | undefined>): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return resolve(candidate);
  }
  return null;
}

/**
 * The packaged binary's path, or null when the package (or this platform's build) is not
 * installed. npm here runs no dependency install scripts, and the package's only script is
 * `chmod u+x`: do that ourselves when the tarball's mode was lost.
 */
export function packagedPath(name: ToolName, platform: string = process.platform, arch: string = process.arch): string | null {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve(`${PACKAGE_SCOPE[name]}/${platform}-${arch}/package.json`);
  } catch {
    return null; // not installed (another platform, or --omit=optional)
  }
  const path = join(dirname(pkg), exe(name, platform));
  try {
    statSync(path);
  } catch {
    return null;
  }
  if (!isExecutableFile(path)) {
    try {
      chmodSync(path, statSync(path).mode | 0o100);
    } catch {
      return null; // read-only install owned by someone else: treat as not installed
    }
  }
  return isExecutableFile(path) ? path : null;
}

export function locate(name: ToolName, opts: LocateOptions = {}): Located {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const variable = OVERRIDE_VARIABLE[name];
  const override = env[variable];
  if (override) {
    const path = isAbsolute(override) || override.includes('/') ? resolve(override) : onPath(override, env);
    if (path && isExecutableFile(path)) return { ok: true, name, path, source: 'env' };
    return {
      ok: false,
      name,
      reason: `${variable}=${override} is not an executable file`,
      fix: `point ${variable} at an ${name} binary, or unset it to use the system's or the packaged one`,
    };
  }
  if (opts.system !== false) {
    const path = onPath(exe(name, platform), env);
    if (path) return { ok: true, name, path, source: 'system' };
  }
  if (opts.packaged !== false) {
    const path = packagedPath(name, platform, opts.arch ?? process.arch);
    if (path) return { ok: true, name, path, source: 'packaged' };
  }
  return {
    ok: false,
    name,
    reason: `no ${name} on PATH and no packaged build for ${platform}-${opts.arch ?? process.arch}`,
    fix: `install it (Debian: apt-get install -y ffmpeg), run npm install to get the packaged one, or set ${variable}`,
  };
}

/** The command to spawn: the located path, or the bare name (spawn then fails with a clear ENOENT). */
export function commandFor(name: ToolName, opts: LocateOptions = {}): string {
  const found = locate(name, opts);
  return found.ok ? found.path : name;
}
