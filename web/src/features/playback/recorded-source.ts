import { ApiError } from '../../api/client.ts';
import { playbackApi } from '../../api/playback.ts';
import { AppendQueue } from '../live/append-queue.ts';
import { Fmp4Splitter, type Piece } from './fmp4-stream.ts';

type Bytes = Uint8Array<ArrayBuffer>;

export interface Range {
  start: number;
  end: number;
}

/** What a camera's loader is doing. */
export type LoadState =
  | { name: 'idle' }
  | { name: 'loading' }
  /** Waiting for more footage being recorded now (the newest footage was reached). */
  | { name: 'following' }
  /** Nothing recorded at or after the requested moment (for now). */
  | { name: 'no-footage' }
  | { name: 'error'; error: unknown };

export interface SourceOptions {
  cameraId: string;
  /** Media time 0 (Unix ms), the same for every camera played together. */
  origin: number;
  /** The master clock, media seconds (what "ahead" and "behind" are measured from). */
  clock: () => number;
  /** Seconds of media to hold ahead of the clock (more at higher speeds). */
  ahead: () => number;
  onState: (state: LoadState) => void;
}

/** Media requested at once (wall ms): small enough that a seek shows a picture fast. */
const FIRST_CHUNK_MS = 8_000;
const CHUNK_MS = 30_000;
/** Media kept behind the clock (s): enough for frame steps back without a new request. */
export const KEEP_BEHIND = 8;
const TRIM_STEP = 4;
/** Footage being written now: ask again for what follows this often (ms). */
const FOLLOW_EVERY_MS = 2_000;
/** How far behind the wall clock the newest footage can be and still be "being recorded". */
const LIVE_EDGE_MS = 90_000;
/** More bytes than this waiting for the SourceBuffer: stop reading the response a moment. */
const MAX_QUEUED = 8 * 1024 * 1024;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * One camera's recorded footage on a `<video>` through Media Source Extensions: media
 * requests from a wall instant (`load`), read as a stream and appended fragment by fragment,
 * the next request made before the buffer runs out (X-Kuzet-End / X-Kuzet-Next), fragments
 * already held skipped, old buffer removed. The MediaSource stays while the origin stays.
 */
