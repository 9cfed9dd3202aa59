import { commandFor, processFfmpegNow } from '@kuzet/ffmpeg';
import { Fmp4Muxer, type AccessUnit } from '@kuzet/media';
import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { Supervised } from '../../platform/supervisor.ts';
import type { MediaConsumer } from '../media/media.service.ts';
import { AnnexBReader } from './annexb-reader.ts';

/**
 * ffmpeg arguments: fragmented MP4 (H.265) on stdin → H.264 Annex B with AUDs on stdout, low latency.
 * `fpsMode: false` for ffmpeg older than 5.1 (the packaged static build is 4.1), which only knows `-vsync`.
 */
export function transcodeArgs(opts: { fpsMode: boolean } = { fpsMode: true }): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-fflags', 'nobuffer', '-flags', 'low_delay', '-probesize', '32768', '-analyzeduration', '0',
    '-f', 'mp4', '-i', 'pipe:0',
    '-an', opts.fpsMode ? '-fps_mode' : '-vsync', 'passthrough', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'main',
    '-g', '50', '-bf', '0', '-x264-params', 'aud=1:repeat-headers=1',
    '-f', 'h264', 'pipe:1',
  ];
}

export interface Subscribable {
  subscribe(consumer: MediaConsumer): () => void;
}

/**
 * Browsers here cannot play HEVC: while someone watches an H.265 camera, one
 * supervised ffmpeg per stream turns it into H.264, muxed back to fMP4 and shared by
 * every viewer (with its own GOP start). It stops `idleMs` after the last viewer leaves.
 */
export class H265Transcoder {
  private readonly viewers = new Set<MediaConsumer>();
  private proc: Supervised | null = null;
  private upstream: (() => void) | null = null;
  private stopTimer: NodeJS.Timeout | null = null;
  private muxer: Fmp4Muxer | null = null;
  private init: { codec: string; data: Uint8Array } | null = null;
  private gop: { data: Uint8Array; keyframe: boolean; pts: number; receivedAt: number }[] = [];
  /** Per input frame, in arrival order: one output frame each (passthrough, the output has no B-frames). */
  private arrivals: { receivedAt: number; pts: number }[] = [];
  private lastPts = 0;
  private stdin: NodeJS.WritableStream | null = null;
  private dropping = false;
  /** Stopped for good (the hub stopped it, or it stopped idle and told the hub): takes no viewer any more. */
  private closed = false;
  /** ffmpegs sent SIGTERM and not yet exited: stop() waits for them too. */
  private readonly exiting = new Set<Promise<void>>();

  constructor(
    private readonly source: Subscribable,
    private readonly log: Logger,
    private readonly idleMs = 5000,
    private readonly onIdleStop?: () => void,
  ) {}

