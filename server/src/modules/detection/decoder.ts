import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { commandFor, processFfmpegNow } from '@kuzet/ffmpeg';
import type { VideoCodec } from '@kuzet/media';
import { FRAME_H, FRAME_PIXELS, FRAME_W } from './analysis.ts';

/** Access unit delimiters: sent after each access unit so ffmpeg's parser hands it on at once. */
export const AUD: Record<VideoCodec, Uint8Array> = {
  h264: Uint8Array.of(0, 0, 0, 1, 0x09, 0xf0),
  h265: Uint8Array.of(0, 0, 0, 1, 0x46, 0x01, 0x50),
};

/**
 * ffmpeg reading Annex B on stdin, writing FRAME_W×FRAME_H gray frames on stdout, one per
 * input picture, as soon as it is decoded (no probing buffer, no frame threads, no
 * reordering delay, no frame-rate conversion).
 */
export function decoderArgs(codec: VideoCodec, opts: { keyframesOnly?: boolean; fpsMode?: boolean } = {}): string[] {
  const fpsMode = opts.fpsMode ?? processFfmpegNow()?.fpsMode ?? true;
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-probesize', '32', '-analyzeduration', '0', '-flags', 'low_delay', '-threads', '1',
    // Keyframes only: besides skipping what it is not asked for, the decoder then hands each
    // picture out at once (otherwise ffmpeg 5.1 holds one picture back until the next arrives).
    ...(opts.keyframesOnly ? ['-skip_frame', 'nokey'] : []),
    '-f', codec === 'h265' ? 'hevc' : 'h264', '-i', 'pipe:0',
    '-an', fpsMode ? '-fps_mode' : '-vsync', 'passthrough',
    '-vf', `scale=${FRAME_W}:${FRAME_H}:flags=area,format=gray`,
    '-f', 'rawvideo', '-flush_packets', '1', 'pipe:1',
  ];
}

export function ffmpegPath(): string {
  return processFfmpegNow()?.path ?? commandFor('ffmpeg');
}

/**
 * One long-lived ffmpeg decoder process: Annex B in, fixed-size gray frames out, in order.
 * Dies quietly (onExit); the owner decides whether to start another.
 */
export class FrameDecoder {
  readonly child: ChildProcessWithoutNullStreams;
  private buf = new Uint8Array(FRAME_PIXELS);
  private filled = 0;
  private dead = false;
  stderr = '';

  constructor(
    readonly codec: VideoCodec,
    private readonly onFrame: (frame: Uint8Array) => void,
    private readonly onExit: (d: FrameDecoder) => void,
    keyframesOnly = false,
  ) {
    this.child = spawn(ffmpegPath(), decoderArgs(codec, { keyframesOnly }), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin.on('error', () => undefined); // it died: onExit tells
    this.child.stdout.on('data', (d: Buffer) => this.take(d));
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-1000)));
    this.child.once('error', () => this.gone());
    this.child.once('exit', () => this.gone());
  }

  get alive(): boolean {
    return !this.dead;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Bytes written and not yet taken by the pipe. */
  get backlog(): number {
    return this.child.stdin.writableLength;
  }

  write(data: Uint8Array): void {
    if (this.dead || this.child.stdin.destroyed) return;
    this.child.stdin.write(data);
    this.child.stdin.write(AUD[this.codec]);
  }

  kill(): void {
    if (this.dead) return;
    this.child.stdin.destroy();
    this.child.kill('SIGKILL');
    this.gone();
  }

  private gone(): void {
    if (this.dead) return;
    this.dead = true;
    this.onExit(this);
  }

  private take(d: Buffer): void {
    let o = 0;
    while (o < d.length) {
      const n = Math.min(FRAME_PIXELS - this.filled, d.length - o);
      this.buf.set(d.subarray(o, o + n), this.filled);
      this.filled += n;
      o += n;
      if (this.filled === FRAME_PIXELS) {
        const frame = this.buf;
        this.buf = new Uint8Array(FRAME_PIXELS);
        this.filled = 0;
        if (!this.dead) this.onFrame(frame);
      }
    }
  }
}

