/**
 * A small reorder buffer for RTP over UDP: packets are released in sequence-number
 * order. A packet that arrives ahead of the one expected is held until the hole fills,
 * or until the buffer holds `capacity` packets, or until the oldest held packet has
 * waited `maxDelayMs` — whichever comes first; then the hole is given up as lost.
 *
 * Why so small: the live wall wants low latency, and on a LAN reordering is a few
 * packets at most. A longer wait would add its full length to every loss.
 *
 * Packets are kept by reference (a UDP datagram is its own buffer, nothing reuses it).
 * Pure and clock-free: the caller passes `now` and calls `expire(now)` from a timer
 * armed at `deadline` (only while something is held, so the common in-order case
 * costs no timer).
 */

export interface ReorderStats {
  /** Packets that arrived after a later one and were put back in order. */
  reordered: number;
  /** Sequence numbers given up (never arrived within the wait). */
  lost: number;
  /** Packets older than the ones already released (late beyond the wait, or duplicates). */
  late: number;
  /** Packets held at the moment. */
  held: number;
}

export interface ReorderBufferOptions {
  /** Most packets held (default 32, a power of two up to 1024). */
  capacity?: number;
  /** Longest a packet waits for an earlier one (default 50 ms). */
  maxDelayMs?: number;
  /** Receives packets in order (`arrivedAt` is the packet's own arrival time). */
  emit: (buf: Uint8Array, arrivedAt: number) => void;
}

/** RFC 3550 A.1: beyond these a jump is a restarted sender, not reordering. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class ReorderBuffer {
  readonly stats: ReorderStats = { reordered: 0, lost: 0, late: 0, held: 0 };
  private readonly size: number;
  private readonly mask: number;
  private readonly maxDelay: number;
  private readonly slots: (Uint8Array | null)[];
  private readonly times: Float64Array;
  /** The next sequence number to release; -1 before the first packet. */
  private next = -1;
  /** Distance from `next` of the furthest packet held (0 when none). */
  private span = 0;
  /** A far-off sequence number seen once; the one after it confirms a restart. */
  private badSeq = -1;

  constructor(private readonly opts: ReorderBufferOptions) {
    const cap = opts.capacity ?? 32;
    this.size = 1 << Math.max(1, Math.min(10, Math.ceil(Math.log2(Math.max(2, cap)))));
    this.mask = this.size - 1;
    this.maxDelay = opts.maxDelayMs ?? 50;
    this.slots = new Array<Uint8Array | null>(this.size).fill(null);
    this.times = new Float64Array(this.size);
  }

  /** When `expire` should next be called (ms, same clock as `now`), or null when nothing is held. */
  get deadline(): number | null {
    if (this.stats.held === 0) return null;
    let oldest = Infinity;
    for (let d = 1; d <= this.span; d++) {
      const i = (this.next + d) & this.mask;
      if (this.slots[i] !== null && (this.times[i] as number) < oldest) oldest = this.times[i] as number;
    }
    return oldest + this.maxDelay;
  }

  push(buf: Uint8Array, seq: number, now: number): void {
    if (this.next < 0) this.next = seq;
    const ahead = (seq - this.next) & 0xffff;
    if (ahead === 0) {
      this.badSeq = -1;
      if (this.stats.held > 0) this.stats.reordered++;
      this.release(buf, now);
      this.drain();
      return;
    }
    if (ahead >= 0x10000 - MAX_MISORDER) {
      this.stats.late++; // already released or given up: the depacketizer must not see it
      return;
    }
    if (ahead >= MAX_DROPOUT) {
      // A jump: believed only when the next packet follows it (one corrupt number must
      // not flush the buffer). Until then the packet passes through untouched.
      if (seq !== this.badSeq) {
        this.badSeq = (seq + 1) & 0xffff;
        this.opts.emit(buf, now);
        return;
      }
      this.flush();
      this.next = seq;
      this.badSeq = -1;
      this.release(buf, now);
      return;
    }
    this.badSeq = -1;
    // Make room: whatever cannot wait within capacity is given up, oldest first.
    if (this.stats.held === 0 && ahead >= this.size) {
      const gone = ahead - this.size + 1; // nothing held: jump straight to the window
      this.stats.lost += gone;
      this.next = (this.next + gone) & 0xffff;
    }
    while (((seq - this.next) & 0xffff) >= this.size) this.skipOne();
    const d = (seq - this.next) & 0xffff;
    if (d === 0) {
      this.release(buf, now);
      this.drain();
      return;
    }
    const i = seq & this.mask;
    if (this.slots[i] !== null) {
      this.stats.late++; // duplicate of a held packet
      return;
    }
    if (d < this.span) this.stats.reordered++;
    this.slots[i] = buf;
    this.times[i] = now;
    this.stats.held++;
    if (d > this.span) this.span = d;
    this.expire(now);
  }

  /** Gives up holes whose later packets have waited long enough. */
  expire(now: number): void {
    while (this.stats.held > 0) {
      const dl = this.deadline;
      if (dl === null || dl > now) return;
      this.skipOne();
    }
  }

  /** Releases everything held, in order, counting the holes as lost. */
  flush(): void {
    while (this.stats.held > 0) this.skipOne();
    this.span = 0;
  }

  /** Gives up the expected packet (lost) and releases what follows in order. */
  private skipOne(): void {
    this.stats.lost++;
    this.next = (this.next + 1) & 0xffff;
    if (this.span > 0) this.span--;
    this.drain();
  }

  private release(buf: Uint8Array, arrivedAt: number): void {
    this.next = (this.next + 1) & 0xffff;
    if (this.span > 0) this.span--;
    this.opts.emit(buf, arrivedAt);
  }

  private drain(): void {
    for (;;) {
      const i = this.next & this.mask;
      const buf = this.slots[i];
      if (buf === null || buf === undefined || this.stats.held === 0) return;
      this.slots[i] = null;
      this.stats.held--;
      this.release(buf, this.times[i] as number);
    }
  }
}
