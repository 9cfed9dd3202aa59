/**
 * From the detector's motion events to MediaService.setMotion: a camera has motion while at
 * least one of its motion events (any zone) is open. The detector reports each event by its
 * own key (start, updates, end); several zones of one camera can overlap, and an event that
 * ends while another goes on must not end the recording. An event not heard of for
 * `staleMs` (a detector that died mid-event) counts as ended, so a camera cannot record on
 * "motion" forever.
 *
 * Wiring (server.ts): `const trigger = new MotionTrigger(media)`, then every DetectionReport
 * also goes to `trigger.report(r)` (it only looks at kind 'motion'); `trigger.stop()` on shutdown.
 */
export interface MotionReport {
  eventKey: string;
  cameraId: string;
  kind: string;
  phase: 'start' | 'update' | 'end';
  /** When the event started / ended (epoch ms); the report's arrival when absent. */
  startedAt?: number;
  endedAt?: number | null;
}

export interface MotionSink {
  setMotion(cameraId: string, active: boolean, at?: number): void;
}

export class MotionTrigger {
  /** Per camera: its open motion events and when each was last heard of. */
  private readonly open = new Map<string, Map<string, number>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sink: MotionSink,
    private readonly opts: { staleMs?: number; now?: () => number } = {},
  ) {
    this.timer = setInterval(() => this.sweep(), Math.min(this.staleMs, 30_000));
    this.timer.unref();
  }

  /** Must not throw (a DetectionSink). */
  report(r: MotionReport): void {
    if (r.kind !== 'motion') return;
    const now = this.now();
    let events = this.open.get(r.cameraId);
    if (r.phase === 'end') {
      if (!events?.delete(r.eventKey)) return;
      if (events.size === 0) {
        this.open.delete(r.cameraId);
        this.sink.setMotion(r.cameraId, false, Math.min(r.endedAt ?? now, now));
      }
      return;
    }
    if (!events) this.open.set(r.cameraId, (events = new Map()));
    const first = events.size === 0;
    events.set(r.eventKey, now);
    // The start as the detector saw it: the pre-roll reaches back from there.
    if (first) this.sink.setMotion(r.cameraId, true, Math.min(r.startedAt ?? now, now));
  }

  /** Cameras with motion now (tests, diagnostics). */
  get active(): string[] {
    return [...this.open.keys()];
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Ends events not heard of for staleMs. */
  sweep(): void {
    const now = this.now();
    for (const [cameraId, events] of this.open) {
      for (const [key, seen] of events) if (now - seen >= this.staleMs) events.delete(key);
      if (events.size === 0) {
        this.open.delete(cameraId);
        this.sink.setMotion(cameraId, false, now);
      }
    }
  }

  private get staleMs(): number {
    return this.opts.staleMs ?? 10 * 60_000;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