interface Job {
  codec: VideoCodec;
  data: Uint8Array;
  resolve: (f: Uint8Array | null) => void;
}

interface Slot {
  codec: VideoCodec;
  proc: FrameDecoder | null;
  /** What was written, in order: a job, or null for a flush (a repeated keyframe whose picture is thrown away). */
  fifo: (Job | null)[];
  /** When the oldest entry of fifo was written. */
  oldestAt: number;
  last: Uint8Array | null;
  flushTimer: NodeJS.Timeout | null;
  stallTimer: NodeJS.Timeout | null;
}

export interface PoolOptions {
  /** Processes per codec (default 1). */
  size?: number;
  /** A picture not out this long after its keyframe went in: the process is killed and restarted, its requests get null (default 3 s). */
  timeoutMs?: number;
  /** Requests waiting beyond this are refused (null): a keyframe skipped, not a queue without end (default 256). */
  maxQueue?: number;
  /** Keyframes in one process at once (default 2: the second pushes the first's picture out). */
  inFlight?: number;
  /** An idle process still holding a picture back gets its last keyframe again after this long (default 250 ms). */
  flushMs?: number;
  onRestart?: (why: string, stderr: string) => void;
}

/**
 * A small shared pool of long-lived ffmpeg decoders for single keyframes (an IDR picture
 * decodes on its own), request/response: pictures come out in input order, one per keyframe,
 * so the n-th picture out is the n-th keyframe in (a FIFO per process). ffmpeg 5.1 often
 * holds the last picture back until another picture is decoded (a skipped frame does not
 * push it), so a process takes a second keyframe while the first is owed — the second pushes
 * the first out — and one that has a picture owed for `flushMs` with nothing else to do is
 * sent its last keyframe again (that picture is discarded: the cost of a flush is one more
 * decode, paid only when the pool is idle). A keyframe that decodes to nothing (garbage that
 * passed `looksLikeKeyframe`; the taps send only undamaged keyframes) shifts at most the next
 * one's picture onto it before the stall check (timeoutMs without the FIFO moving) kills and
 * replaces the process; its requests get null. A picture with no request, or a process that
 * dies, gets the same treatment. One wrong keyframe can only promote a camera: events need
 * the camera's own full-rate decode to confirm them. Processes start on first use, per codec.
 */
