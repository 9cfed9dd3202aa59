import { recordingGapReasons, type CameraStorage, type RecordingGapReason, type RecordingHealth } from '@kuzet/contracts';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import { floorBytesOf, measureDisk, statfsDisk, type DiskSpace, type FreeFloor, type StatfsFn } from './disk.ts';
import { gapReasonOfStop } from './recorder.protocol.ts';
import type { RecordingEventMap, RecordingEvents } from './recording-events.ts';

export interface HealthOptions {
  enabled: boolean;
  root: string;
  quotaBytes: number | null;
  freeFloor: FreeFloor;
  statfs?: StatfsFn;
  /** How long one answer is reused (ms; default 5 s). */
  cacheMs?: number;
  /**
   * How long the footage totals (a scan of the whole index) are reused (ms; default 60 s).
   * Shared by every complex; once known, a stale value is answered at once while a fresh one
   * is computed in the background (1 M rows: ~0.6 s of PostgreSQL on a loaded 2-core box).
   */
  usageCacheMs?: number;
}

type Problem = RecordingHealth['problems'][number] & { severity: 'warning' | 'critical' };

interface Usage {
  cam: string;
  bytes: number;
  oldest: Date | null;
  newest: Date | null;
  recentBytes: number;
}

const DAY = 86_400_000;

/**
 * The recorder's health for the console (GET …/recordings/health): the disk, footage per
 * camera and how long the disk lasts at the current rate, and the problems the recorder
 * reported (disk full, write errors) until it reports them recovered. Cheap: two aggregate
 * queries and one statfs, reused for a few seconds per complex.
 */