  get running(): boolean {
    return this.proc !== null;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Throws once the transcoder is closed: the hub then makes a new one it can reach. */
  subscribe(viewer: MediaConsumer): () => void {
    if (this.closed) throw new Error('h265 transcoder is stopped');
    this.viewers.add(viewer);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    if (!this.proc) this.start();
    if (this.init) viewer.onInit(this.init.codec, this.init.data);
    for (const f of this.gop) viewer.onFragment(f.data, f);
    return () => {
      if (!this.viewers.delete(viewer)) return;
      if (this.viewers.size === 0 && !this.stopTimer) this.stopTimer = setTimeout(() => void this.idleStop(), this.idleMs);
    };
  }

  /** Stops ffmpeg for good: no viewer can restart it afterwards; resolves when every ffmpeg it ran has exited. */
  async stop(): Promise<void> {
    this.closed = true;
    this.viewers.clear();
    await this.halt();
  }

  /**
   * The last viewer left `idleMs` ago. A viewer may arrive while ffmpeg is exiting and
   * start a new one: then this transcoder runs on and must stay where the hub finds it,
   * so the hub is told (and this closed) only if it is still idle once ffmpeg is gone.
   */
  private async idleStop(): Promise<void> {
    this.stopTimer = null;
    if (this.viewers.size || this.closed) return;
    await this.halt();
    if (this.closed || this.viewers.size || this.proc || this.stopTimer) return;
    this.closed = true;
    this.onIdleStop?.();
  }

  private async halt(): Promise<void> {
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    this.upstream?.();
    this.upstream = null;
    const p = this.proc;
    this.proc = null;
    // End of input first: ffmpeg then exits at once instead of waiting for SIGKILL while it blocks on stdin.
    this.stdin?.end();
    this.stdin = null;
    this.muxer = null;
    this.init = null;
    this.gop = [];
    this.arrivals = [];
    if (p) {
      const exited = p.stop();
      this.exiting.add(exited);
      void exited.then(() => this.exiting.delete(exited));
    }
    // Also the ffmpegs another halt is still waiting for (an idle stop racing a new viewer).
    while (this.exiting.size) await Promise.all([...this.exiting]);
  }

  private start(): void {
    // The server probes its ffmpeg at start (processFfmpeg); unprobed (tests), assume a current one.
    const ffmpeg = processFfmpegNow();
    const proc = new Supervised({
      name: 'h265-transcoder',
      command: ffmpeg?.path ?? commandFor('ffmpeg'),
      args: transcodeArgs({ fpsMode: ffmpeg?.fpsMode ?? true }),
      stdin: true,
      killTimeoutMs: 2000,
      onSpawn: (child) => this.attach(child),
    });
    this.proc = proc;
    proc.start();
  }

  /** Wires a (new) ffmpeg: its stdout to a fresh reader and muxer, the camera's fMP4 to its stdin. */
  private attach(child: ChildProcess): void {
    if (!child.stdin || !child.stdout) return;
    // Output of an ffmpeg already replaced (stdout can drain after its exit) belongs to an old timeline.
    const reader = new AnnexBReader((nalus) => this.stdin === child.stdin && this.onOutput(nalus));
    this.muxer = null;
    this.init = null;
    this.gop = [];
    this.arrivals = [];
    this.stdin = child.stdin;
    let initWritten = false;
    let replacing = false;
    child.stdin.on('error', () => undefined); // ffmpeg exiting closes the pipe: the supervisor restarts it
    child.stdout.on('data', (d: Buffer) => reader.push(d));
    child.stderr?.on('data', (d: Buffer) => this.log.warn({ module: 'transcoder', line: d.toString().slice(0, 300) }, 'ffmpeg says'));
    this.upstream?.();
    this.upstream = this.source.subscribe({
      onInit: (_codec, data) => {
        if (replacing) return;
        if (initWritten) {
          // The camera's session started over (its media worker restarted, or new parameters): ffmpeg
          // takes one header per input and the timeline jumps, so a fresh ffmpeg (the supervisor starts
          // it) gets the new stream, and viewers a new init from it.
          this.log.info({ module: 'transcoder' }, 'camera stream restarted; restarting ffmpeg');
          replacing = true;
          // End of input lets ffmpeg finish at once (a SIGTERM waits while it blocks on stdin); SIGKILL if not.
          child.stdin?.end();
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
          child.once('exit', () => clearTimeout(kill));
          return;
        }
        initWritten = true;
        this.write(data);
      },
      onFragment: (data, meta) => {
        if (replacing) return;
        // If ffmpeg falls behind, drop input up to the next keyframe rather than queue it in memory.
        const backlog = (this.stdin as unknown as { writableLength?: number } | null)?.writableLength ?? 0;
        if (backlog > 4 * 1024 * 1024) this.dropping = true;
        if (this.dropping && !meta.keyframe) return;
        this.dropping = false;
        this.arrivals.push({ receivedAt: meta.receivedAt, pts: meta.pts });
        if (this.arrivals.length > 250) this.arrivals.shift();
        this.write(data);
      },
    });
  }

  private write(data: Uint8Array): void {
    if (this.stdin && !(this.stdin as unknown as { destroyed: boolean }).destroyed) this.stdin.write(data);
  }

  private onOutput(nalus: Uint8Array[]): void {
    const keyframe = nalus.some((n) => (n[0]! & 0x1f) === 5);
    const sps = nalus.find((n) => (n[0]! & 0x1f) === 7);
    const pps = nalus.find((n) => (n[0]! & 0x1f) === 8);
    if (keyframe && sps && pps && !this.muxer) {
      this.muxer = new Fmp4Muxer({ mode: 'frame' });
      const data = this.muxer.init({ codec: 'h264', sps, pps });
      this.init = { codec: this.muxer.info?.codecString ?? 'avc1.4d401f', data };
      for (const v of this.viewers) v.onInit(this.init.codec, data);
    }
    // The output frame stands for the input frame still owed that shows first (ffmpeg outputs
    // in presentation order; with B-frames the input arrives in decode order): keep its camera
    // time and arrival.
    const input = takeEarliest(this.arrivals);
    const receivedAt = input?.receivedAt ?? Date.now();
    this.lastPts = input ? input.pts : this.lastPts + 3600;
    if (!this.muxer) return;
    const au: AccessUnit = { codec: 'h264', nalus, keyframe, pts: this.lastPts, receivedAt };
    const frag = this.muxer.push(au);
    if (!frag) return;
    const f = { data: frag, keyframe, pts: au.pts, receivedAt };
    if (keyframe) this.gop = [];
    if (this.gop.length || keyframe) this.gop.push(f);
    if (this.gop.length > 500) this.gop = [];
    for (const v of this.viewers) v.onFragment(frag, f);
  }
}

/**
 * Removes and returns the entry with the smallest pts among the oldest 17: no picture is
 * reordered further (16 is the H.264/H.265 limit), and beyond that the list is in arrival
 * order (e.g. a reconnected camera whose timestamps start lower).
 */
function takeEarliest<T extends { pts: number }>(list: T[]): T | undefined {
  let best = 0;
  for (let i = 1; i < Math.min(list.length, 17); i++) if (list[i]!.pts < list[best]!.pts) best = i;
  return list.splice(best, 1)[0];
}
