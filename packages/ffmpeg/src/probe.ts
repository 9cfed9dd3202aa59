/**
 * What an ffmpeg can do, asked of the binary itself: its version, libavcodec's version (the
 * packaged static build says `N-47683-…`, a git build, so the library version is what tells
 * its age), its encoders, decoders and filters. Parsers are pure (tested on captured output).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Located, ToolName, ToolSource } from './locate.ts';

const run = promisify(execFile);

export interface ToolInfo {
  name: ToolName;
  path: string;
  source: ToolSource;
  /** the `ffmpeg version X` token, e.g. `5.1.9-0+deb12u1` or `N-47683-g0e8eb07980-static` */
  version: string;
  /** libavcodec [major, minor]: 58 = ffmpeg 4.x, 59 = 5.x, 60 = 6.x, 61 = 7.x */
  libavcodec: [number, number];
}

export interface FfmpegInfo extends ToolInfo {
  encoders: Set<string>;
  decoders: Set<string>;
  filters: Set<string>;
  /** `-fps_mode` exists (ffmpeg ≥ 5.1, libavcodec 59.37); older builds only know `-vsync`. */
  fpsMode: boolean;
}

export function parseVersion(out: string): { version: string; libavcodec: [number, number] } {
  const version = /\b(?:ffmpeg|ffprobe) version (\S+)/.exec(out)?.[1] ?? 'unknown';
  const lib = /libavcodec\s+(\d+)\.\s*(\d+)/.exec(out);
  return { version, libavcodec: lib ? [Number(lib[1]), Number(lib[2])] : [0, 0] };
}

/** Names from `-encoders` / `-decoders`: the rows below the ` ------` line. */
export function parseCodecList(out: string): Set<string> {
  const names = new Set<string>();
  const body = out.split(/^\s*-{6}\s*$/m)[1] ?? '';
  for (const line of body.split('\n')) {
    const m = /^\s*[VAS.][A-Z.]{5}\s+(\S+)/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

/** Names from `-filters`: rows like ` T.C overlay  VV->V  Overlay …`. */
export function parseFilterList(out: string): Set<string> {
  const names = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /^\s[T.][S.][C.]\s+(\S+)\s+\S*->\S*/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

export function hasFpsMode([major, minor]: [number, number]): boolean {
  return major > 59 || (major === 59 && minor >= 37);
}

async function ask(path: string, args: string[]): Promise<string> {
  const { stdout } = await run(path, ['-hide_banner', ...args], { maxBuffer: 8 * 1024 * 1024, timeout: 20_000 });
  return stdout;
}

export async function probeFfmpeg(found: Extract<Located, { ok: true }>): Promise<FfmpegInfo> {
  const [version, encoders, decoders, filters] = await Promise.all([
    run(found.path, ['-version'], { timeout: 20_000 }).then((r) => r.stdout),
    ask(found.path, ['-encoders']),
    ask(found.path, ['-decoders']),
    ask(found.path, ['-filters']),
  ]);
  const v = parseVersion(version);
  return {
    name: 'ffmpeg',
    path: found.path,
    source: found.source,
    ...v,
    encoders: parseCodecList(encoders),
    decoders: parseCodecList(decoders),
    filters: parseFilterList(filters),
    fpsMode: hasFpsMode(v.libavcodec),
  };
}

export async function probeVersion(found: Extract<Located, { ok: true }>): Promise<ToolInfo> {
  const { stdout } = await run(found.path, ['-version'], { timeout: 20_000 });
  return { name: found.name, path: found.path, source: found.source, ...parseVersion(stdout) };
}