export class RecordedSource {
  private readonly mediaSource = new MediaSource();
  private readonly objectUrl: string;
  private sourceBuffer: SourceBuffer | null = null;
  private queue: AppendQueue | null = null;
  private mime: string | null = null;
  private opened: Promise<void>;
  private controller: AbortController | null = null;
  private closed = false;
  /** Media time (s) of the last fragment appended since the last load (fragments come in order). */
  private lastFragment = -Infinity;
  /** Wall ms the current load started from, and how far it has asked. */
  private loadFrom: number | null = null;
  private cursor: number | null = null;
  private state: LoadState = { name: 'idle' };

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly options: SourceOptions,
  ) {
    this.objectUrl = URL.createObjectURL(this.mediaSource);
    video.src = this.objectUrl;
    this.opened = new Promise((resolve) => {
      this.mediaSource.addEventListener(
        'sourceopen',
        () => {
          // A whole week of media time: seeking anywhere within the origin's reach is allowed.
          if (!this.closed) this.mediaSource.duration = 7 * 86_400;
          resolve();
        },
        { once: true },
      );
    });
  }

  get origin(): number {
    return this.options.origin;
  }

  get loadState(): LoadState {
    return this.state;
  }

  private setState(state: LoadState): void {
    if (this.closed) return;
    if (state.name === this.state.name && state.name !== 'error') return;
    this.state = state;
    this.options.onState(state);
  }

  buffered(): Range[] {
    const out: Range[] = [];
    const sb = this.sourceBuffer;
    if (!sb || this.closed || this.mediaSource.readyState !== 'open') return out;
    try {
      for (let i = 0; i < sb.buffered.length; i++) out.push({ start: sb.buffered.start(i), end: sb.buffered.end(i) });
    } catch {
      // removed meanwhile
    }
    return out;
  }

  /** Whether the buffer holds media time `t` (s). */
  has(t: number): boolean {
    return this.buffered().some((r) => t >= r.start - 0.001 && t < r.end - 0.02);
  }

  /** Seconds buffered ahead of `t` in the range that holds it (0 when none). */
  aheadOf(t: number): number {
    const r = this.buffered().find((b) => t >= b.start - 0.001 && t < b.end);
    return r ? r.end - t : 0;
  }

  /** Whether a load in progress will bring `wallMs` (it asked from before it, and has not passed it by much). */
  covers(wallMs: number): boolean {
    if (this.loadFrom === null || this.cursor === null) return false;
    if (this.state.name === 'error' || this.state.name === 'no-footage') return false;
    return wallMs >= this.loadFrom - 1 && wallMs <= this.cursor + CHUNK_MS;
  }

  /** Starts over from a wall instant: drops what is buffered and in flight, asks the server afresh. */
  load(fromMs: number): void {
    if (this.closed) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.loadFrom = fromMs;
    this.cursor = fromMs;
    this.lastFragment = -Infinity;
    this.setState({ name: 'loading' });
    void this.run(fromMs, controller.signal);
  }

  private async run(fromMs: number, signal: AbortSignal): Promise<void> {
    try {
      await this.opened;
      if (signal.aborted) return;
      this.resetBuffer();
      let cursor = fromMs;
      let first = true;
      while (!signal.aborted) {
        // Hold off while enough is buffered ahead of the clock.
        while (!first && !signal.aborted && this.aheadOf(this.options.clock()) > this.options.ahead() && this.has(this.options.clock())) {
          await sleep(250, signal);
        }
        if (signal.aborted) return;
        const chunk = first ? FIRST_CHUNK_MS : CHUNK_MS * Math.max(1, Math.min(4, this.options.ahead() / 30));
        let response;
        try {
          response = await playbackApi.media(
            this.options.cameraId,
            {
              from: new Date(cursor).toISOString(),
              origin: new Date(this.options.origin).toISOString(),
              to: new Date(cursor + chunk).toISOString(),
            },
            signal,
          );
        } catch (error) {
          if (signal.aborted) return;
          if (error instanceof ApiError && error.status === 404) {
            // Nothing in [cursor, cursor + chunk]: where does footage resume? (a gap longer than the chunk)
            const resume = await this.nextRecorded(cursor, signal);
            if (resume !== null && resume > cursor) {
              cursor = resume;
              this.cursor = cursor;
              continue;
            }
            // Nothing (more) recorded from here: maybe it is being written right now.
            if (Date.now() - cursor < LIVE_EDGE_MS) {
              this.setState({ name: 'following' });
              await sleep(FOLLOW_EVERY_MS, signal);
              continue;
            }
            this.setState({ name: first ? 'no-footage' : 'idle' });
            return;
          }
          throw error;
        }
        first = false;
        this.setState({ name: 'loading' });
        await this.read(response.body, signal);
        if (signal.aborted) return;
        const end = response.end ?? cursor + chunk;
        let next = response.next;
        if (next === null) {
          // The newest footage: follow it while it is being recorded.
          if (Date.now() - end < LIVE_EDGE_MS) {
            this.setState({ name: 'following' });
            cursor = Math.max(cursor + 1, end);
            this.cursor = cursor;
            await sleep(FOLLOW_EVERY_MS, signal);
            continue;
          }
          this.setState({ name: 'idle' });
          return;
        }
        if (next <= cursor) next = Math.max(end, cursor + 1000);
        cursor = next;
        this.cursor = cursor;
        this.setState({ name: 'loading' });
      }
    } catch (error) {
      if (signal.aborted || this.closed) return;
      if (error instanceof DOMException && error.name === 'AbortError') return;
      this.setState({ name: 'error', error });
    }
  }

  /** The start of the first recorded file at or after `from` (within 6 h), or null. */
  private async nextRecorded(from: number, signal: AbortSignal): Promise<number | null> {
    try {
      const page = await playbackApi.segments(
        this.options.cameraId,
        { from: new Date(from).toISOString(), to: new Date(from + 6 * 3_600_000).toISOString(), limit: 1 },
        signal,
      );
      const first = page.items[0];
      if (!first) return null;
      return Math.max(from, Date.parse(first.start));
    } catch {
      return null;
    }
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const splitter = new Fmp4Splitter();
    const stop = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', stop);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || signal.aborted) return;
        for (const piece of splitter.push(value)) this.take(piece);
        // Let the SourceBuffer take what waits before reading more, and hold off while far ahead.
        while (
          !signal.aborted &&
          ((this.queue?.pendingBytes ?? 0) > MAX_QUEUED ||
            (this.has(this.options.clock()) && this.aheadOf(this.options.clock()) > 2 * this.options.ahead()))
        ) {
          await sleep(100, signal);
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private take(piece: Piece): void {
    if (piece.kind === 'init') {
      this.useCodec(piece.codec);
      this.queue?.append(piece.data as Bytes);
      return;
    }
    if (!this.queue) throw new Error('media fragment before the init segment');
    // The next request starts at the keyframe before where the last ended: skip what is held.
    if (piece.time !== null) {
      if (piece.time <= this.lastFragment + 0.001) return;
      this.lastFragment = piece.time;
    }
    this.queue.append(piece.data as Bytes);
  }

  private useCodec(codec: string | null): void {
    const mime = `video/mp4; codecs="${codec ?? 'avc1.640028'}"`;
    if (this.sourceBuffer && this.mime === mime) return;
    if (!MediaSource.isTypeSupported(mime)) throw new ApiError('UNSUPPORTED_CODEC', `This browser cannot play ${mime}`, 0);
    if (this.sourceBuffer) {
      // A camera that changed its stream: same buffer, new decoder configuration.
      if (typeof this.sourceBuffer.changeType === 'function') {
        this.sourceBuffer.changeType(mime);
        this.mime = mime;
        return;
      }
      throw new ApiError('UNSUPPORTED_CODEC', 'The codec changed and this browser cannot switch', 0);
    }
    const sb = this.mediaSource.addSourceBuffer(mime);
    sb.mode = 'segments';
    sb.addEventListener('updateend', () => {
      if (!this.closed && this.sourceBuffer === sb) this.queue?.run();
    });
    this.sourceBuffer = sb;
    this.mime = mime;
    this.queue = new AppendQueue(sb, (error) => this.setState({ name: 'error', error }));
  }

  /** Empties the SourceBuffer (a new load): the parser restarts, every range goes. */
  private resetBuffer(): void {
    const sb = this.sourceBuffer;
    const queue = this.queue;
    if (!sb || !queue) return;
    queue.clear();
    try {
      if (sb.updating) sb.abort();
    } catch {
      // already idle
    }
    queue.remove(0, 7 * 86_400);
  }

  /** Removes what is well behind the clock (memory stays flat however long playback runs). */
  trim(clock: number): void {
    if (!this.queue?.idle) return;
    const first = this.buffered()[0];
    if (!first) return;
    const end = clock - KEEP_BEHIND;
    if (end - first.start >= TRIM_STEP) this.queue.remove(first.start, end);
  }

  close(): void {
    this.closed = true;
    this.controller?.abort();
    this.queue?.clear();
    this.queue = null;
    this.sourceBuffer = null;
    URL.revokeObjectURL(this.objectUrl);
    if (this.video.hasAttribute('src')) {
      this.video.removeAttribute('src');
      this.video.load();
    }
  }
}
