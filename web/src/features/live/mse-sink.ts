import { AppendQueue } from './append-queue.ts';
import { trimRange, type Range } from './catch-up.ts';
import { readBaseDecodeTime, readTimescale } from './fmp4-time.ts';
import { ArrivalMap } from './latency-probe.ts';
import { mimeOf } from './live-frame.ts';

const DEFAULT_TIMESCALE = 90_000;

type Bytes = Uint8Array<ArrayBuffer>;

export interface SinkEvents {
  /** The MediaSource is open: appends may start. */
  open: () => void;
  /** An append or remove finished (time to look at the playhead). */
  updated: () => void;
  /** The SourceBuffer failed (decode error, an append refused). */
  error: () => void;
}

/**
 * One MediaSource on a video element, for one connection: a SourceBuffer in 'segments'
 * mode (a new one when the codec changes), appends queued (never while updating), and
 * each fragment's media time remembered with its server arrival time.
 */
export class MseSink {
  private readonly mediaSource = new MediaSource();
  private readonly objectUrl: string;
  private sourceBuffer: SourceBuffer | null = null;
  private queue: AppendQueue | null = null;
  private codec: string | null = null;
  private timescale = DEFAULT_TIMESCALE;
  private closed = false;
  /**
   * Set by our 'sourceopen' handler: readyState turns 'open' a task before the event, and
   * data taken in that gap (the wall's socket is already streaming other channels) would
   * make the handler's duration change throw on an updating SourceBuffer.
   */
  private opened = false;
  /** Media time (s) → the server's arrival time (ms epoch) of the fragment starting there. */
  readonly arrivals = new ArrivalMap();
  /** Media times (s) of the last keyframes appended, in order. */
  readonly keyframes: number[] = [];

  constructor(
    video: HTMLVideoElement,
    private readonly on: SinkEvents,
  ) {
    const mediaSource = this.mediaSource;
    this.objectUrl = URL.createObjectURL(mediaSource);
    video.src = this.objectUrl;
    mediaSource.addEventListener(
      'sourceopen',
      () => {
        if (this.closed) return;
        this.opened = true;
        // Live: no end. Chromium renders an infinite-duration stream with low delay.
        if (Number.isNaN(mediaSource.duration)) mediaSource.duration = Number.POSITIVE_INFINITY;
        on.open();
      },
      { once: true },
    );
  }

  get isOpen(): boolean {
    return !this.closed && this.opened && this.mediaSource.readyState === 'open';
  }

  /** Whether a SourceBuffer exists (a codec was accepted). */
  get hasBuffer(): boolean {
    return this.sourceBuffer !== null;
  }

  get pendingBytes(): number {
    return this.queue?.pendingBytes ?? 0;
  }

  /** A codec message (one precedes every init segment): a new SourceBuffer when the codec changed. */
  useCodec(codec: string): 'ok' | 'unsupported' | 'error' {
    if (!this.isOpen) return 'error';
    const mime = mimeOf(codec);
    if (!MediaSource.isTypeSupported(mime)) return 'unsupported';
    if (this.sourceBuffer && this.codec === codec) return 'ok';
    try {
      if (this.sourceBuffer) {
        if (this.sourceBuffer.updating) this.sourceBuffer.abort();
        this.mediaSource.removeSourceBuffer(this.sourceBuffer);
        this.sourceBuffer = null;
      }
      const sourceBuffer = this.mediaSource.addSourceBuffer(mime);
      sourceBuffer.mode = 'segments';
      sourceBuffer.addEventListener('updateend', () => {
        if (this.closed || this.sourceBuffer !== sourceBuffer) return;
        this.queue?.run();
        this.on.updated();
      });
      sourceBuffer.addEventListener('error', () => {
        if (!this.closed && this.sourceBuffer === sourceBuffer) this.on.error();
      });
      this.sourceBuffer = sourceBuffer;
      this.codec = codec;
      if (this.queue) this.queue.replaceBuffer(sourceBuffer);
      else this.queue = new AppendQueue(sourceBuffer, () => this.on.error());
      return 'ok';
    } catch {
      return 'error';
    }
  }

  appendInit(data: Bytes): void {
    const queue = this.queue;
    if (!queue) return;
    this.timescale = readTimescale(data) ?? DEFAULT_TIMESCALE;
    this.arrivals.clear();
    this.keyframes.length = 0;
    // The same codec again (the camera reconnected upstream): drop the old timeline.
    const last = this.buffered().at(-1);
    if (last) queue.remove(0, last.end + 1);
    queue.append(data);
  }

  appendMedia(data: Bytes, arrival: number, keyframe = false): void {
    const queue = this.queue;
    if (!queue) return;
    const decodeTime = readBaseDecodeTime(data);
    if (decodeTime !== null) this.arrivals.add(decodeTime / this.timescale, arrival);
    if (decodeTime !== null && keyframe) {
      this.keyframes.push(decodeTime / this.timescale);
      if (this.keyframes.length > 8) this.keyframes.shift();
    }
    queue.append(data);
  }

  buffered(): Range[] {
    const out: Range[] = [];
    const sourceBuffer = this.sourceBuffer;
    if (!sourceBuffer || !this.isOpen) return out;
    try {
      const b = sourceBuffer.buffered;
      for (let i = 0; i < b.length; i++) out.push({ start: b.start(i), end: b.end(i) });
    } catch {
      // The SourceBuffer was removed meanwhile.
    }
    return out;
  }

  /** Removes what is well behind the playhead (memory stays flat however long the tile plays). */
  trim(currentTime: number): void {
    if (!this.queue?.idle) return;
    const range = trimRange(this.buffered(), currentTime);
    if (range) this.queue.remove(range.start, range.end);
  }

  /** Stops using the MediaSource; the element keeps its last frame until it gets a new source. */
  close(): void {
    this.closed = true;
    this.queue?.clear();
    this.queue = null;
    this.sourceBuffer = null;
    this.arrivals.clear();
    URL.revokeObjectURL(this.objectUrl);
  }
}
