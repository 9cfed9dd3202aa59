/**
 * What H.264 and H.265 depacketization share: sequence-gap detection, grouping NAL
 * units into access units, fragment reassembly, 64-bit timestamps, memory caps, and
 * passing on damaged access units. Subclasses only split payloads into NAL units.
 *
 * Assumptions (documented because they are choices):
 * - Packets arrive in order (TCP interleaved, or UDP on a LAN). There is no jitter
 *   buffer: a packet slightly behind the expected sequence number is a late duplicate
 *   and ignored; a jump forward is a loss (reordered UDP thus costs damaged frames, not a crash).
 * - An access unit ends at the marker bit, or when the RTP timestamp changes (for
 *   cameras that forget the marker). It is emitted as soon as it ends.
 * - A loss damages the access unit being assembled and the one the next packet belongs
 *   to (the lost packets may have been its start). A damaged access unit is still
 *   emitted, marked `damaged`, with the NAL units that arrived whole: a fragmented NAL
 *   unit missing a fragment is dropped (except an H.264 keyframe slice, kept cut short
 *   at the gap: see `truncatable`), so is the rest of a malformed aggregation
 *   packet, the rest of the frame is kept. Decoders conceal what is missing, and a
 *   stream with a few % loss keeps flowing instead of waiting for the next keyframe
 *   (at 2 % loss a 1080p keyframe of ~100 packets is whole one time in eight; cut
 *   short, it still starts the stream). An access unit with
 *   no picture data left (no VCL NAL unit) is dropped, counted and reported through
 *   `onDrop`. With `waitForKeyframe` (default) nothing is emitted at the start of a
 *   stream until the first keyframe; after that, never again.
 * - Parameter sets are believed as ParameterSetTracker says (a change must parse and
 *   repeat); they are weighed at the end of the access unit that carried them, before
 *   it is emitted, so a new decoder configuration precedes its first picture.
 * - NAL units are views into packet buffers (see AccessUnit). Only a fragmented NAL
 *   unit is copied, once, when its last fragment arrives.
 */
import type { AccessUnit, VideoCodec, VideoParameterSets } from '../types.ts';
import { ParameterSetTracker, type ParameterSetKind } from './parameter-sets.ts';
import type { RtpPacket } from './rtp-packet.ts';

export type DropReason = 'loss' | 'oversize' | 'malformed' | 'unsupported';

export interface DepacketizerOptions {
  onAccessUnit: (au: AccessUnit) => void;
  /** Called when a complete set of parameter sets is first known or changes. */
  onParameterSets?: (ps: VideoParameterSets) => void;
  /**
   * Called for each access unit dropped because nothing usable remained. `keyframe`:
   * it was meant to be one (an IDR/IRAP fragment or parameter sets were seen), so a
   * watchdog can tell "keyframes arrive but damaged" from "no keyframes at all".
   */
  onDrop?: (reason: DropReason, pts: number, keyframe: boolean) => void;
  /** Largest NAL unit reassembled from fragments (default 4 MiB). */
  maxNaluBytes?: number;
  /** Largest access unit (default 8 MiB). */
  maxAccessUnitBytes?: number;
  /** Most NAL units in one access unit (default 1024): bounds the array, not just bytes. */
  maxNalusPerAccessUnit?: number;
  /** Emit nothing until the first keyframe of the stream (default true). */
  waitForKeyframe?: boolean;
}

export interface DepacketizerStats {
  packets: number;
  /** Packets missing according to sequence numbers. */
  lostPackets: number;
  /** Packets ignored because their sequence number went backwards (duplicates, reordering). */
  latePackets: number;
  /** Access units emitted, damaged ones included. */
  accessUnits: number;
  /** Of those, emitted marked damaged (a piece was lost, malformed or over a cap). */
  damagedAccessUnits: number;
  /** Keyframe slices that lost a fragment and were passed on cut short (see `truncatable`). */
  truncatedSlices: number;
  /** Access units dropped because nothing usable remained (no whole picture NAL unit). */
  droppedAccessUnits: number;
  /** Of those, the ones that were keyframes (an IDR/IRAP fragment or parameter sets seen). */
  droppedKeyframes: number;
  /** Complete access units skipped while waiting for the first keyframe. */
  skippedAccessUnits: number;
}

