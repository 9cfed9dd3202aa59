import fs from 'node:fs';
import path from 'node:path';
import { parseFmp4, parseSps } from '@kuzet/media';
import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { addDays, almatyDate } from '../../lib/almaty-time.ts';

/** What survives of a recording file: everything up to its last whole moof+mdat pair. */
export interface Salvage {
  /** Bytes to keep (0: not even one whole fragment: delete the file). */
  wholeBytes: number;
  /** End of the last whole fragment, in ms from the file's start. */
  durationMs: number;
  keyframes: [number, number][];
  codec: string;
  width: number | null;
  height: number | null;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;
}

function type(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
}

/**
 * Walks the top-level boxes of a recording (ftyp, moov, then moof+mdat pairs) and
 * returns what is whole: the pure part of recovery, for a file cut at any byte. Null when
 * nothing is worth keeping (no init segment, or no whole fragment after it).
 */
export function salvage(buf: Uint8Array): Salvage | null {
  let o = 0;
  let initEnd = 0;
  let whole = 0;
  let pendingMoof = -1;
  while (o + 8 <= buf.length) {
    let size = u32(buf, o);
    const t = type(buf, o + 4);
    let header = 8;
    if (size === 1) {
      if (o + 16 > buf.length) break;
      size = u32(buf, o + 8) * 0x100000000 + u32(buf, o + 12);
      header = 16;
    }
    if (size < header || o + size > buf.length) break; // cut inside this box (or garbage)
    if (t === 'ftyp' && o === 0) initEnd = o + size;
    else if (t === 'moov' && initEnd > 0 && whole === 0 && pendingMoof < 0) {
      initEnd = o + size;
      whole = initEnd;
    } else if (t === 'moof' && whole > 0 && pendingMoof < 0) pendingMoof = o;
    else if (t === 'mdat' && pendingMoof >= 0) {
      whole = o + size;
      pendingMoof = -1;
    } else break; // anything else: stop at the last whole pair
    o += size;
  }
  if (whole <= initEnd) return null;
  // Parse what is whole; a pair whose moof does not parse (a torn write that still had
  // plausible box sizes) ends the salvage there.
  for (;;) {
    const parsed = parseFmp4(buf.subarray(0, whole));
    if (parsed.ok) {
      const file = parsed.file;
      const track = file.tracks[0];
      if (!track || file.fragments.length === 0) return null;
      let end = 0;
      const keyframes: [number, number][] = [];
      for (const f of file.fragments) {
        const first = f.samples[0];
        if (!first) continue;
        if (first.keyframe) keyframes.push([Math.round((first.dts * 1000) / track.timescale), f.offset]);
        for (const s of f.samples) end = Math.max(end, s.dts + s.duration);
      }
      const sps = parseSps(track.codec, track.parameterSets.sps);
      return {
        wholeBytes: whole,
        durationMs: Math.round((end * 1000) / track.timescale),
        keyframes,
        codec: sps?.codecString ?? track.codec,
        width: track.width || null,
        height: track.height || null,
      };
    }
    const last = lastPairStart(buf, initEnd, whole);
    if (last <= initEnd) return null;
    whole = last;
  }
}

/** Offset of the last moof in [initEnd, end). */
function lastPairStart(buf: Uint8Array, initEnd: number, end: number): number {
  let o = initEnd;
  let last = initEnd;
  while (o + 8 <= end) {
    const size = u32(buf, o);
    if (size < 8) break;
    if (type(buf, o + 4) === 'moof') last = o;
    o += size;
  }
  return last;
}

/** startMs from a recording's file name (<startMs>.mp4), or null. */
export function startOf(rel: string): number | null {
  const m = /(?:^|\/)(\d{10,15})\.mp4$/.exec(rel);
  return m ? Number(m[1]) : null;
}

