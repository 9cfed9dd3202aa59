import { almatyLocalToIso, almatyOffsetMinutes } from '../../lib/time.ts';

/**
 * Almaty calendar days for playback: a day is "YYYY-MM-DD"; its start is the instant of
 * 00:00 Almaty time, computed with the IANA zone (the +6 → +5 change of 1 March 2024 included).
 */

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(value: string | null | undefined): value is string {
  const m = value ? DAY_RE.exec(value) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1;
}

/** The Almaty day that holds the instant `ms`. */
export function almatyDayOf(ms: number): string {
  const instant = new Date(ms);
  return new Date(ms + almatyOffsetMinutes(instant) * 60_000).toISOString().slice(0, 10);
}

/** Unix ms of 00:00 Almaty time on `day`. */
export function dayStartMs(day: string): number {
  const iso = almatyLocalToIso(`${day}T00:00`);
  if (!iso) throw new Error(`not a day: ${day}`);
  return Date.parse(iso);
}

/** The day `n` days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  const m = DAY_RE.exec(day);
  if (!m) return day;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n)).toISOString().slice(0, 10);
}

/** [start, end) of the Almaty day, Unix ms (24 h unless the zone changed that day). */
export function dayBounds(day: string): { start: number; end: number } {
  return { start: dayStartMs(day), end: dayStartMs(addDays(day, 1)) };
}

/** "14:05:07" of an instant, Almaty time (no locale needed: digits only). */
export function almatyClock(ms: number, withMs = false): string {
  const wall = new Date(ms + almatyOffsetMinutes(new Date(ms)) * 60_000).toISOString();
  return withMs ? wall.slice(11, 23) : wall.slice(11, 19);
}

/**
 * A time typed for a day ("14:05", "14:05:07", "14:05:07.120") → Unix ms, or null.
 * The seconds and milliseconds are optional.
 */
export function parseClock(day: string, text: string): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?\s*$/.exec(text);
  if (!m || !isDay(day)) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? 0);
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = m[4] ? Number(m[4].padEnd(3, '0')) : 0;
  const start = dayStartMs(day);
  // Wall-clock offset within the day (Almaty has had no DST since 2005; a zone change happens at 00:00).
  return start + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}
