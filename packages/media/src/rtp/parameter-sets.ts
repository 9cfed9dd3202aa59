/**
 * Tracks the latest VPS/SPS/PPS of a stream. They are kept as small copies (they
 * outlive the packet buffers) and reported once complete and whenever one changes;
 * repeats (every keyframe carries them) cost one byte comparison, no allocation.
 * One of each is kept: cameras do not switch between several SPS/PPS ids.
 */
import type { VideoCodec, VideoParameterSets } from '../types.ts';

export type ParameterSetKind = 'vps' | 'sps' | 'pps';

export class ParameterSetTracker {
  private readonly sets = new Map<ParameterSetKind, Uint8Array>();

  constructor(
    private readonly codec: VideoCodec,
    private readonly onChange?: (ps: VideoParameterSets) => void,
  ) {}

  set(kind: ParameterSetKind, nal: Uint8Array): void {
    const old = this.sets.get(kind);
    if (old !== undefined && equalBytes(old, nal)) return;
    // new Uint8Array(view) copies; Buffer#slice would not (it is subarray for Buffers).
    this.sets.set(kind, new Uint8Array(nal));
    const current = this.current;
    if (current) this.onChange?.(current);
  }

  /** The complete set, or null while one is missing. */
  get current(): VideoParameterSets | null {
    const sps = this.sets.get('sps');
    const pps = this.sets.get('pps');
    const vps = this.sets.get('vps');
    if (sps === undefined || pps === undefined) return null;
    if (this.codec === 'h265') return vps === undefined ? null : { codec: 'h265', vps, sps, pps };
    return { codec: 'h264', sps, pps };
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
