import type { AccessUnit, VideoParameterSets } from '@kuzet/media';
import type { AccessUnitConsumer } from '../media/au-consumer.ts';
import { PreRollBuffer } from './pre-roll.ts';
import type { MotionSpec, StopReason } from './recorder.protocol.ts';
import type { Recorder } from './recorder.ts';

/** The pre-roll's byte cap per camera; the recorder's write queue grows by as much while on motion (the pre-roll is written at once). */
export const PRE_ROLL_MAX_BYTES = 16 * 1024 * 1024;
/**
 * The pre-roll reaches this much further back than asked: a motion start the detector
 * reports up to this late (its event's startedAt is earlier than now) still gets a whole
 * pre-roll before that start.
 */
export const PRE_ROLL_SLACK_MS = 2000;
/** After the post-roll, recording ends at the next keyframe; a stream without one for this long ends it at any frame. */
const KEYFRAME_WAIT_MS = 10_000;

export interface MotionState {
  active: boolean;
  /** When it became so (epoch ms, the main thread's clock = the worker's). */
  at: number;
}

/**
 * What a camera's main stream passes through on its way to the Recorder, in the media
 * worker. Continuous recording: every frame. Recording on motion (a MotionSpec):
 *
 * - idle: frames go into the PreRollBuffer (whole GOPs reaching ≥ preRoll back), nothing is written;
 * - motion starts (setMotion true): the buffer is handed to the recorder at once, in the same
 *   turn of the worker's event loop, from its first keyframe (at least preRoll before the
 *   motion) — the next live frame follows the last buffered one, nothing lost at the seam;
 *   the files' time follows pts from that keyframe's arrival;
 * - motion ends (setMotion false): recording goes on for postRoll, then ends at the next
 *   keyframe (the file ends exactly before it, `stopped motion_ended`), and that keyframe
 *   starts the new pre-roll — a motion soon after records from there, meeting the last file exactly;
 * - motion again during the post-roll: the same recording goes on.
 *
 * Mode changes in place (the camera's policy changed): to motion while recording → as if
 * motion had just ended (post-roll from now, unless motion is active); to continuous while
 * idle → the pre-roll is written first, so the footage starts up to preRoll back.
 */
export class RecordGate implements AccessUnitConsumer {
  private spec: MotionSpec | null = null;
  private buffer: PreRollBuffer | null = null;
  private phase: 'idle' | 'active' | 'post' = 'idle';
  /** End of the post-roll (arrival time), in phase 'post'. */
  private until = 0;
  private motion: MotionState;
  /** The recorder's own write-queue cap (continuous). */
  private readonly baseQueueBytes: number;

  constructor(
    readonly recorder: Recorder,
    spec: MotionSpec | null,
    motion: MotionState | null,
    private readonly now: () => number = Date.now,
  ) {
    this.motion = motion ?? { active: false, at: 0 };
    this.baseQueueBytes = recorder.maxQueueBytes;
    this.setMode(spec);
  }

  /** Continuous (null) or on motion. */
  setMode(spec: MotionSpec | null): void {
    const was = this.spec;
    this.spec = spec;
    if (!spec) {
      this.recorder.trigger = null;
      this.recorder.maxQueueBytes = this.baseQueueBytes;
      if (was && this.phase === 'idle' && this.buffer) this.replay(this.now());
      this.buffer?.clear();
      this.buffer = null;
      return;
    }
    this.recorder.trigger = 'motion';
    this.recorder.maxQueueBytes = this.baseQueueBytes + PRE_ROLL_MAX_BYTES;
    if (this.buffer) {
      this.buffer.preRollMs = spec.preRollSeconds * 1000;
      return;
    }
    this.buffer = new PreRollBuffer({ preRollMs: spec.preRollSeconds * 1000, slackMs: PRE_ROLL_SLACK_MS, maxBytes: PRE_ROLL_MAX_BYTES });
    if (this.motion.active) this.phase = 'active';
    else if (this.recorder.writing) {
      this.phase = 'post';
      this.until = Math.max(this.now(), this.motion.at) + spec.postRollSeconds * 1000;
    } else this.phase = 'idle';
  }

  setMotion(active: boolean, at: number): void {
    if (active === this.motion.active) return;
    this.motion = { active, at };
    const spec = this.spec;
    if (!spec) return;
    if (active) {
      const from = this.phase;
      this.phase = 'active';
      if (from === 'idle') this.replay(at);
    } else if (this.phase === 'active') {
      this.phase = 'post';
      this.until = at + spec.postRollSeconds * 1000;
    }
  }

  onParams(ps: VideoParameterSets): void {
    this.buffer?.clear(); // frames of the old parameters cannot go into the new files
    this.recorder.onParams(ps);
  }

  onAccessUnit(au: AccessUnit): void {
    if (!this.spec || this.phase === 'active') return this.recorder.onAccessUnit(au);
    if (this.phase === 'post' && au.receivedAt >= this.until && (au.keyframe || au.receivedAt >= this.until + KEYFRAME_WAIT_MS)) {
      this.recorder.pause('motion_ended', au.keyframe ? au.pts : undefined);
      this.phase = 'idle';
    }
    if (this.phase === 'idle') this.buffer!.push(au);
    else this.recorder.onAccessUnit(au);
  }

  onReset(): void {
    this.buffer?.clear();
    this.recorder.onReset();
  }

  stop(reason: StopReason): Promise<void> {
    this.buffer?.clear();
    return this.recorder.stop(reason);
  }

  /** Bytes of video held in the pre-roll. */
  get preRollBytes(): number {
    return this.buffer?.bytes ?? 0;
  }

  /** For tests and diagnostics. */
  get state(): { phase: 'continuous' | 'idle' | 'active' | 'post'; preRollBytes: number; preRollFrom: number | null } {
    return { phase: this.spec ? this.phase : 'continuous', preRollBytes: this.preRollBytes, preRollFrom: this.buffer?.oldestAt ?? null };
  }

  private replay(at: number): void {
    const units = this.buffer?.drain(at) ?? [];
    for (const au of units) this.recorder.onAccessUnit(au);
  }
}