export interface RecoveredFile {
  path: string;
  cameraId: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

/**
 * The file part of recovery: truncates a recording after its last whole fragment (and
 * fdatasyncs it) and returns what it holds; deletes a file with no whole fragment.
 */
export async function recoverFile(root: string, rel: string): Promise<(Salvage & { startMs: number }) | null> {
  const abs = path.join(root, rel);
  const startMs = startOf(rel);
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const s = startMs === null ? null : salvage(buf);
  if (!s || startMs === null) {
    await fs.promises.rm(abs, { force: true });
    return null;
  }
  if (s.wholeBytes < buf.length) {
    const fh = await fs.promises.open(abs, 'r+');
    try {
      await fh.truncate(s.wholeBytes);
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }
  return { ...s, startMs };
}

/**
 * On start, before recording resumes: every index row still 'open' (the server or a
 * worker died while writing it) and every file of the last two Almaty days that the
 * index does not know (created before its first fragment was indexed) is truncated after
 * its last whole fragment and indexed as 'recovered'; a file with nothing whole is deleted
 * with its row. A 'stopped' server_down event marks where each recovered file ends.
 */
export async function recoverRecordings(deps: { db: Database; root: string; log: Logger; now?: number }): Promise<RecoveredFile[]> {
  const { db, root, log } = deps;
  const out: RecoveredFile[] = [];
  const open = await db.selectFrom('recordingSegments').select(['id', 'path', 'cameraId', 'complexId']).where('state', '=', 'open').execute();
  const todo: { path: string; cameraId: string; complexId: string | null; id: number | null }[] = open.map((r) => ({ ...r, id: r.id }));
  const today = almatyDate(new Date(deps.now ?? Date.now()));
  const days = [addDays(today, -1), today];
  let cams: string[] = [];
  try {
    cams = (await fs.promises.readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const candidates: string[] = [];
  for (const cam of cams) {
    for (const day of days) {
      let names: string[] = [];
      try {
        names = await fs.promises.readdir(path.join(root, cam, day));
      } catch {
        continue;
      }
      for (const n of names) if (n.endsWith('.mp4')) candidates.push(`${cam}/${day}/${n}`);
    }
  }
  if (candidates.length) {
    const known = new Set<string>();
    for (let i = 0; i < candidates.length; i += 500) {
      const rows = await db.selectFrom('recordingSegments').select('path').where('path', 'in', candidates.slice(i, i + 500)).execute();
      for (const r of rows) known.add(r.path);
    }
    const complexes = new Map<string, string | null>();
    for (const rel of candidates) {
      if (known.has(rel)) continue;
      const cameraId = rel.split('/')[0]!;
      if (!complexes.has(cameraId)) {
        const row = await db.selectFrom('cameras').select('complexId').where('id', '=', cameraId).executeTakeFirst().catch(() => undefined);
        complexes.set(cameraId, row?.complexId ?? null);
      }
      todo.push({ path: rel, cameraId, complexId: complexes.get(cameraId) ?? null, id: null });
    }
  }
  for (const item of todo) {
    let s: Awaited<ReturnType<typeof recoverFile>>;
    try {
      s = await recoverFile(root, item.path);
    } catch (err) {
      log.warn({ err, path: item.path }, 'could not recover a recording');
      continue;
    }
    if (!s) {
      if (item.id !== null) await db.deleteFrom('recordingSegments').where('id', '=', item.id).execute();
      log.info({ path: item.path }, 'deleted a recording with no whole fragment');
      continue;
    }
    if (!item.complexId) {
      log.warn({ path: item.path }, 'a recording of an unknown camera: left on disk, not indexed');
      continue;
    }
    const endMs = s.startMs + s.durationMs;
    const row = {
      complexId: item.complexId,
      cameraId: item.cameraId,
      path: item.path,
      startAt: new Date(s.startMs),
      endAt: new Date(endMs),
      bytes: s.wholeBytes,
      codec: s.codec,
      width: s.width,
      height: s.height,
      keyframes: JSON.stringify(s.keyframes),
      state: 'recovered' as const,
    };
    await db.transaction().execute(async (tx) => {
      if (item.id !== null) await tx.updateTable('recordingSegments').set(row).where('id', '=', item.id).execute();
      else await tx.insertInto('recordingSegments').values(row).onConflict((oc) => oc.column('path').doUpdateSet(row)).execute();
      await tx.insertInto('recordingEvents').values({ complexId: item.complexId!, cameraId: item.cameraId, at: new Date(endMs), kind: 'stopped', reason: 'server_down' }).execute();
    });
    out.push({ path: item.path, cameraId: item.cameraId, startMs: s.startMs, endMs, bytes: s.wholeBytes });
  }
  if (out.length) log.info({ files: out.length }, 'recordings recovered after an unclean stop');
  return out;
}
