import type { StreamKind, StreamState, StatusReason } from '@kuzet/contracts';
import { addDays, almatyDate, almatyDayStart } from '../../lib/almaty-time.ts';
import type { Clock } from '../../platform/clock.ts';
import type { CamerasRepository } from './cameras.repository.ts';

export interface StatusRecord {
  complexId: string;
  cameraId: string;
  stream: StreamKind;
  state: StreamState;
  reason: StatusReason | null;
  at: Date;
}

/** Status changes as the media engine reports them, and uptime computed from them. */
export class CameraHistoryService {
  /** Who hears status changes once they are recorded (the alerts service: offline, back online). */
  private readonly listeners = new Set<(rows: StatusRecord[]) => void>();

  constructor(
    private readonly repo: CamerasRepository,
    private readonly clock: Clock,
  ) {}

  async record(events: StatusRecord[]): Promise<void> {
    await this.repo.addStatusEvents(events);
    for (const l of this.listeners) l(events);
  }

  /** Listeners must not throw and must not block (they run in the media engine's status path). */
  onRecorded(listener: (rows: StatusRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async history(cameraId: string, f: { from?: string | undefined; to?: string | undefined; stream?: StreamKind | undefined }) {
    const rows = await this.repo.statusEvents(cameraId, { from: f.from ? new Date(f.from) : undefined, to: f.to ? new Date(f.to) : undefined, stream: f.stream });
    return {
      items: rows.map((r) => ({ stream: r.stream as StreamKind, state: r.state as StreamState, reason: (r.reason as StatusReason | null) ?? null, at: r.at.toISOString() })),
    };
  }

  /** Share of each Almaty day (last `days` days, today included) the main stream was up. */
  async uptime(complexId: string, cameras: { id: string; name: string; createdAt: string }[], days: number) {
    const now = this.clock.now();
    const today = almatyDate(now);
    const dayList = Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
    const from = almatyDayStart(dayList[0]!);
    const { inWindow, before } = await this.repo.statusEventsForUptime(complexId, from);
    const up = (s: string) => s === 'online' || s === 'degraded';
    // Day boundaries once per report, events grouped once: the time-zone lookups and
    // the scans used to be repeated for every camera and every day.
    const bounds = dayList.map((d) => [almatyDayStart(d).getTime(), almatyDayStart(addDays(d, 1)).getTime()] as const);
    const eventsOf = new Map<string, { state: string; at: Date }[]>();
    for (const e of inWindow) {
      const list = eventsOf.get(e.cameraId);
      if (list) list.push(e);
      else eventsOf.set(e.cameraId, [e]);
    }
    const stateBefore = new Map(before.map((b) => [b.cameraId, b.state]));
    return {
      days: dayList,
      cameras: cameras.map((c) => {
        const events = eventsOf.get(c.id) ?? [];
        let state = stateBefore.get(c.id) ?? null;
        const created = new Date(c.createdAt).getTime();
        let next = 0; // events are in time order; each is consumed once over all the days
        const uptime = bounds.map(([dayStart, dayEnd]) => {
          const start = Math.max(dayStart, created);
          const end = Math.min(dayEnd, now.getTime());
          if (end <= start) return null;
          let t = start;
          let upMs = 0;
          for (; next < events.length; next++) {
            const e = events[next]!;
            const at = e.at.getTime();
            if (at <= start) {
              state = e.state;
              continue;
            }
            if (at >= end) break;
            if (state && up(state)) upMs += at - t;
            t = at;
            state = e.state;
          }
          if (state && up(state)) upMs += end - t;
          return Math.round((upMs / (end - start)) * 1000) / 1000;
        });
        return { cameraId: c.id, name: c.name, uptime };
      }),
    };
  }
}
