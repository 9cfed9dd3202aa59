import type { RecordingGapReason } from '@kuzet/contracts';
import { RecordedSource, type LoadState } from './recorded-source.ts';
import { correct, stepTarget, type Speed } from './sync.ts';
import { footageAt, type ParsedTimeline } from './timeline-model.ts';

/** What one camera's picture shows now. */
export type PaneStatus =
  | { name: 'loading' }
  | { name: 'playing' }
  | { name: 'paused' }
  /** Not recorded at this moment: why (from the timeline), and when footage resumes. */
  | { name: 'gap'; reason: RecordingGapReason | null; next: number | null }
  /** Nothing recorded at or after this moment. */
  | { name: 'no-footage' }
  | { name: 'error'; error: unknown };

export interface PlaybackState {
  /** The master clock: the wall instant shown (Unix ms). */
  clock: number;
  playing: boolean;
  rate: Speed;
  /** Playback stopped because no camera has footage after the clock. */
  ended: boolean;
  panes: Record<string, PaneStatus>;
}

interface Player {
  cameraId: string;
  video: HTMLVideoElement;
  source: RecordedSource;
  load: LoadState;
  timeline: ParsedTimeline | null;
  /** The wall instant the last load asked for (no second request for the same moment). */
  requested: number | null;
  needsSeek: boolean;
  /** Media time (s) of the frame presented last, and the frame duration seen. */
  shown: number | null;
  frameDuration: number;
  frameHandle: number | null;
  onFrame: (wallMs: number) => void;
  status: PaneStatus;
  /** performance.now() of the last drift seek, and how long seeks take this camera (ms, learned). */
  seekAt: number;
  seekMs: number;
}

/** After a drift seek a follower only adjusts its rate for this long (a seek decodes from a keyframe). */
const SEEK_COOLDOWN_MS = 1500;

const TICK_MS = 100;
const EMIT_EVERY_MS = 250;

/**
 * The master clock of playback: 1–4 cameras on one timeline. While playing, the clock is
 * the media time of the first camera that is playing (the lead); the others follow it,
 * corrected when they drift (sync.ts). A camera in a gap shows why and waits; when no camera
 * has footage at the clock, the clock jumps to the next footage. Every camera's media
 * time is (wall − origin)/1000 with one origin, so "in sync" means "the same currentTime".
 */
export class PlaybackController {
  private readonly players = new Map<string, Player>();
  private order: string[] = [];
  private timelines = new Map<string, ParsedTimeline | null>();
  private origin: number;
  private clock: number;
  private playing = false;
  private rate: Speed = 1;
  private ended = false;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private lastEmit = 0;
  private lastEmitted = '';

  constructor(
    origin: number,
    clock: number,
    private readonly onChange: (state: PlaybackState) => void,
  ) {
    this.origin = origin;
    this.clock = clock;
  }