export class RecordingHealthService {
  private readonly live = new Map<string, Problem>();
  private readonly cache = new Map<string, { at: number; value: Promise<RecordingHealth> }>();
  private lowSince: number | null = null;
  private usageCache: { at: number; value: Usage[] } | null = null;
  private usageRefresh: Promise<Usage[]> | null = null;
  private readonly statfs: StatfsFn;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly cameras: CamerasService,
    private readonly events: RecordingEvents,
    private readonly clock: Clock,
    private readonly opts: HealthOptions,
  ) {
    this.statfs = opts.statfs ?? statfsDisk;
    this.listen();
  }

  private listen(): void {
    const onProblem = (p: RecordingEventMap['problem'][0]) => {
      const key = `${p.code}:${p.cameraId ?? '*'}`;
      const prev = this.live.get(key);
      this.live.set(key, {
        code: p.code,
        message: p.message,
        since: prev?.since ?? new Date(p.at).toISOString(),
        cameraId: p.cameraId,
        severity: p.code === 'disk_full' ? 'critical' : 'warning',
      });
      this.cache.clear();
    };
    const onRecovered = (r: RecordingEventMap['recovered'][0]) => {
      for (const [key, p] of this.live) if (p.code === r.code && (r.cameraId === null || p.cameraId === r.cameraId)) this.live.delete(key);
      this.cache.clear();
    };
    this.events.on('problem', onProblem);
    this.events.on('recovered', onRecovered);
    this.unsubscribe = () => {
      this.events.off('problem', onProblem);
      this.events.off('recovered', onRecovered);
    };
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  health(complexId: string): Promise<RecordingHealth> {
    const now = Date.now();
    const hit = this.cache.get(complexId);
    if (hit && now - hit.at < (this.opts.cacheMs ?? 5000)) return hit.value;
    const value = this.compute(complexId);
    this.cache.set(complexId, { at: now, value });
    value.catch(() => this.cache.delete(complexId));
    return value;
  }

  private async compute(complexId: string): Promise<RecordingHealth> {
    const now = this.clock.now().getTime();
    const [cameras, usage, last, disk] = await Promise.all([
      this.cameras.allOfComplex(complexId),
      this.footage(),
      this.lastEvents(complexId),
      measureDisk(this.opts.root, this.statfs).then(
        (d): DiskSpace | null => d,
        () => null,
      ),
    ]);
    const byCamera = new Map(usage.map((u) => [u.cam, u]));
    // Bytes a day over the last 24 h; a camera whose footage began less than a day ago is
    // measured from its first file (a gap within the day counts: it is the real rate).
    const rateOf = (u: Usage | undefined): number => {
      if (!u || !u.recentBytes || !u.oldest) return 0;
      const from = Math.max(u.oldest.getTime(), now - DAY);
      return Math.round((u.recentBytes / Math.max(now - from, 60_000)) * DAY);
    };
    const used = usage.reduce((s, u) => s + u.bytes, 0);
    const rate = usage.reduce((s, u) => s + rateOf(u), 0);
    const total = disk?.totalBytes ?? 0;
    const free = disk?.freeBytes ?? 0;
    const floor = floorBytesOf(this.opts.freeFloor, total);
    const room = Math.max(0, used + free - floor);
    const capacity = this.opts.quotaBytes === null ? room : Math.min(room, this.opts.quotaBytes);
    const ids = new Set(cameras.map((c) => c.id));

    const problems: Problem[] = [...this.live.values()].filter((p) => p.cameraId === null || ids.has(p.cameraId));
    if (!disk) {
      problems.push({ code: 'disk_unavailable', severity: 'critical', cameraId: null, since: new Date(now).toISOString(), message: `The recordings folder ${this.opts.root} cannot be read: footage is not being kept.` });
    } else if (free < 2 * floor) {
      this.lowSince ??= now;
      problems.push({
        code: 'disk_low',
        severity: 'warning',
        cameraId: null,
        since: new Date(this.lowSince).toISOString(),
        message: `The recordings disk is nearly full: ${gb(free)} free of ${gb(total)}; retention deletes the oldest footage to keep ${gb(floor)} free.`,
      });
    } else {
      this.lowSince = null;
    }
    problems.sort((a, b) => b.since.localeCompare(a.since));
    const diskFull = problems.some((p) => p.code === 'disk_full' && p.cameraId === null);

    const storage: CameraStorage[] = cameras.map((c) => {
      const u = byCamera.get(c.id);
      const bytes = u?.bytes ?? 0;
      const oldest = u?.oldest ?? null;
      const newest = u?.newest ?? null;
      let recording = false;
      let problem: RecordingGapReason | null = null;
      if (c.recordingPolicy !== 'off' && c.enabled) {
        const own = problems.find((p) => p.cameraId === c.id && (p.code === 'write_error' || p.code === 'disk_full'));
        const ev = last.get(c.id);
        if (!this.opts.enabled) problem = 'recording_off';
        else if (diskFull) problem = 'disk_full';
        else if (own) problem = own.code as RecordingGapReason;
        else if (ev?.kind === 'started') recording = true;
        else if (ev?.kind === 'stopped') problem = gapReason(ev.reason);
        else {
          const main = c.status.find((s) => s.stream === 'main');
          problem = main && main.state !== 'online' ? 'camera_offline' : 'unknown';
        }
      }
      return {
        cameraId: c.id,
        policy: c.recordingPolicy,
        recording,
        problem,
        oldest: oldest ? oldest.toISOString() : null,
        newest: newest ? newest.toISOString() : null,
        daysHeld: oldest && newest ? round2((newest.getTime() - oldest.getTime()) / DAY) : 0,
        bytes,
        bytesPerDay: rateOf(u),
        retentionDays: c.retentionDays,
      };
    });

    const state = problems.some((p) => p.severity === 'critical') ? 'critical' : problems.length ? 'warning' : 'ok';
    return {
      state,
      problems: problems.map(({ severity: _s, ...p }) => p),
      disk: {
        path: this.opts.root,
        totalBytes: total,
        freeBytes: free,
        floorBytes: floor,
        quotaBytes: this.opts.quotaBytes,
        usedByFootageBytes: used,
        daysAtCurrentRate: rate > 0 ? round2(capacity / rate) : null,
      },
      cameras: storage,
    };
  }

  /** The footage totals: fresh enough, or the last ones while fresh ones are computed (the first call waits). */
  private footage(): Promise<Usage[]> {
    const now = Date.now();
    const c = this.usageCache;
    if (c && now - c.at < (this.opts.usageCacheMs ?? 60_000)) return Promise.resolve(c.value);
    this.usageRefresh ??= this.usage(new Date(this.clock.now().getTime() - DAY))
      .then((value) => {
        this.usageCache = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        this.usageRefresh = null;
      });
    if (c) {
      this.usageRefresh.catch(() => undefined);
      return Promise.resolve(c.value);
    }
    return this.usageRefresh;
  }

  /** Footage per camera (every complex: the disk is shared), and its last 24 hours. */
  private async usage(since: Date): Promise<Usage[]> {
    const r = await sql<{ cam: string; bytes: number | string; oldest: Date | string | null; newest: Date | string | null; recent: number | string }>`
      select camera_id as cam, coalesce(sum(bytes), 0)::bigint as bytes, min(start_at) as oldest, max(end_at) as newest,
        coalesce(sum(bytes) filter (where end_at > ${since.toISOString()}::timestamptz), 0)::bigint as recent
      from recording_segments group by camera_id`.execute(this.db);
    return r.rows.map((x) => ({
      cam: x.cam,
      bytes: Number(x.bytes),
      oldest: x.oldest ? new Date(x.oldest) : null,
      newest: x.newest ? new Date(x.newest) : null,
      recentBytes: Number(x.recent),
    }));
  }

  /** Each camera's last recording event: started, or stopped and why. */
  private async lastEvents(complexId: string): Promise<Map<string, { kind: string; reason: string | null }>> {
    const r = await sql<{ cam: string; kind: string; reason: string | null }>`
      select distinct on (camera_id) camera_id as cam, kind, reason
      from recording_events where complex_id = ${complexId}
      order by camera_id, at desc, id desc`.execute(this.db);
    return new Map(r.rows.map((x) => [x.cam, { kind: x.kind, reason: x.reason }]));
  }
}

function gapReason(reason: string | null): RecordingGapReason {
  // motion_ended (a camera on motion waiting for the next) reads as no_motion.
  return gapReasonOfStop(reason) ?? ((recordingGapReasons as readonly string[]).includes(reason ?? '') ? (reason as RecordingGapReason) : 'unknown');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}