/** Classification of a NAL unit, as returned by `inspect` and `classify`. */
export const NAL_VCL = 1;
export const NAL_KEY = 2;
/** A parameter set (SPS/PPS/VPS): cameras send them with keyframes. */
export const NAL_PARAM = 4;

const MiB = 1024 * 1024;
/** RFC 3550 A.1 limits for sequence number jumps. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
/** A timestamp jump larger than this (~12 min at 90 kHz) needs confirmation. */
const MAX_TS_JUMP = 2 ** 26;

export abstract class RtpDepacketizer {
  readonly stats: DepacketizerStats = {
    packets: 0,
    lostPackets: 0,
    latePackets: 0,
    accessUnits: 0,
    damagedAccessUnits: 0,
    truncatedSlices: 0,
    droppedAccessUnits: 0,
    droppedKeyframes: 0,
    skippedAccessUnits: 0,
  };
  protected readonly opts: DepacketizerOptions;
  private readonly maxNalu: number;
  private readonly maxAu: number;
  private readonly maxCount: number;
  private readonly params: ParameterSetTracker;

  private expectedSeq = -1;
  private refRaw = -1;
  private refExt = 0;
  private jumpRaw = -1;
  private lastStep = 3000;
  private badSeq = -1;
  private lastArrival = 0;
  private needKeyframe: boolean;

  // The access unit being assembled.
  private inAu = false;
  private auRawTs = 0;
  private auPts = 0;
  private nalus: Uint8Array[] = [];
  private auBytes = 0;
  private auFlags = 0;
  /** NAL_KEY / NAL_PARAM seen in the access unit, kept or not (a dropped fragment counts). */
  private auHints = 0;
  private auDamage: DropReason | null = null;
  /** Non-VCL NAL units (parameter sets, SEI) that came with a timestamp of their own. */
  private carry: Uint8Array[] | null = null;
  private carryBytes = 0;

  // The fragmented NAL unit being reassembled.
  private fuActive = false;
  private fuParts: Uint8Array[] = [];
  private fuBytes = 0;
  private fuHeader0 = 0;
  private fuHeader1 = 0;
  private fuHeaderLen = 1;

  constructor(
    readonly codec: VideoCodec,
    opts: DepacketizerOptions,
  ) {
    this.opts = opts;
    this.maxNalu = opts.maxNaluBytes ?? 4 * MiB;
    this.maxAu = opts.maxAccessUnitBytes ?? 8 * MiB;
    this.maxCount = opts.maxNalusPerAccessUnit ?? 1024;
    this.needKeyframe = opts.waitForKeyframe ?? true;
    this.params = new ParameterSetTracker(codec, opts.onParameterSets);
  }

  /** Splits one RTP payload into NAL units via addNal / fuStart / fuPart / fuEnd. */
  protected abstract depacketize(payload: Uint8Array): void;
  /** NAL_VCL | NAL_KEY | NAL_PARAM bits for a complete NAL unit; captures parameter sets. */
  protected abstract inspect(nal: Uint8Array): number;
  /** The same bits from a NAL header alone (the start of a fragmented NAL unit), no side effect. */
  protected abstract classify(header0: number): number;
  /**
   * Whether a fragmented NAL unit of this type that lost a later fragment is kept cut
   * short (its head, up to the gap) instead of dropped. Only where decoders conceal
   * the rest of a truncated slice (H.264 keyframe slices; see h264-depacketizer.ts).
   */
  protected truncatable(_header0: number): boolean {
    return false;
  }

  /** Bytes held for the access unit and fragment in progress (for tests and metrics). */
  get bufferedBytes(): number {
    return this.auBytes + this.fuBytes + this.carryBytes;
  }

