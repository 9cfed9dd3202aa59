import fs from 'node:fs';
import path from 'node:path';
import type { CloseReason, FileReport, ProblemCode, RecordTrigger, SegmentReport } from './recorder.protocol.ts';

/** One queued piece: the init segment or a whole moof+mdat. */
interface Piece {
  buf: Uint8Array;
  /** Wall time (ms) of the end of this fragment; null for the init segment. */
  endMs: number | null;
  /** ms from the file's start when this fragment begins with a keyframe. */
  keyMs: number | null;
}

export interface SegmentMeta {
  cameraId: string;
  root: string;
  rel: string;
  startMs: number;
  codec: string;
  width: number | null;
  height: number | null;
  /** Why this file was started (motion), when not simply recorded continuously. */
  trigger?: RecordTrigger | null;
}

export interface SegmentCallbacks {
  report(r: SegmentReport | FileReport): void;
  /** A write failed: the file is being closed at its last whole fragment. */
  failed(code: ProblemCode, message: string): void;
  /** The first fragment reached the disk. */
  wrote(): void;
}

/**
 * One recording file, written asynchronously: pieces are queued and written one at a
 * time with fs.write callbacks (the packet path never waits for the disk); the queue is
 * bounded (`push` says no when it is full). Whole pieces only count: on a write error the
 * file is truncated back to its last whole fragment, fdatasync'ed and closed. A file with
 * no whole fragment is deleted. The day directory is fsync'ed once the file is created in
 * it; the file is fdatasync'ed when it closes.
 */
export class SegmentFile {
  private fd: number | null = null;
  private readonly queue: Piece[] = [];
  private queuedBytes = 0;
  private writing = false;
  private closing: CloseReason | null = null;
  private dead = false;
  private finished = false;
  /** Bytes on disk through the last whole piece. */
  private whole = 0;
  private endMs: number;
  private fragments = 0;
  private readonly keyframes: [number, number][] = [];
  private lastProgress = 0;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly meta: SegmentMeta,
    private readonly cb: SegmentCallbacks,
    private readonly maxQueueBytes: number,
    private readonly progressMs: number,
    private readonly now: () => number,
  ) {
    this.endMs = meta.startMs;
    this.done = new Promise((r) => (this.resolveDone = r));
    const abs = path.join(meta.root, meta.rel);
    const dir = path.dirname(abs);
    this.cb.report(this.fileReport('created', null));
    fs.mkdir(dir, { recursive: true }, (err) => {
      if (err) return this.fail(err);
      fs.open(abs, 'wx', 0o640, (err2, fd) => {
        if (err2) return this.fail(err2);
        this.fd = fd;
        this.cb.report(this.fileReport('created', fd));
        syncDir(dir);
        if (this.dead) return this.finish();
        this.pump();
      });
    });
  }

  /** Queues a piece; false when the queue is full (the disk does not keep up) or the file is done for. */
  push(buf: Uint8Array, endMs: number | null, keyMs: number | null): boolean {
    if (this.dead || this.closing) return false;
    if (this.queuedBytes + buf.byteLength > this.maxQueueBytes && this.queue.length > 0) return false;
    this.queue.push({ buf, endMs, keyMs });
    this.queuedBytes += buf.byteLength;
    this.pump();
    return true;
  }

  /** Writes what is queued, then fdatasync and close. Resolves when the file is closed (and reported). */
  close(reason: CloseReason): Promise<void> {
    this.closing ??= reason;
    if (!this.writing && (this.fd !== null || this.dead)) this.pump();
    return this.done;
  }

  private pump(): void {
    if (this.writing || this.fd === null || this.finished) return;
    if (this.dead) return this.finish();
    const piece = this.queue[0];
    if (!piece) {
      if (this.closing) this.finish();
      return;
    }
    this.writing = true;
    this.writeAll(this.fd, piece.buf, 0, (err) => {
      this.writing = false;
      if (err) return this.fail(err);
      this.queue.shift();
      this.queuedBytes -= piece.buf.byteLength;
      const at = this.whole;
      this.whole += piece.buf.byteLength;
      if (piece.endMs !== null) {
        this.endMs = piece.endMs;
        if (piece.keyMs !== null) this.keyframes.push([piece.keyMs, at]);
        this.fragments++;
        const now = this.now();
        if (this.fragments === 1) {
          this.lastProgress = now;
          this.cb.wrote();
          this.cb.report(this.report('open', null));
        } else if (now - this.lastProgress >= this.progressMs) {
          this.lastProgress = now;
          this.cb.report(this.report('progress', null));
        }
      }
      this.pump();
    });
  }

  /** fs.write may write less than asked (a filling disk): go on until all of it is written or it fails. */
  private writeAll(fd: number, buf: Uint8Array, off: number, done: (err: NodeJS.ErrnoException | null) => void): void {
    fs.write(fd, buf, off, buf.byteLength - off, this.whole + off, (err, n) => {
      if (err) return done(err);
      if (off + n < buf.byteLength) {
        if (n === 0) return done(Object.assign(new Error('write made no progress'), { code: 'EIO' }));
        return this.writeAll(fd, buf, off + n, done);
      }
      done(null);
    });
  }

  private fail(err: NodeJS.ErrnoException): void {
    if (this.dead) return;
    this.dead = true;
    const code: ProblemCode = err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 'disk_full' : 'write_error';
    this.closing = code;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.cb.failed(code, `${this.meta.rel}: ${err.code ?? ''} ${err.message}`.trim());
    this.finish();
  }

  /** Truncate to the last whole piece (a failed write may have left part of one), sync, close, report. */
  private finish(): void {
    if (this.finished || this.writing) return;
    this.finished = true;
    const fd = this.fd;
    const abs = path.join(this.meta.root, this.meta.rel);
    const end = () => {
      if (this.fragments > 0) this.cb.report(this.report('closed', this.closing ?? 'segment'));
      this.cb.report(this.fileReport('gone', null));
      this.resolveDone();
    };
    if (fd === null) return end();
    const closeFd = () =>
      fs.close(fd, () => {
        if (this.fragments > 0) return end();
        fs.unlink(abs, () => end()); // no whole fragment: nothing worth keeping
      });
    const sync = () => fs.fdatasync(fd, () => closeFd());
    if (this.dead) fs.ftruncate(fd, this.whole, () => sync());
    else sync();
  }

  private fileReport(state: FileReport['state'], fd: number | null): FileReport {
    return { kind: 'file', state, cameraId: this.meta.cameraId, root: this.meta.root, path: this.meta.rel, fd };
  }

  private report(state: SegmentReport['state'], reason: CloseReason | null): SegmentReport {
    const m = this.meta;
    return {
      kind: 'segment',
      state,
      cameraId: m.cameraId,
      path: m.rel,
      startMs: m.startMs,
      endMs: this.endMs,
      bytes: this.whole,
      codec: m.codec,
      width: m.width,
      height: m.height,
      keyframes: this.keyframes.slice(),
      reason,
      ...(m.trigger ? { trigger: m.trigger } : {}),
    };
  }
}

/** Makes the new directory entry durable (a power cut must not lose the file's name). Best effort. */
function syncDir(dir: string): void {
  fs.open(dir, 'r', (err, fd) => {
    if (err) return;
    fs.fsync(fd, () => fs.close(fd, () => undefined));
  });
}
