import path from 'node:path';
import type { MediaRow } from './playback.repository.ts';
import { RecordedFile } from './recorded-file.ts';
import { MERGE_TOLERANCE_MS } from './timeline.ts';

/** One file's part of a response: from a seek point up to a wall-clock limit. */
export interface PlannedFile {
  row: MediaRow;
  file: RecordedFile;
  startMs: number;
  /** moof offset to start at. */
  offset: number;
  /** Wall time of the first fragment sent from it. */
  firstMs: number;
  /** Fragments starting at or after this wall time are not sent. */
  untilMs: number;
}

export interface MediaPlan {
  files: PlannedFile[];
  codec: string;
  startMs: number;
  endMs: number;
}

/**
 * Which files and bytes a response sends: the file holding `from` (or the first after it)
 * from its keyframe at or before `from`, then the files that follow without a gap, up to
 * `limitMs` — ending at the first keyframe at or after the limit (or the file's end), so
 * the next request, from X-Kuzet-End, continues exactly there. Files missing on disk are
 * skipped at the start and cut the run elsewhere (a hole in time must not be bridged).
 * Every file in the plan is open; the caller closes them (closePlan).
 */
export async function planMedia(root: string, rows: readonly MediaRow[], fromMs: number, limitMs: number, originMs: number): Promise<MediaPlan | null> {
  const files: PlannedFile[] = [];
  let prevEnd = 0;
  for (const row of rows) {
    const startMs = row.startAt.getTime();
    const endMs = row.endAt.getTime();
    if (endMs <= fromMs || startMs >= limitMs || endMs <= startMs) continue;
    if (files.length && startMs > prevEnd + MERGE_TOLERANCE_MS) break;
    // A row whose codec changes mid-run (a camera reconfigured) ends the run: one response, one codec family.
    if (files.length && codecFamily(row.codec) !== codecFamily(files[0]!.row.codec)) break;
    const file = await RecordedFile.open(path.join(root, ...row.path.split('/')));
    if (!file) {
      if (files.length) break;
      continue; // deleted meanwhile: start at the next one
    }
    const kfs = Array.isArray(row.keyframes) ? row.keyframes : [];
    let offset = file.firstFragment;
    let firstMs = startMs;
    if (!files.length) {
      // The seek point: the last keyframe at or before `from`, never before the origin (tfdt ≥ 0).
      const usable = kfs.filter(([ms, off]) => off >= file.firstFragment && startMs + ms >= originMs);
      if (!kfs.length && startMs >= originMs) usable.push([0, file.firstFragment]);
      const at = usable.filter(([ms]) => startMs + ms <= fromMs).pop() ?? usable[0];
      if (!at) {
        await file.close();
        continue;
      }
      offset = at[1];
      firstMs = startMs + at[0];
    }
    let untilMs = endMs;
    for (const [ms] of kfs) {
      if (startMs + ms >= limitMs && startMs + ms > firstMs) {
        untilMs = startMs + ms;
        break;
      }
    }
    files.push({ row, file, startMs, offset, firstMs, untilMs });
    prevEnd = endMs;
    if (untilMs < endMs || endMs >= limitMs) break;
  }
  if (!files.length) return null;
  return { files, codec: files[0]!.row.codec, startMs: files[0]!.firstMs, endMs: files[files.length - 1]!.untilMs };
}

export async function closePlan(plan: MediaPlan): Promise<void> {
  await Promise.all(plan.files.map((f) => f.file.close()));
}

export function codecFamily(codec: string): 'h264' | 'h265' {
  const c = codec.toLowerCase();
  return c.startsWith('hvc') || c.startsWith('hev') || c.includes('265') || c.includes('hevc') ? 'h265' : 'h264';
}

/**
 * The plan's bytes as one fMP4 with tfdt = (wall − origin) in 90 kHz units: an init
 * segment first and again only when a file's differs, then each file's fragments in
 * [firstMs, untilMs). Reads one fragment at a time: memory stays at a fragment or two
 * however long the response. `onFragment` sees every fragment sent (wall ms, moof info).
 */
export async function* planBytes(
  plan: MediaPlan,
  originMs: number,
  onFragment?: (wallMs: number, data: Buffer) => void,
  state: { lastInit: Buffer | null } = { lastInit: null },
): AsyncGenerator<Buffer> {
  for (const f of plan.files) {
    let initSent = false;
    // tfdt / 90 is ms from the file's start (decision 0005); the shift keeps integer ticks.
    const shift = (f.startMs - originMs) * 90;
    for await (const frag of f.file.fragments(f.offset)) {
      const wall = f.startMs + frag.moof.baseDecodeTime / 90;
      if (wall >= f.untilMs - 1) break; // the index keeps whole ms
      if (frag.moof.tfdtAt === null || frag.moof.tfdtVersion !== 1) break; // not a recorder's file: stop rather than send wrong times
      if (!initSent) {
        if (!state.lastInit || !state.lastInit.equals(f.file.init)) yield f.file.init;
        state.lastInit = f.file.init;
        initSent = true;
      }
      const moof = frag.data;
      new DataView(moof.buffer, moof.byteOffset, moof.byteLength).setBigUint64(frag.moof.tfdtAt, BigInt(Math.max(0, Math.round(frag.moof.baseDecodeTime + shift))));
      onFragment?.(wall, moof);
      yield moof;
    }
  }
}