  /** Starts the clock's ticker (again: React may stop and start a component's effects). */
  start(): void {
    if (this.ticker === undefined) this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  get state(): PlaybackState {
    const panes: Record<string, PaneStatus> = {};
    for (const [id, p] of this.players) panes[id] = p.status;
    return { clock: this.clock, playing: this.playing, rate: this.rate, ended: this.ended, panes };
  }

  get originMs(): number {
    return this.origin;
  }

  /** The wall instant of the frame a camera shows (its last presented frame), else the clock. */
  shownAt(cameraId: string): number {
    const p = this.players.get(cameraId);
    return p?.shown != null ? this.origin + p.shown * 1000 : this.clock;
  }

  setOrder(cameraIds: readonly string[]): void {
    this.order = [...cameraIds];
  }

  setTimeline(cameraId: string, timeline: ParsedTimeline | null): void {
    this.timelines.set(cameraId, timeline);
    const p = this.players.get(cameraId);
    if (p) p.timeline = timeline;
  }

  attach(cameraId: string, video: HTMLVideoElement, onFrame: (wallMs: number) => void): void {
    this.detach(cameraId);
    video.muted = true;
    video.playsInline = true;
    const player: Player = {
      cameraId,
      video,
      source: this.newSource(cameraId, video),
      load: { name: 'idle' },
      timeline: this.timelines.get(cameraId) ?? null,
      requested: null,
      needsSeek: true,
      shown: null,
      frameDuration: 0.04,
      frameHandle: null,
      onFrame,
      status: { name: 'loading' },
      seekAt: 0,
      seekMs: 300,
    };
    video.onerror = () => {
      player.load = { name: 'error', error: video.error };
    };
    video.onseeked = () => {
      // Learn how long this camera's seeks take, to land a drift seek where the clock will be.
      if (player.seekAt > 0) {
        const took = performance.now() - player.seekAt;
        if (took < 5000) player.seekMs = player.seekMs * 0.6 + took * 0.4;
      }
    };
    this.players.set(cameraId, player);
    this.watchFrames(player);
    this.tick();
  }

  detach(cameraId: string): void {
    const p = this.players.get(cameraId);
    if (!p) return;
    this.players.delete(cameraId);
    if (p.frameHandle !== null && typeof p.video.cancelVideoFrameCallback === 'function') {
      p.video.cancelVideoFrameCallback(p.frameHandle);
    }
    p.video.onerror = null;
    p.video.onseeked = null;
    p.source.close();
  }

  /** Tries a failed camera again. */
  retry(cameraId: string): void {
    const p = this.players.get(cameraId);
    if (!p) return;
    this.attach(cameraId, p.video, p.onFrame);
  }

  /** A new origin (another day): every camera starts a new MediaSource. */
  setOrigin(origin: number): void {
    if (origin === this.origin) return;
    this.origin = origin;
    for (const p of [...this.players.values()]) this.attach(p.cameraId, p.video, p.onFrame);
  }

  seek(wallMs: number): void {
    this.clock = wallMs;
    this.ended = false;
    for (const p of this.players.values()) p.needsSeek = true;
    this.tick(true);
  }

  play(): void {
    if (this.ended) this.ended = false;
    this.playing = true;
    this.tick(true);
  }

  pause(): void {
    this.playing = false;
    // Stop where the picture is: the lead's frame.
    const lead = this.lead();
    if (lead) this.clock = this.origin + lead.video.currentTime * 1000;
    for (const p of this.players.values()) p.video.pause();
    this.tick(true);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setRate(rate: Speed): void {
    this.rate = rate;
    this.tick(true);
  }

  /** One frame forward or back (pauses). Back needs the previous keyframe's data: reloaded when not buffered. */
  step(direction: 1 | -1): void {
    if (this.playing) this.pause();
    const t = this.media(this.clock);
    const ref = this.orderedPlayers().find((p) => p.source.has(t)) ?? this.orderedPlayers()[0];
    const shown = ref?.shown ?? t;
    const target = stepTarget(shown, ref?.frameDuration ?? 0.04, direction);
    this.seek(this.origin + target * 1000);
  }

  skip(seconds: number): void {
    this.seek(this.clock + seconds * 1000);
  }

  /** Stops the ticker and lets every camera's media go (panes attach again if they stay). */
  destroy(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    for (const id of [...this.players.keys()]) this.detach(id);
  }

  private newSource(cameraId: string, video: HTMLVideoElement): RecordedSource {
    const source: RecordedSource = new RecordedSource(video, {
      cameraId,
      origin: this.origin,
      clock: () => this.media(this.clock),
      ahead: () => Math.min(90, 15 + 5 * this.rate),
      onState: (state) => {
        const p = this.players.get(cameraId);
        if (p && p.source === source) {
          p.load = state;
          this.tick();
        }
      },
    });
    return source;
  }

  private media(wallMs: number): number {
    return (wallMs - this.origin) / 1000;
  }

  private orderedPlayers(): Player[] {
    const known = this.order.flatMap((id) => {
      const p = this.players.get(id);
      return p ? [p] : [];
    });
    for (const p of this.players.values()) if (!known.includes(p)) known.push(p);
    return known;
  }

  private lead(): Player | null {
    for (const p of this.orderedPlayers()) {
      const v = p.video;
      if (!p.needsSeek && !v.seeking && !v.paused && v.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && p.source.has(v.currentTime)) {
        return p;
      }
    }
    return null;
  }

  private watchFrames(p: Player): void {
    const video = p.video;
    if (typeof video.requestVideoFrameCallback !== 'function') {
      video.ontimeupdate = () => {
        p.shown = video.currentTime;
        p.onFrame(this.origin + video.currentTime * 1000);
      };
      return;
    }
    const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
      if (this.players.get(p.cameraId) !== p) return;
      p.frameHandle = video.requestVideoFrameCallback(onFrame);
      const previous = p.shown;
      p.shown = metadata.mediaTime;
      if (previous !== null && this.playing && this.rate <= 1) {
        const delta = metadata.mediaTime - previous;
        // One frame apart at normal speed: learn the frame duration (for frame steps).
        if (delta > 0.015 && delta < 0.11) p.frameDuration = p.frameDuration * 0.8 + delta * 0.2;
      }
      p.onFrame(this.origin + metadata.mediaTime * 1000);
    };
    p.frameHandle = video.requestVideoFrameCallback(onFrame);
  }

  private tick(force = false): void {
    const players = this.orderedPlayers();
    if (this.playing) {
      const lead = this.lead();
      if (lead) {
        this.clock = this.origin + lead.video.currentTime * 1000;
      } else {
        this.bridgeGap(players);
      }
    }
    const t = this.media(this.clock);
    const lead = this.playing ? this.lead() : null;
    for (const p of players) this.drive(p, t, lead);
    this.emit(force);
  }

  /** No camera plays at the clock: wait for footage being loaded, else jump to the next footage, else stop. */
  private bridgeGap(players: readonly Player[]): void {
    const t = this.media(this.clock);
    let next: number | null = null;
    let waiting = false;
    for (const p of players) {
      const v = p.video;
      if (p.source.has(t)) {
        // Data is there; the video is starting (a seek, a play() not yet taken).
        if (v.paused || v.seeking || p.needsSeek || v.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) waiting = true;
        continue;
      }
      const active = p.load.name === 'loading' || p.load.name === 'following';
      const after = p.source.buffered().find((r) => r.start > t)?.start;
      const byTimeline = p.timeline ? footageAt(p.timeline, this.clock) : null;
      if (active && (byTimeline?.kind === 'footage' || (byTimeline === null && after === undefined))) waiting = true;
      const candidates = [after !== undefined ? this.origin + after * 1000 : null, byTimeline?.kind === 'gap' ? byTimeline.next : null];
      for (const c of candidates) if (c !== null && c > this.clock && (next === null || c < next)) next = c;
    }
    if (waiting) return;
    if (next !== null) {
      this.seek(next);
      return;
    }
    if (players.some((p) => p.load.name === 'following')) return;
    if (players.length > 0) {
      this.playing = false;
      this.ended = true;
      for (const p of players) p.video.pause();
    }
  }

  private drive(p: Player, t: number, lead: Player | null): void {
    const v = p.video;
    const timeline = p.timeline ? footageAt(p.timeline, this.clock) : null;
    if (p.load.name === 'error') {
      p.status = { name: 'error', error: p.load.error };
      if (!v.paused) v.pause();
      return;
    }
    if (!p.source.has(t)) {
      if (!v.paused) v.pause();
      if (timeline?.kind === 'gap') {
        p.status = { name: 'gap', reason: timeline.reason, next: timeline.next };
        // Fetch ahead from where this camera's footage resumes.
        const from = timeline.next;
        if (from !== null && from - this.clock < 120_000 && !p.source.covers(from)) this.request(p, from);
        return;
      }
      if (!p.source.covers(this.clock)) this.request(p, this.clock);
      p.status =
        p.load.name === 'no-footage' || (p.load.name === 'idle' && p.requested !== null)
          ? { name: 'no-footage' }
          : { name: 'loading' };
      return;
    }
    if (this.playing) {
      p.status = { name: 'playing' };
      if (p.needsSeek || v.paused) {
        if (Math.abs(v.currentTime - t) > 0.001 && !v.seeking) v.currentTime = t;
        p.needsSeek = false;
        v.playbackRate = this.rate;
        if (v.paused) v.play().catch(() => undefined);
      } else if (p === lead) {
        if (v.playbackRate !== this.rate) v.playbackRate = this.rate;
      } else if (!v.seeking) {
        const now = performance.now();
        const c = correct(v.currentTime, t, this.rate, v.playbackRate);
        if (c.action === 'seek' && now - p.seekAt > SEEK_COOLDOWN_MS) {
          // Land where the clock will be once the seek is done (a busy machine decodes slowly).
          const ahead = Math.min(1.5, (p.seekMs / 1000) * this.rate);
          const to = p.source.has(c.to + ahead) ? c.to + ahead : c.to;
          p.seekAt = now;
          v.currentTime = to;
        } else if (c.action !== 'seek' && v.playbackRate !== c.rate) {
          v.playbackRate = c.rate;
        } else if (c.action === 'seek') {
          // Cooling down after a seek: catch up by rate meanwhile.
          const behind = t - v.currentTime;
          const rate = Math.round(this.rate * (behind > 0 ? 1.5 : 0.6) * 100) / 100;
          if (v.playbackRate !== rate) v.playbackRate = rate;
        }
      }
    } else {
      p.status = { name: 'paused' };
      if (!v.paused) v.pause();
      if (!v.seeking && Math.abs(v.currentTime - t) > 0.0005) v.currentTime = t;
      p.needsSeek = false;
    }
    p.source.trim(t);
  }

  private request(p: Player, from: number): void {
    if (p.requested === from) return;
    p.requested = from;
    p.source.load(from);
  }

  private emit(force: boolean): void {
    const state = this.state;
    const key = JSON.stringify({ ...state, clock: 0, panes: Object.entries(state.panes).map(([id, s]) => [id, s.name, 'reason' in s ? s.reason : null]) });
    const now = performance.now();
    if (!force && key === this.lastEmitted && now - this.lastEmit < EMIT_EVERY_MS) return;
    this.lastEmit = now;
    this.lastEmitted = key;
    this.onChange(state);
  }
}
