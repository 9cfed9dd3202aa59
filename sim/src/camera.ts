/** Runtime state of one simulated camera: its clips, its clock, its fault and its sessions. */
import { randomBytes } from 'node:crypto';
import type { PacketizedClip } from './media/packetizer.ts';
import type { AuthConfig } from './rtsp/auth.ts';
import { SUB_SIZE } from './scenes/filtergraph.ts';
import type { CameraTruth, SceneTruth } from './scenes/truth.ts';
import type { MediaSession } from './streamer.ts';
import type { Fault, SimCamera, StreamName } from './types.ts';

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

  truth(): CameraTruth {
    return {
      ...this.sceneTruth,
      cameraId: this.id,
      stampId: this.stampId,
      epochMs: this.epochWall,
      sub: { width: SUB_SIZE.width, height: SUB_SIZE.height },
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
