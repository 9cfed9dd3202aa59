/**
 * Figures for the latency benchmark, read by the browser harness:
 * - `window.__kuzetLive[key]`: `{ arrival, presented }` per presented frame (ms epoch:
 *   the server received the frame → Chromium presented it), the last SAMPLE_CAP;
 * - `window.__kuzetLiveFirstFrame[key]`: `{ requestedAt, firstByteAt, firstFrameAt,
 *   firstFreshAt }` (ms epoch): the tile asked for video → its first media fragment
 *   arrived → its first frame was presented → its first frame less than FRESH_MS old
 *   (server arrival → presented) was presented. The GOP cache makes the first frame
 *   fast but up to a GOP old; the last figure says when the tile is really live.
 * `key` is the tile index on the wall, or "full" for the full-screen view.
 */
export interface LiveSample {
  arrival: number;
  presented: number;
}

export interface FirstFrame {
  requestedAt?: number;
  firstByteAt?: number;
  firstFrameAt?: number;
  firstFreshAt?: number;
}

/** A picture older than this (server arrival → presented) is not yet "live". */
export const FRESH_MS = 500;

declare global {
  interface Window {
    __kuzetLive?: Record<string, LiveSample[]>;
    __kuzetLiveFirstFrame?: Record<string, FirstFrame>;
  }
}

export const SAMPLE_CAP = 300;

/** Media decode time (seconds) → the server's arrival time of that fragment (ms epoch). */
export class ArrivalMap {
  private readonly times: number[] = [];
  private readonly arrivals: number[] = [];

  constructor(private readonly cap = 256) {}

  add(mediaTime: number, arrival: number): void {
    this.times.push(mediaTime);
    this.arrivals.push(arrival);
    if (this.times.length > this.cap) {
      this.times.shift();
      this.arrivals.shift();
    }
  }

  /** The arrival of the fragment that starts at `mediaTime` (within `tolerance` seconds), or null. */
  find(mediaTime: number, tolerance = 0.002): number | null {
    for (let i = this.times.length - 1; i >= 0; i--) {
      const t = this.times[i] ?? Number.NaN;
      if (Math.abs(t - mediaTime) <= tolerance) return this.arrivals[i] ?? null;
    }
    return null;
  }

  clear(): void {
    this.times.length = 0;
    this.arrivals.length = 0;
  }
}

/** Appends a sample, keeping the last `cap`. */
export function pushCapped<T>(list: T[], item: T, cap = SAMPLE_CAP): void {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}

function target(): Window | null {
  return typeof window === 'undefined' ? null : window;
}

/** Starts a fresh sample list for a player (a new camera on the tile, or a new start). */
export function resetSamples(key: string): void {
  const w = target();
  if (!w) return;
  w.__kuzetLive ??= {};
  w.__kuzetLive[key] = [];
}

export function recordSample(key: string, sample: LiveSample): void {
  const w = target();
  if (!w) return;
  w.__kuzetLive ??= {};
  const list = (w.__kuzetLive[key] ??= []);
  pushCapped(list, sample);
}

/** Sets some of a player's first-frame times; `requestedAt` starts a fresh record. */
export function recordFirst(key: string, value: FirstFrame): void {
  const w = target();
  if (!w) return;
  w.__kuzetLiveFirstFrame ??= {};
  const old = value.requestedAt !== undefined ? {} : (w.__kuzetLiveFirstFrame[key] ?? {});
  w.__kuzetLiveFirstFrame[key] = { ...old, ...value };
}
