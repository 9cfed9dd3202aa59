/**
 * Which VPS/SPS/PPS of a stream to believe. Cameras repeat them before every keyframe,
 * and over a lossy link one of them can arrive with a flipped byte: that must not
 * change the stream's resolution, while a real change (the camera reconfigured) must
 * take effect soon. So:
 *  - sets from the SDP (`settle(true)`) are believed as they are;
 *  - a kind not known yet (no SDP) is believed at once when it parses, else when it
 *    is seen twice unchanged (the muxer then says why it cannot use it);
 *  - a set that differs from the believed one is believed only when it parses and is
 *    seen again, byte for byte, the next time parameter sets pass (the next keyframe):
 *    a change takes effect at its second keyframe. Seeing the believed set again in
 *    between cancels it; an implausible set is ignored.
 * Sets are weighed once per access unit that carried them (`settle`), not per NAL
 * unit, so an SPS and a PPS that change together are reported together. Repeats cost
 * one byte comparison, no allocation; copies (they outlive packet buffers) are made
 * only for a change. One of each is kept: cameras do not switch between several ids.
 */
import { BitReader } from '../codec/bit-reader.ts';
import { ebspToRbsp } from '../codec/nal.ts';
import { parseSps } from '../codec/sps.ts';
import type { VideoCodec, VideoParameterSets } from '../types.ts';

export type ParameterSetKind = 'vps' | 'sps' | 'pps';
type Sets = Map<ParameterSetKind, Uint8Array>;

export class ParameterSetTracker {
  private readonly believed: Sets = new Map();
  /** Seen in the access unit in progress: views into packet buffers, valid until settle(). */
  private readonly seen: Sets = new Map();
  /** A change seen once, waiting for its repeat (copies). */
  private pending: Sets | null = null;
  /** Changes refused as implausible or not (yet) repeated: for tests and metrics. */
  refused = 0;

  constructor(
    private readonly codec: VideoCodec,
    private readonly onChange?: (ps: VideoParameterSets) => void,
  ) {}

  /** Notes a parameter set of the access unit in progress; weighed at settle(). */
  set(kind: ParameterSetKind, nal: Uint8Array): void {
    this.seen.set(kind, nal);
  }

  /** Weighs the sets seen since the last call. `trusted`: they came out of band (SDP). */
  settle(trusted = false): void {
    if (this.seen.size === 0) return;
    let changed: Sets | null = null;
    for (const [kind, nal] of this.seen) {
      const old = this.believed.get(kind);
      if (old === undefined || !equalBytes(old, nal)) (changed ??= new Map()).set(kind, nal);
    }
    this.seen.clear();
    if (changed === null) {
      this.pending = null; // the believed set came again: whatever was pending was a fluke
      return;
    }
    const fresh = [...changed.keys()].every((k) => !this.believed.has(k));
    const plausible = this.plausible(changed);
    const repeated = this.pending !== null && sameSets(this.pending, changed);
    if (trusted || (plausible && (fresh || repeated)) || (fresh && repeated)) {
      for (const [kind, nal] of changed) this.believed.set(kind, new Uint8Array(nal));
      this.pending = null;
      const current = this.current;
      if (current) this.onChange?.(current);
      return;
    }
    this.refused++;
    if (plausible || fresh) this.pending = new Map([...changed].map(([k, v]) => [k, new Uint8Array(v)]));
  }

  /** The complete believed set, or null while one is missing. */
  get current(): VideoParameterSets | null {
    const sps = this.believed.get('sps');
    const pps = this.believed.get('pps');
    const vps = this.believed.get('vps');
    if (sps === undefined || pps === undefined) return null;
    if (this.codec === 'h265') return vps === undefined ? null : { codec: 'h265', vps, sps, pps };
    return { codec: 'h264', sps, pps };
  }

  /** Whether each changed set parses far enough to be a real one. */
  private plausible(sets: Sets): boolean {
    for (const [kind, nal] of sets) {
      if (nal.length < 2 || ((nal[0] as number) & 0x80) !== 0) return false; // forbidden_zero_bit
      if (kind === 'sps' && parseSps(this.codec, nal) === null) return false;
      if (kind === 'pps' && !ppsIdsValid(this.codec, nal)) return false;
    }
    return true;
  }
}

/** The ids at the start of a PPS are within their ranges (H.264 7.4.2.2, H.265 7.4.3.3). */
function ppsIdsValid(codec: VideoCodec, nal: Uint8Array): boolean {
  try {
    const r = new BitReader(ebspToRbsp(nal), codec === 'h264' ? 1 : 2);
    const ppsId = r.ue();
    const spsId = r.ue();
    return codec === 'h264' ? ppsId <= 255 && spsId <= 31 : ppsId <= 63 && spsId <= 15;
  } catch {
    return false; // truncated: a BitstreamError
  }
}

function sameSets(a: Sets, b: Sets): boolean {
  if (a.size !== b.size) return false;
  for (const [kind, nal] of a) {
    const other = b.get(kind);
    if (other === undefined || !equalBytes(nal, other)) return false;
  }
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
