import { polygonProblem, type CameraZones, type DetectionZoneKind, type PutZonesRequest, type ZoneSchedule } from '@kuzet/contracts';

/**
 * A camera's detection zones being edited: the saved list turned into drafts, the
 * drafts checked the way the server checks them (so the person sees the problem before
 * saving), and turned back into the PUT body.
 */
export type Pt = [number, number];

export interface ZoneDraft {
  /** The saved zone's id; null for a zone not saved yet. */
  id: string | null;
  /** Stable key within the editor (the id, or a made-up one). */
  key: string;
  name: string;
  kind: DetectionZoneKind;
  polygon: Pt[];
  sensitivity: number;
  /** Fraction of the picture's area. */
  minObjectSize: number;
  schedule: ZoneSchedule;
  cooldownSeconds: number;
  enabled: boolean;
}

export const DEFAULTS = { sensitivity: 5, minObjectSize: 0.004, cooldownSeconds: 30 } as const;
export const MAX_POINTS = 32;
export const MAX_ZONES = 16;
export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `new-${counter}`;
}

export function draftsOf(saved: CameraZones): ZoneDraft[] {
  return saved.zones.map((z) => ({
    id: z.id,
    key: z.id,
    name: z.name,
    kind: z.kind,
    polygon: z.polygon.map(([x, y]) => [x, y] as Pt),
    sensitivity: z.sensitivity,
    minObjectSize: z.minObjectSize,
    schedule: z.schedule,
    cooldownSeconds: z.cooldownSeconds,
    enabled: z.enabled,
  }));
}

/** A new zone with the defaults that work on the demo complex; `n` makes its name unique. */
export function newZone(polygon: Pt[], n: number, namePrefix: string): ZoneDraft {
  return {
    id: null,
    key: newKey(),
    name: `${namePrefix} ${n}`,
    kind: 'include',
    polygon,
    sensitivity: DEFAULTS.sensitivity,
    minObjectSize: DEFAULTS.minObjectSize,
    schedule: { kind: 'always' },
    cooldownSeconds: DEFAULTS.cooldownSeconds,
    enabled: true,
  };
}

const round = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;

export function toRequest(enabled: boolean, drafts: readonly ZoneDraft[]): PutZonesRequest {
  return {
    enabled,
    zones: drafts.map((d) => ({
      ...(d.id ? { id: d.id } : {}),
      name: d.name.trim(),
      kind: d.kind,
      polygon: d.polygon.map(([x, y]) => [round(x), round(y)] as [number, number]),
      sensitivity: d.sensitivity,
      minObjectSize: d.minObjectSize,
      schedule: d.schedule,
      cooldownSeconds: d.cooldownSeconds,
      enabled: d.enabled,
    })),
  };
}

export type DraftProblem =
  | { kind: 'name' }
  | { kind: 'nameTwice' }
  | { kind: 'points'; count: number }
  | { kind: 'shape'; message: string }
  | { kind: 'window' }
  | { kind: 'days' }
  | { kind: 'number'; field: 'sensitivity' | 'minObjectSize' | 'cooldownSeconds' };

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What is wrong with one draft (among `all`, for duplicate names); empty when it can be saved. */
export function draftProblems(draft: ZoneDraft, all: readonly ZoneDraft[]): DraftProblem[] {
  const out: DraftProblem[] = [];
  const name = draft.name.trim();
  if (name.length === 0 || name.length > 80) out.push({ kind: 'name' });
  else if (all.some((o) => o.key !== draft.key && o.name.trim().toLowerCase() === name.toLowerCase())) out.push({ kind: 'nameTwice' });
  if (draft.polygon.length < 3 || draft.polygon.length > MAX_POINTS) out.push({ kind: 'points', count: draft.polygon.length });
  else {
    const shape = polygonProblem(draft.polygon);
    if (shape) out.push({ kind: 'shape', message: shape });
  }
  const s = draft.schedule;
  if (s.kind === 'window') {
    if (!HHMM.test(s.from) || !HHMM.test(s.to) || s.from === s.to) out.push({ kind: 'window' });
    if (s.days.length === 0) out.push({ kind: 'days' });
  }
  if (!Number.isInteger(draft.sensitivity) || draft.sensitivity < 1 || draft.sensitivity > 10) out.push({ kind: 'number', field: 'sensitivity' });
  if (!(draft.minObjectSize >= 0.0005 && draft.minObjectSize <= 0.25)) out.push({ kind: 'number', field: 'minObjectSize' });
  if (!Number.isInteger(draft.cooldownSeconds) || draft.cooldownSeconds < 0 || draft.cooldownSeconds > 3600) out.push({ kind: 'number', field: 'cooldownSeconds' });
  return out;
}

/** The zone indexes the server's validation answer names (`details.fields[].field` like "zones.2.polygon"). */
export function zonesNamedByError(details: unknown): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const fields = (details as { fields?: unknown } | null | undefined)?.fields;
  if (!Array.isArray(fields)) return out;
  for (const f of fields) {
    const field = (f as { field?: unknown }).field;
    const message = (f as { message?: unknown }).message;
    if (typeof field !== 'string' || typeof message !== 'string') continue;
    const m = /^zones\.(\d+)(?:\.|$)/.exec(field);
    if (!m) continue;
    const i = Number(m[1]);
    out.set(i, [...(out.get(i) ?? []), message]);
  }
  return out;
}

/** "23:00–06:00" crosses midnight. */
export function wrapsMidnight(schedule: ZoneSchedule): boolean {
  return schedule.kind === 'window' && schedule.from > schedule.to;
}
