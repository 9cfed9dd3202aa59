import path from 'node:path';
import { parsePortRange, type UdpPortRange } from '@kuzet/media';
import { z } from 'zod';

/**
 * The one typed, validated, frozen configuration. Nothing else reads process.env.
 * Every module receives its slice.
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  KUZET_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  KUZET_DEMO_PASSWORD: z.string().min(10, 'KUZET_DEMO_PASSWORD must be at least 10 characters').optional(),
  KUZET_SECRET_FILE: z.string().optional(),
  KUZET_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KUZET_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  KUZET_IDLE_LOCK_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  KUZET_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  KUZET_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  KUZET_THROTTLE_ACCOUNT_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
  KUZET_THROTTLE_ADDRESS_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
  KUZET_WEB_DIR: z.string().optional(),
  KUZET_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  KUZET_MEDIA_WORKERS: z.coerce.number().int().min(1).max(8).optional(),
  KUZET_MEDIA: z.enum(['on', 'off']).default('on'),
  /** UDP client ports for RTP/RTCP from cameras: 'min-max', or 'ephemeral' for the OS's choice. */
  KUZET_RTP_PORTS: z
    .string()
    .default('50000-59999')
    .transform((v, ctx) => {
      try {
        return parsePortRange(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
        return z.NEVER;
      }
    }),
  KUZET_SIM_PORT: z.coerce.number().int().min(1).max(65535).default(8554),
  KUZET_SIM_CAMERAS: z.coerce.number().int().min(0).max(300).default(12),
  KUZET_SIM_CACHE: z.string().optional(),
  KUZET_SIM_LOOP_SECONDS: z.coerce.number().int().min(2).max(600).multipleOf(2).default(10),
  KUZET_API_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  KUZET_API_LOW_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(16),
  KUZET_API_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Years an archived resident is kept before erasure (Law 94-V retention). */
  KUZET_PEOPLE_RETENTION_YEARS: z.coerce.number().int().min(1).max(75).default(3),
  /** Recording (issue 8, docs/decisions/0005-recording.md). */
  KUZET_RECORDING: z.enum(['on', 'off']).default('on'),
  /** Motion and tamper detection on the cameras' sub streams (issue 10). */
  KUZET_DETECTION: z.enum(['on', 'off']).default('on'),
  /** Offline alerts wait this long after the server starts (cameras still connecting). */
  KUZET_ALERTS_STARTUP_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  KUZET_RECORDINGS_DIR: z.string().optional(),
  /** Seconds of footage per file. */
  KUZET_RECORDING_SEGMENT_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  /** Recording on motion (cameras with policy 'motion'): seconds kept before motion starts (from a keyframe at least this far back) … */
  KUZET_MOTION_PREROLL_SECONDS: z.coerce.number().int().min(0).max(30).default(5),
  /** … and seconds recorded after it ends. */
  KUZET_MOTION_POSTROLL_SECONDS: z.coerce.number().int().min(0).max(600).default(10),
  /** A cap on all footage, in GB (decimal); unset: no quota, the free-space floor still applies. */
  KUZET_RECORDING_QUOTA_GB: z.coerce.number().positive().max(1_000_000).optional(),
  /** Retention deletes the oldest footage to keep at least this much of the disk free: a percentage ('5%') or GB ('20'). */
  KUZET_RECORDING_FREE_FLOOR: z
    .string()
    .default('5%')
    .refine((v) => /^\d+(\.\d+)?%?$/.test(v.trim()), 'KUZET_RECORDING_FREE_FLOOR must be a percentage like 5% or a number of GB like 20'),
});

