/**
 * @kuzet/ffmpeg — finds ffmpeg/ffprobe (override → system → packaged) and asks them what
 * they can do. Used by the simulator, the live transcoder and `kuzet doctor`. Node built-ins
 * only (plus the packaged binaries), so the simulator stays independent of the server.
 */
import { statSync } from 'node:fs';
import { locate, type LocateOptions, type Located } from './locate.ts';
import { probeFfmpeg, type FfmpegInfo } from './probe.ts';

export { locate, commandFor, onPath, packagedPath, OVERRIDE_VARIABLE } from './locate.ts';
export type { Located, LocateOptions, ToolName, ToolSource } from './locate.ts';
export { probeFfmpeg, probeVersion, parseVersion, parseCodecList, parseFilterList, hasFpsMode } from './probe.ts';
export type { FfmpegInfo, ToolInfo } from './probe.ts';

export type FfmpegStatus = { ok: true; info: FfmpegInfo } | Extract<Located, { ok: false }>;

// Probing a dynamically linked ffmpeg costs ~0.1–0.8 s (four runs); a binary is asked once per process.
const probes = new Map<string, Promise<FfmpegInfo>>();

function probeOnce(found: Extract<Located, { ok: true }>): Promise<FfmpegInfo> {
  const st = statSync(found.path);
  const key = `${found.path}\0${found.source}\0${st.size}\0${st.mtimeMs}`;
  let p = probes.get(key);
  if (!p) {
    p = probeFfmpeg(found);
    probes.set(key, p);
    p.catch(() => probes.delete(key));
  }
  return p;
}

/** Locates and probes ffmpeg; a binary that is there but does not run is reported, not thrown. */
export async function findFfmpeg(opts: LocateOptions = {}): Promise<FfmpegStatus> {
  const found = locate('ffmpeg', opts);
  if (!found.ok) return found;
  try {
    return { ok: true, info: await probeOnce(found) };
  } catch (err) {
    return {
      ok: false,
      name: 'ffmpeg',
      reason: `${found.path} (${found.source}) does not run: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      fix: 'reinstall it, or set KUZET_FFMPEG to a working ffmpeg',
    };
  }
}

let current: Promise<FfmpegStatus> | null = null;
let settled: FfmpegStatus | null = null;

/** This process's ffmpeg (from process.env), probed once. */
export function processFfmpeg(): Promise<FfmpegStatus> {
  current ??= findFfmpeg().then((s) => (settled = s));
  return current;
}

/** The result of processFfmpeg() if it has settled (callers that must not wait: warm it at start). */
export function processFfmpegNow(): FfmpegInfo | null {
  return settled?.ok ? settled.info : null;
}

/** One line for a log: which ffmpeg, from where, and the encoders the product uses. */
export function describeFfmpeg(info: FfmpegInfo): string {
  const enc = ['libx264', 'libx265'].map((e) => `${e} ${info.encoders.has(e) ? 'yes' : 'no'}`).join(', ');
  return `ffmpeg ${info.version} (${info.source}: ${info.path}; ${enc})`;
}