  /**
   * Feeds one RTP packet of this stream. `now` is the arrival time (Date.now()); pass
   * one value per socket read to save the clock call per packet. Never throws on bad
   * input: malformed payloads damage the current access unit.
   */
  push(pkt: RtpPacket, now?: number): void {
    this.stats.packets++;
    const seq = pkt.sequenceNumber;
    let gap = false;
    if (this.expectedSeq >= 0 && seq !== this.expectedSeq) {
      // RFC 3550 A.1: a small jump forward is a loss; a small step back is a late or
      // duplicate packet; a big jump either way is believed only when the next packet
      // follows it (a restarted sender), so one corrupt sequence number cannot make
      // us discard everything after it.
      const ahead = (seq - this.expectedSeq) & 0xffff;
      if (ahead >= 0x10000 - MAX_MISORDER || (ahead >= MAX_DROPOUT && seq !== this.badSeq)) {
        this.badSeq = ahead >= MAX_DROPOUT ? (seq + 1) & 0xffff : -1;
        this.stats.latePackets++;
        return;
      }
      this.stats.lostPackets += ahead < MAX_DROPOUT ? ahead : 1;
      gap = true;
      if (this.inAu) this.damage('loss');
    }
    this.badSeq = -1;
    this.expectedSeq = (seq + 1) & 0xffff;
    if (this.inAu && pkt.timestamp !== this.auRawTs) this.finishAu();
    if (!this.inAu) this.startAu(pkt.timestamp);
    if (gap) this.damage('loss');
    this.lastArrival = now ?? 0;
    this.depacketize(pkt.payload);
    if (pkt.marker) this.finishAu();
  }

  /** Ends the access unit in progress (e.g. at end of stream): emits it if complete. */
  flush(): void {
    this.finishAu();
  }

  private startAu(rawTs: number): void {
    this.auPts = this.extend(rawTs);
    this.inAu = true;
    this.auRawTs = rawTs;
    this.auFlags = 0;
    this.auHints = 0;
    this.auDamage = null;
    if (this.carry !== null) {
      this.nalus = this.carry;
      this.auBytes = this.carryBytes;
      this.carry = null;
      this.carryBytes = 0;
    }
  }

  /**
   * 32 → 64-bit timestamp. Steps are measured modulo 2^32 from a reference (the last
   * timestamp that moved forward), so the wrap needs no special case. A step back
   * (B-frames, a late packet) is placed before the reference without moving it. A jump
   * of more than MAX_TS_JUMP either way is believed only when the next access unit
   * confirms it (an encoder restart); then the timeline continues one frame later, so
   * one corrupt timestamp can neither shift the timeline nor break wrap handling.
   */
  private extend(raw: number): number {
    if (this.refRaw < 0) {
      this.refRaw = raw;
      this.refExt = raw;
      return raw;
    }
    const forward = (raw - this.refRaw) >>> 0;
    const back = (this.refRaw - raw) >>> 0;
    if (forward < MAX_TS_JUMP || (this.jumpRaw >= 0 && (raw - this.jumpRaw) >>> 0 < MAX_TS_JUMP)) {
      const step = forward < MAX_TS_JUMP ? forward : this.lastStep;
      if (forward > 0 && forward < MAX_TS_JUMP) this.lastStep = forward;
      this.refRaw = raw;
      this.refExt += step;
      this.jumpRaw = -1;
      return this.refExt;
    }
    if (back < MAX_TS_JUMP) return this.refExt - back;
    this.jumpRaw = raw; // unconfirmed: keep it on the reference
    return this.refExt;
  }

  /**
   * Marks the access unit in progress as damaged (the first reason is kept) and drops
   * the fragmented NAL unit in progress, whose remaining fragments cannot be trusted.
   * NAL units already whole stay; later whole ones are still added.
   */
  protected damage(reason: DropReason): void {
    // A lost fragment after the head of a truncatable slice: keep the head (the slice
    // header and the macroblocks before the gap), so a keyframe missing one packet of
    // ~100 still gives a picture, the rest concealed by the decoder.
    const head = reason === 'loss' && this.fuActive && this.fuBytes > 0 && this.truncatable(this.fuHeader0) ? this.joinFu() : null;
    this.abortFu();
    if (this.inAu && this.auDamage === null) this.auDamage = reason;
    if (head && this.inAu) {
      this.stats.truncatedSlices++;
      this.addNal(head);
    }
  }