export interface Config {
  readonly http: { readonly port: number; readonly host: string; readonly bodyLimit: number; readonly webDir: string };
  readonly dataDir: string;
  readonly database: { readonly kind: 'pglite'; readonly dir: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly secretFile: string;
  readonly auditHeadFile: string;
  readonly logLevel: string;
  /** auto: readable lines on a terminal, JSON to a file or a pipe */
  readonly logFormat: 'auto' | 'json' | 'pretty';
  readonly demoPassword: string | null;
  readonly media: { readonly enabled: boolean; readonly workers: number | null; readonly rtpPorts: UdpPortRange };
  readonly detection: { readonly enabled: boolean };
  readonly alerts: { readonly startupGraceMs: number };
  /** The camera simulator that `kuzet demo` runs for the demo complex. */
  readonly sim: { readonly port: number; readonly cameras: number; readonly cacheDir: string; readonly loopSeconds: number };
  /** Load shedding (platform/load-shedder.ts): API requests in flight per class; each class queues 4× as many. */
  readonly api: { readonly concurrency: number; readonly lowConcurrency: number; readonly maxWaitMs: number };
  /** Residents (issue 9). */
  readonly people: { readonly retentionYears: number };
  /** Recording (issue 8): where files go, their length, the quota and the free-space floor retention keeps. */
  readonly recordings: {
    readonly enabled: boolean;
    readonly dir: string;
    readonly segmentSeconds: number;
    readonly quotaBytes: number | null;
    readonly freeFloor: { readonly percent: number } | { readonly bytes: number };
    /** Recording on motion: pre-roll and post-roll. */
    readonly motion: { readonly preRollSeconds: number; readonly postRollSeconds: number };
  };
  readonly auth: {
    readonly idleLockSeconds: number;
    readonly sessionHours: number;
    readonly secureCookies: boolean;
    readonly throttle: { readonly windowSeconds: number; readonly accountLimit: number; readonly addressLimit: number };
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Record<keyof z.infer<typeof EnvSchema>, string>> = {}): Config {
  const parsed = EnvSchema.safeParse({ ...pickDefined(env), ...pickDefined(overrides) });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuration is not valid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.KUZET_DATA_DIR);
  const config: Config = {
    http: {
      port: e.PORT,
      host: e.HOST,
      bodyLimit: 256 * 1024,
      webDir: path.resolve(e.KUZET_WEB_DIR ?? path.join(import.meta.dirname, '../../../web/dist')),
    },
    dataDir,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dir: path.join(dataDir, 'db') },
    secretFile: path.resolve(e.KUZET_SECRET_FILE ?? path.join(dataDir, 'secret.key')),
    auditHeadFile: path.join(dataDir, 'audit-head.json'),
    logLevel: e.KUZET_LOG_LEVEL,
    logFormat: e.KUZET_LOG_FORMAT,
    demoPassword: e.KUZET_DEMO_PASSWORD ?? null,
    media: { enabled: e.KUZET_MEDIA === 'on', workers: e.KUZET_MEDIA_WORKERS ?? null, rtpPorts: e.KUZET_RTP_PORTS },
    detection: { enabled: e.KUZET_DETECTION === 'on' },
    alerts: { startupGraceMs: e.KUZET_ALERTS_STARTUP_GRACE_SECONDS * 1000 },
    sim: { port: e.KUZET_SIM_PORT, cameras: e.KUZET_SIM_CAMERAS, cacheDir: path.resolve(e.KUZET_SIM_CACHE ?? path.join(dataDir, 'sim-cache')), loopSeconds: e.KUZET_SIM_LOOP_SECONDS },
    api: { concurrency: e.KUZET_API_CONCURRENCY, lowConcurrency: e.KUZET_API_LOW_CONCURRENCY, maxWaitMs: e.KUZET_API_MAX_WAIT_MS },
    people: { retentionYears: e.KUZET_PEOPLE_RETENTION_YEARS },
    recordings: {
      enabled: e.KUZET_RECORDING === 'on',
      dir: path.resolve(e.KUZET_RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
      segmentSeconds: e.KUZET_RECORDING_SEGMENT_SECONDS,
      quotaBytes: e.KUZET_RECORDING_QUOTA_GB === undefined ? null : Math.round(e.KUZET_RECORDING_QUOTA_GB * 1e9),
      freeFloor: parseFloor(e.KUZET_RECORDING_FREE_FLOOR),
      motion: { preRollSeconds: e.KUZET_MOTION_PREROLL_SECONDS, postRollSeconds: e.KUZET_MOTION_POSTROLL_SECONDS },
    },
    auth: {
      idleLockSeconds: e.KUZET_IDLE_LOCK_SECONDS,
      sessionHours: e.KUZET_SESSION_HOURS,
      secureCookies: e.KUZET_SECURE_COOKIES === 'true',
      throttle: {
        windowSeconds: e.KUZET_THROTTLE_WINDOW_SECONDS,
        accountLimit: e.KUZET_THROTTLE_ACCOUNT_LIMIT,
        addressLimit: e.KUZET_THROTTLE_ADDRESS_LIMIT,
      },
    },
  };
  return deepFreeze(config);
}

function parseFloor(v: string): { percent: number } | { bytes: number } {
  const t = v.trim();
  return t.endsWith('%') ? { percent: Number(t.slice(0, -1)) } : { bytes: Math.round(Number(t) * 1e9) };
}

function pickDefined(o: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
