/**
 * Packet loss of one stream over a sliding window, and whether it counts as degraded.
 *
 * Hysteresis, so the status does not flap around one threshold: a stream becomes
 * degraded when loss over the last `windowMs` (10 s) is above `enterPercent` (1 %), and
 * becomes online again only once loss over the window has stayed below `leavePercent`
 * (0.5 %) for `holdMs` (10 s) — i.e. after 10–20 s without noticeable loss. Windows
 * holding fewer than `minPackets` expected packets change nothing (a 1-packet loss on
 * a near-idle stream says little). Fed once a second with the receiver's cumulative
 * counters; a new source (a reconnect) restarts the counting, not the window.
 */
export interface LossPolicy {
  windowMs: number;
  enterPercent: number;
  leavePercent: number;
  holdMs: number;
  minPackets: number;
}

export const defaultLossPolicy: LossPolicy = { windowMs: 10_000, enterPercent: 1, leavePercent: 0.5, holdMs: 10_000, minPackets: 50 };

interface Slice {
  at: number;
  received: number;
  lost: number;
}

export class LossMonitor {
  /** Loss over the window in % (two decimals), null when nothing was expected. */
  percent: number | null = null;
  degraded = false;
  private slices: Slice[] = [];
  private source: object | null = null;
  private lastReceived = 0;
  private lastLost = 0;
  /** Since when loss has stayed below leavePercent while degraded. */
  private calmSince: number | null = null;

  constructor(private readonly policy: LossPolicy = defaultLossPolicy) {}

  /** `received` and `lost`: cumulative packet counters of `source` (e.g. an RTSP client). */
  update(now: number, received: number, lost: number, source: object | null): void {
    if (source !== this.source) {
      this.source = source;
      this.lastReceived = this.lastLost = 0;
    }
    const slice = { at: now, received: Math.max(0, received - this.lastReceived), lost: Math.max(0, lost - this.lastLost) };
    this.lastReceived = received;
    this.lastLost = lost;
    this.slices.push(slice);
    while (this.slices.length > 0 && (this.slices[0] as Slice).at <= now - this.policy.windowMs) this.slices.shift();
    let got = 0;
    let missed = 0;
    for (const s of this.slices) {
      got += s.received;
      missed += s.lost;
    }
    const expected = got + missed;
    this.percent = expected > 0 ? Math.round((missed / expected) * 10_000) / 100 : null;
    if (expected < this.policy.minPackets || this.percent === null) return;
    if (!this.degraded) {
      if (this.percent > this.policy.enterPercent) {
        this.degraded = true;
        this.calmSince = null;
      }
      return;
    }
    if (this.percent >= this.policy.leavePercent) this.calmSince = null;
    else if (this.calmSince === null) this.calmSince = now;
    else if (now - this.calmSince >= this.policy.holdMs) this.degraded = false;
  }

  /** Forgets everything (the stream went offline). */
  reset(): void {
    this.slices = [];
    this.percent = null;
    this.degraded = false;
    this.calmSince = null;
    this.source = null;
  }
}
