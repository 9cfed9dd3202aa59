import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { boxHeader, inspectMoof, type MoofInfo } from './fmp4-boxes.ts';

/** Larger boxes than these are not what the recorder writes: the file is treated as damaged. */
const MAX_INIT = 1024 * 1024;
const MAX_MOOF = 4 * 1024 * 1024;
const MAX_MDAT = 128 * 1024 * 1024;

export interface RecordedFragment {
  /** Offset of the moof in the file. */
  offset: number;
  /** moof + mdat, a fresh buffer the caller may change (tfdt is rewritten in place). */
  data: Buffer;
  moof: MoofInfo;
}

/**
 * One recorded file read through a file handle (never sync fs, never the whole file):
 * its init segment and its fragments one by one. A fragment cut short at the end (a file
 * still being written, or damaged) ends the walk.
 */
export class RecordedFile {
  private constructor(
    private readonly fh: FileHandle,
    readonly init: Buffer,
    /** Offset of the first moof. */
    readonly firstFragment: number,
  ) {}

  /** Opens the file and reads its init segment; null when it is gone or is not a recorded fMP4. */
  static async open(absPath: string): Promise<RecordedFile | null> {
    let fh: FileHandle;
    try {
      fh = await open(absPath, 'r');
    } catch {
      return null; // deleted by retention meanwhile, or unreadable: skipped by the caller
    }
    try {
      let at = 0;
      const parts: Buffer[] = [];
      for (;;) {
        const head = await readAt(fh, at, 16);
        const h = boxHeader(head, 0);
        if (!h) break;
        if (h.type === 'moof') {
          if (!parts.length) break;
          return new RecordedFile(fh, Buffer.concat(parts), at);
        }
        if (h.type !== 'ftyp' && h.type !== 'moov' && h.type !== 'free' && h.type !== 'styp') break;
        if (at + h.size > MAX_INIT) break;
        const box = await readAt(fh, at, h.size);
        if (box.length < h.size) break;
        if (h.type !== 'free') parts.push(box);
        at += h.size;
      }
    } catch {
      // fall through: not readable as a recording
    }
    await fh.close().catch(() => undefined);
    return null;
  }

  /** Fragments from `offset` (a moof) on, until one is incomplete or the caller stops. */
  async *fragments(offset: number): AsyncGenerator<RecordedFragment> {
    let at = Math.max(offset, this.firstFragment);
    for (;;) {
      const head = await readAt(this.fh, at, 16);
      const mh = boxHeader(head, 0);
      if (!mh || mh.type !== 'moof' || mh.size > MAX_MOOF) return;
      const moofAndHead = await readAt(this.fh, at, mh.size + 16);
      if (moofAndHead.length < mh.size + 8) return;
      const dh = boxHeader(moofAndHead, mh.size);
      if (!dh || dh.type !== 'mdat' || dh.size > MAX_MDAT) return;
      const data = await readAt(this.fh, at, mh.size + dh.size);
      if (data.length < mh.size + dh.size) return;
      const moof = inspectMoof(data.subarray(0, mh.size));
      if (!moof) return;
      yield { offset: at, data, moof };
      at += mh.size + dh.size;
    }
  }

  close(): Promise<void> {
    return this.fh.close().catch(() => undefined);
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}
