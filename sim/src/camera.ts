/** Runtime state of one simulated camera: its clips, its clock, its fault and its sessions. */
import { randomBytes } from 'node:crypto';
import type { PacketizedClip } from './media/packetizer.ts';
import type { AuthConfig } from './rtsp/auth.ts';
import { SUB_SIZE } from './scenes/filtergraph.ts';
import type { CameraTruth, SceneTruth, TamperTruth } from './scenes/truth.ts';
import type { MediaSession } from './streamer.ts';
import type { Fault, PictureFault, SimCamera, StreamName } from './types.ts';

/** Picture switches happen on frames that are keyframes of both streams (main GOP 50, sub 25 or 50). */
export const SWITCH_FRAMES = 50;
const CAUSE: Record<PictureFault, TamperTruth['cause']> = { cover: 'covered', defocus: 'defocused', turn: 'turned' };

export const FRAME_MS = 40;

export interface StreamRuntime {
  name: StreamName;
  clip: PacketizedClip;
  kbps: number;
  sessions: Set<MediaSession>;
}

export class CameraRuntime {
  fault: Fault = { kind: 'none' };
  /** RTP datagrams sent to / dropped for UDP viewers (config.udpLossPercent). */
  readonly udp = { sent: 0, dropped: 0 };
  /** Seeded, so a lossy run can be repeated (config.udpLossSeed). */
  udpLossRand: () => number;
  /** set while `wrong_password` is active: the password the camera now expects */
  private changedPassword: string | undefined;
  /** pre-rendered tampered variants of the camera's clips */
  readonly tamperClips = new Map<PictureFault, Record<StreamName, PacketizedClip>>();
  /** the picture asked for (cover/defocus/turn or none), possibly not yet switched to */
  requestedPicture: PictureFault | 'none' = 'none';
  /** picture switches: from camera frame `frame` on, the camera shows `kind` (ascending) */
  private readonly switches: Array<{ frame: number; kind: PictureFault | 'none' }> = [];

  constructor(
    readonly config: SimCamera,
    readonly streams: Record<StreamName, StreamRuntime>,
    readonly stampId: number,
    private readonly sceneTruth: SceneTruth,
    /** performance.now() / Date.now() at which camera frame 0 (loop frame 0) is shown */
    readonly epochMono: number,
    readonly epochWall: number,
  ) {
    this.udpLossRand = mulberry32(config.udpLossSeed ?? 1);
  }

  get id(): string {
    return this.config.id;
  }

  /** What the camera checks now: the configured credentials, or unknown ones under `wrong_password`. */
  get auth(): AuthConfig | undefined {
    if (this.changedPassword !== undefined) {
      return {
        kind: this.config.auth?.kind ?? 'digest',
        username: this.config.auth?.username ?? 'admin',
        password: this.changedPassword,
      };
    }
    return this.config.auth;
  }

  setFault(fault: Fault): void {
    this.fault = fault;
    this.changedPassword = fault.kind === 'wrong_password' ? randomBytes(12).toString('base64url') : undefined;
  }

  /** The clip a stream shows on camera frame `frame` (not wrapped): its own, or a tampered variant. */
  clipAt(stream: StreamRuntime, frame: number): PacketizedClip {
    for (let i = this.switches.length - 1; i >= 0; i--) {
      const sw = this.switches[i];
      if (!sw || sw.frame > frame) continue;
      if (sw.kind === 'none') return stream.clip;
      return this.tamperClips.get(sw.kind)?.[stream.name] ?? stream.clip;
    }
    return stream.clip;
  }

  /**
   * Switches the picture from the next frame that is a keyframe of both streams (after the
   * frame being shown at `nowMono`); a switch not yet reached is replaced. Returns the wall
   * time of the first frame of the new picture.
   */
  switchPicture(kind: PictureFault | 'none', nowMono: number): number {
    const current = Math.floor((nowMono - this.epochMono) / FRAME_MS);
    const frame = (Math.floor(current / SWITCH_FRAMES) + 1) * SWITCH_FRAMES;
    while (this.switches.length && (this.switches[this.switches.length - 1]?.frame ?? 0) >= frame) this.switches.pop();
    this.switches.push({ frame, kind });
    if (this.switches.length > 64) this.switches.splice(0, this.switches.length - 64);
    return this.epochWall + frame * FRAME_MS;
  }

  /** The tampered stretches so far, in wall-clock ms. */
  tamperTruth(): TamperTruth[] {
    const out: TamperTruth[] = [];
    this.switches.forEach((sw, i) => {
      if (sw.kind === 'none') return;
      const next = this.switches[i + 1];
      out.push({
        cause: CAUSE[sw.kind],
        startMs: this.epochWall + sw.frame * FRAME_MS,
        endMs: next ? this.epochWall + next.frame * FRAME_MS : null,
      });
    });
    return out;
  }

  truth(): CameraTruth {
    return {
      ...this.sceneTruth,
      cameraId: this.id,
      stampId: this.stampId,
      epochMs: this.epochWall,
      sub: { width: SUB_SIZE.width, height: SUB_SIZE.height },
      subGopSeconds: this.config.subGopSeconds ?? 2,
      tamper: this.tamperTruth(),
    };
  }

  sessionCount(stream?: StreamName): number {
    return stream
      ? this.streams[stream].sessions.size
      : this.streams.main.sessions.size + this.streams.sub.sessions.size;
  }
}

/** Mulberry32: a small seeded generator, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
