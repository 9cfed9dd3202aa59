import type { ZoneSchedule, ZoneSpec } from './detection.types.ts';

/** Pixels of a w×h raster whose centres lie inside the normalized polygon (even-odd rule). */
export function rasterize(polygon: readonly (readonly [number, number])[], w: number, h: number): Uint8Array {
  const mask = new Uint8Array(w * h);
  const n = polygon.length;
  if (n < 3) return mask;
  const xs: number[] = [];
  for (let y = 0; y < h; y++) {
    const py = (y + 0.5) / h;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [xi, yi] = polygon[i]!;
      const [xj, yj] = polygon[j]!;
      if (yi > py !== yj > py) xs.push(xi + ((py - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const x0 = Math.max(0, Math.ceil(xs[k]! * w - 0.5));
      const x1 = Math.min(w - 1, Math.floor(xs[k + 1]! * w - 0.5));
      for (let x = x0; x <= x1; x++) mask[y * w + x] = 1;
    }
  }
  return mask;
}

const weekdayFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Almaty', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Almaty weekday (1 = Monday … 7 = Sunday) and minute of the day of an instant (the time-zone database, not a fixed offset). */
export function almatyClock(atMs: number): { day: number; minute: number } {
  let day = 1;
  let hour = 0;
  let minute = 0;
  for (const p of weekdayFmt.formatToParts(new Date(atMs))) {
    if (p.type === 'weekday') day = DAYS[p.value] ?? 1;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Whether a zone's schedule covers an instant, in Almaty time. A window with from > to wraps
 * midnight (23:00–06:00); its days name the day it begins (Friday 23:00 → Saturday 06:00 is Friday's).
 * from = to is the whole day.
 */
export function inSchedule(s: ZoneSchedule, atMs: number): boolean {
  if (s.kind === 'always') return true;
  const { day, minute } = almatyClock(atMs);
  const from = minutes(s.from);
  const to = minutes(s.to);
  const days = s.days && s.days.length ? s.days : null;
  const dayOk = (d: number) => !days || days.includes(d);
  if (from === to) return dayOk(day);
  if (from < to) return minute >= from && minute < to && dayOk(day);
  if (minute >= from) return dayOk(day);
  if (minute < to) return dayOk(day === 1 ? 7 : day - 1);
  return false;
}

/** A zone made ready for the analysis: its raster and thresholds. */
export interface ZoneRaster {
  spec: ZoneSpec;
  mask: Uint8Array;
  /** Pixels in the mask. */
  area: number;
  /** Object pixels inside the zone that make a hit. */
  minPixels: number;
}

export function prepareZones(zones: readonly ZoneSpec[], w: number, h: number): { include: ZoneRaster[]; exclude: Uint8Array; sensitivity: Uint8Array } {
  const include: ZoneRaster[] = [];
  const exclude = new Uint8Array(w * h);
  /** Per pixel, the highest sensitivity of the include zones covering it (0: none). */
  const sensitivity = new Uint8Array(w * h);
  for (const z of zones) {
    if (!z.enabled) continue;
    const mask = rasterize(z.polygon, w, h);
    if (z.kind === 'exclude') {
      for (let i = 0; i < mask.length; i++) if (mask[i]) exclude[i] = 1;
      continue;
    }
    let area = 0;
    const s = Math.max(1, Math.min(10, Math.round(z.sensitivity)));
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      area++;
      if (s > sensitivity[i]!) sensitivity[i] = s;
    }
    include.push({ spec: z, mask, area, minPixels: Math.max(4, Math.round(z.minObjectSize * w * h)) });
  }
  for (let i = 0; i < exclude.length; i++) if (exclude[i]) sensitivity[i] = 0;
  return { include, exclude, sensitivity };
}