export class KeyframePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  decoded = 0;
  failed = 0;
  restarts = 0;
  flushes = 0;

  constructor(private readonly opts: PoolOptions = {}) {}

  decode(codec: VideoCodec, annexB: Uint8Array): Promise<Uint8Array | null> {
    if (this.closed || !looksLikeKeyframe(codec, annexB)) return Promise.resolve(null);
    if (this.queue.length >= (this.opts.maxQueue ?? 256)) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.queue.push({ codec, data: annexB, resolve });
      this.pump();
    });
  }

  pids(): number[] {
    return this.slots.flatMap((s) => (s.proc?.alive && s.proc.pid ? [s.proc.pid] : []));
  }

  get waiting(): number {
    return this.queue.length;
  }

  close(): void {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.resolve(null);
    for (const s of this.slots) this.restart(s, null);
  }

  private pump(): void {
    for (let qi = 0; qi < this.queue.length; qi++) {
      const job = this.queue[qi]!;
      const slot = this.freeSlot(job.codec);
      if (!slot) continue;
      this.queue.splice(qi--, 1);
      this.run(slot, job);
    }
  }

  private jobsIn(s: Slot): number {
    let n = 0;
    for (const e of s.fifo) if (e) n++;
    return n;
  }

  private freeSlot(codec: VideoCodec): Slot | null {
    const size = this.opts.size ?? 1;
    const max = this.opts.inFlight ?? 2;
    const mine = this.slots.filter((s) => s.codec === codec);
    let best: Slot | null = null;
    for (const s of mine) if (this.jobsIn(s) < max && (!best || this.jobsIn(s) < this.jobsIn(best))) best = s;
    if (best && (this.jobsIn(best) === 0 || mine.length >= size)) return best;
    if (mine.length >= size) return null;
    const s: Slot = { codec, proc: null, fifo: [], oldestAt: 0, last: null, flushTimer: null, stallTimer: null };
    this.slots.push(s);
    return s;
  }

  private run(slot: Slot, job: Job): void {
    if (!slot.proc?.alive) slot.proc = this.spawn(slot);
    this.write(slot, job);
  }

  private write(slot: Slot, entry: Job | null): void {
    const data = entry?.data ?? slot.last;
    if (!data || !slot.proc) return;
    if (!slot.fifo.length) slot.oldestAt = Date.now();
    slot.fifo.push(entry);
    slot.last = data;
    slot.proc.write(data);
    this.arm(slot);
  }

  /** Flush soon if the picture is held back; give up on the process if nothing comes at all. */
  private arm(slot: Slot): void {
    if (slot.flushTimer) clearTimeout(slot.flushTimer);
    slot.flushTimer = null;
    if (!slot.fifo.length) {
      if (slot.stallTimer) clearTimeout(slot.stallTimer);
      slot.stallTimer = null;
      return;
    }
    const owed = slot.fifo.some((e) => e !== null);
    if (owed && slot.fifo[slot.fifo.length - 1] !== null) {
      slot.flushTimer = setTimeout(() => {
        slot.flushTimer = null;
        if (slot.fifo.some((e) => e !== null) && slot.fifo[slot.fifo.length - 1] !== null) {
          this.flushes++;
          this.write(slot, null);
        }
      }, this.opts.flushMs ?? 250);
    }
    if (!slot.stallTimer) {
      const timeout = this.opts.timeoutMs ?? 3000;
      const check = () => {
        slot.stallTimer = null;
        if (!slot.fifo.length) return;
        const late = Date.now() - slot.oldestAt;
        if (late >= timeout) this.restart(slot, 'timeout');
        else slot.stallTimer = setTimeout(check, timeout - late);
      };
      slot.stallTimer = setTimeout(check, timeout);
    }
  }

  private spawn(slot: Slot): FrameDecoder {
    const proc = new FrameDecoder(
      slot.codec,
      (frame) => {
        if (slot.proc !== proc) return;
        if (!slot.fifo.length) {
          // A picture nobody asked for: the process is out of step. Start it afresh.
          this.restart(slot, 'unexpected frame');
          return;
        }
        const entry = slot.fifo.shift()!;
        slot.oldestAt = Date.now();
        if (entry) {
          this.decoded++;
          entry.resolve(frame);
        }
        this.arm(slot);
        this.pump();
      },
      (p) => {
        if (slot.proc !== p || this.closed) return;
        this.restart(slot, 'exited');
      },
      true,
    );
    return proc;
  }

  private restart(slot: Slot, why: string | null): void {
    const proc = slot.proc;
    slot.proc = null;
    if (slot.flushTimer) clearTimeout(slot.flushTimer);
    if (slot.stallTimer) clearTimeout(slot.stallTimer);
    slot.flushTimer = slot.stallTimer = null;
    slot.last = null;
    if (proc) {
      if (why) {
        this.restarts++;
        this.opts.onRestart?.(why, proc.stderr);
      }
      proc.kill();
    }
    for (const e of slot.fifo.splice(0)) {
      if (!e) continue;
      this.failed++;
      e.resolve(null);
    }
    if (!this.closed) this.pump();
  }
}

/**
 * Whether Annex B data holds a picture that decodes on its own: an IDR slice (H.264 type 5;
 * H.265 IRAP 16–21) that is a picture's first slice (first_mb_in_slice = 0 /
 * first_slice_segment_in_pic_flag = 1).
 */
export function looksLikeKeyframe(codec: VideoCodec, d: Uint8Array): boolean {
  for (let i = 0; i + 4 < d.length; i++) {
    if (d[i] !== 0 || d[i + 1] !== 0 || d[i + 2] !== 1) continue;
    const h = d[i + 3]!;
    if (codec === 'h264') {
      if ((h & 0x1f) === 5) return (d[i + 4]! & 0x80) !== 0;
    } else {
      const t = (h >> 1) & 0x3f;
      if (t >= 16 && t <= 21) return i + 5 < d.length && (d[i + 5]! & 0x80) !== 0;
    }
  }
  return false;
}
