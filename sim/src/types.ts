/** Public vocabulary of the simulator. */
import type { Codec, MainSize } from './scenes/filtergraph.ts';

export type { Codec, MainSize };
export type StreamName = 'main' | 'sub';
export const STREAMS: readonly StreamName[] = ['main', 'sub'];

export interface SimCamera {
  /** url-safe: letters, digits, `.`, `_`, `~`, `-` (≤ 64) */
  id: string;
  /** a scene id, e.g. `yard-day` (see sceneIds()) */
  scene: string;
  codec: Codec;
  /** main stream size (default 1080p); the sub stream is always 640×360 */
  main?: MainSize;
  auth?: { kind: 'basic' | 'digest'; username: string; password: string };
  /**
   * Id drawn into every frame's stamp. Cameras with the same scene/codec/size/stamp share
   * one clip; give a camera its own stamp id when a test must tell it apart by pixels.
   * Default: a per-scene id (1 + the scene's index in sceneIds()).
   */
  stampId?: number;
  /**
   * % of the RTP datagrams sent to UDP viewers that are dropped (random, like a lossy
   * network; sequence numbers still advance). TCP viewers are unaffected: for them, put
   * the lossy proxy (src/testing/lossy-proxy.ts) in between. Drawn from a seeded
   * generator per camera (`udpLossSeed`, default 1): the same seed and packet order
   * drop the same packets. Change it while running with `Simulator.setUdpLoss`.
   */
  udpLossPercent?: number;
  udpLossSeed?: number;
  /** keyframe interval of the sub stream: 2 s (default, like the main stream) or 1 s */
  subGopSeconds?: 1 | 2;
  /**
   * Render the tampered variants (cover, defocus, turn) at start, so those faults switch the
   * picture at the next keyframe. Without it the first such fault renders its variant first
   * (seconds; cached on disk like every clip).
   */
  tamper?: boolean;
}

/**
 * A fault, per camera, others unaffected:
 * - `offline`: sessions closed; any request for this camera gets its connection closed unanswered
 * - `stall`: sockets and RTSP stay up, no media is sent
 * - `garbage`: random bytes instead of RTP on the session's socket/port
 * - `end`: current streams cut mid-frame (socket closed); new ones are cut after `afterMs` (default 2000)
 * - `wrong_password`: the camera's password changes (as after a reset): sessions drop, credentials are refused
 * - `cover`, `defocus`, `turn` (tamper): from the next common keyframe of both streams the camera
 *   serves a pre-rendered variant of its clip — covered (dark, near-uniform, a little noise),
 *   out of focus (strong blur) or turned (another, enlarged and mirrored part of the scene) —
 *   until `none`. Independent of the network faults above; `none` heals both.
 * - `none`: healthy
 */
export type FaultKind = 'none' | 'offline' | 'stall' | 'garbage' | 'end' | 'wrong_password' | PictureFault;
export type PictureFault = 'cover' | 'defocus' | 'turn';
export const PICTURE_FAULTS: readonly PictureFault[] = ['cover', 'defocus', 'turn'];
export const FAULT_KINDS: readonly FaultKind[] = ['none', 'offline', 'stall', 'garbage', 'end', 'wrong_password', ...PICTURE_FAULTS];
export const isPictureFault = (k: FaultKind): k is PictureFault => (PICTURE_FAULTS as readonly string[]).includes(k);

export interface Fault {
  kind: FaultKind;
  afterMs?: number;
}

export function parseFault(input: unknown): Fault | undefined {
  if (typeof input === 'string')
    return FAULT_KINDS.includes(input as FaultKind) ? { kind: input as FaultKind } : undefined;
  if (!input || typeof input !== 'object') return undefined;
  const o = input as Record<string, unknown>;
  const kind = o.kind ?? o.fault;
  if (typeof kind !== 'string' || !FAULT_KINDS.includes(kind as FaultKind)) return undefined;
  const afterMs = o.afterMs;
  if (afterMs !== undefined && (typeof afterMs !== 'number' || !Number.isFinite(afterMs) || afterMs < 0))
    return undefined;
  return afterMs === undefined ? { kind: kind as FaultKind } : { kind: kind as FaultKind, afterMs };
}