  private finishAu(): void {
    if (!this.inAu) return;
    if (this.fuActive) this.damage('malformed'); // ended inside a fragmented NAL unit
    this.inAu = false;
    const nalus = this.nalus;
    const bytes = this.auBytes;
    this.auBytes = 0;
    if ((this.auHints & NAL_PARAM) !== 0) this.params.settle();
    const damage = this.auDamage;
    if (damage === null && nalus.length > 0 && (this.auFlags & NAL_VCL) === 0) {
      // Parameter sets / SEI sent with their own timestamp: they belong to the next picture.
      this.carry = nalus;
      this.carryBytes = bytes;
      this.nalus = [];
      return;
    }
    if ((this.auFlags & NAL_VCL) === 0) {
      nalus.length = 0; // reuse the array: nothing was handed out
      if (damage === null) return; // nothing arrived but ignored packet types
      // Damaged and no picture data left: nothing a decoder could use.
      const keyframe = (this.auHints & (NAL_KEY | NAL_PARAM)) !== 0;
      this.stats.droppedAccessUnits++;
      if (keyframe) this.stats.droppedKeyframes++;
      this.opts.onDrop?.(damage, this.auPts, keyframe);
      return;
    }
    const keyframe = (this.auFlags & NAL_KEY) !== 0;
    if (this.needKeyframe && !keyframe) {
      nalus.length = 0;
      this.stats.skippedAccessUnits++;
      return;
    }
    this.needKeyframe = false;
    this.nalus = [];
    this.stats.accessUnits++;
    if (damage !== null) this.stats.damagedAccessUnits++;
    this.opts.onAccessUnit({
      codec: this.codec,
      nalus,
      pts: this.auPts,
      keyframe,
      receivedAt: this.lastArrival || Date.now(),
      damaged: damage !== null,
    });
  }

  /** Adds one complete NAL unit to the access unit in progress (refused over the caps). */
  protected addNal(nal: Uint8Array): void {
    if (nal.length === 0) return;
    if (this.fuActive) this.damage('malformed'); // a fragmented NAL unit was cut off by this one
    if (this.nalus.length >= this.maxCount || this.auBytes + nal.length > this.maxAu) {
      this.damage('oversize');
      return;
    }
    this.nalus.push(nal);
    this.auBytes += nal.length;
    const flags = this.inspect(nal);
    this.auFlags |= flags;
    this.auHints |= flags;
  }

  /** First fragment: the reconstructed NAL header (1 byte for H.264, 2 for H.265). */
  protected fuStart(header0: number, header1: number, headerLen: 1 | 2, part: Uint8Array): void {
    if (this.fuActive) this.damage('malformed'); // the previous fragmented NAL unit never ended
    this.auHints |= this.classify(header0);
    this.fuActive = true;
    this.fuHeader0 = header0;
    this.fuHeader1 = header1;
    this.fuHeaderLen = headerLen;
    this.fuPart(part);
  }

  protected fuPart(part: Uint8Array): void {
    if (!this.fuActive) {
      // A middle or last fragment without its start: the start was lost or never sent.
      this.damage('malformed');
      return;
    }
    if (this.fuBytes + part.length + this.fuHeaderLen > this.maxNalu) {
      this.damage('oversize');
      return;
    }
    this.fuParts.push(part);
    this.fuBytes += part.length;
  }

  /** Last fragment: one allocation and one copy for the whole NAL unit. */
  protected fuEnd(part: Uint8Array): void {
    this.fuPart(part);
    if (!this.fuActive) return;
    const nal = this.joinFu();
    this.abortFu();
    this.addNal(nal);
  }

  /** The fragments so far as one NAL unit: the one allocation and copy of reassembly. */
  private joinFu(): Uint8Array {
    const nal = new Uint8Array(this.fuHeaderLen + this.fuBytes);
    nal[0] = this.fuHeader0;
    if (this.fuHeaderLen === 2) nal[1] = this.fuHeader1;
    let o = this.fuHeaderLen;
    for (const p of this.fuParts) {
      nal.set(p, o);
      o += p.length;
    }
    return nal;
  }

  private abortFu(): void {
    this.fuActive = false;
    this.fuParts.length = 0;
    this.fuBytes = 0;
  }

  protected setParam(kind: ParameterSetKind, nal: Uint8Array): void {
    this.params.set(kind, nal);
  }

  /**
   * Seeds parameter sets known out of band (SDP sprop-*): each NAL unit is classified
   * by its type, so the order and mix do not matter. In-band ones replace them later.
   */
  seedParameterSets(nalus: Uint8Array[]): void {
    for (const nal of nalus) if (nal.length > 0) this.inspect(nal);
    this.params.settle(true);
  }

  /** The parameter sets known so far (in-band or seeded), or null while incomplete. */
  get parameterSets(): VideoParameterSets | null {
    return this.params.current;
  }
}
