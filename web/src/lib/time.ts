import type { Language } from '@kuzet/contracts';

/**
 * Every time the console shows is Almaty wall-clock time, computed by the IANA
 * zone, never by a fixed offset: Kazakhstan moved from UTC+6 to UTC+5 on
 * 1 March 2024, and a hard-coded +6 or +5 is wrong on one side of that date.
 */
export const TIME_ZONE = 'Asia/Almaty';

const LOCALES: Record<Language, string> = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };

export function localeOf(lang: Language): string {
  return LOCALES[lang];
}

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: TIME_ZONE });
    cache.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "15.01.2024, 18:00:05" (the order and words follow the language). */
export function formatDateTime(value: string | number | Date, lang: Language): string {
  return formatter(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(toDate(value));
}

export function formatDate(value: string | number | Date, lang: Language): string {
  return formatter(lang, { year: 'numeric', month: 'long', day: 'numeric' }).format(toDate(value));
}

/** An Almaty calendar day "YYYY-MM-DD" as "пн, 15.01" (weekday and day.month in the language). */
export function formatDay(day: string, lang: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  // Noon UTC falls on the same calendar day in Almaty (UTC+5 or +6).
  const noon = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return formatter(lang, { weekday: 'short', day: '2-digit', month: '2-digit' }).format(noon);
}

/** "18:00" */
export function formatTime(value: string | number | Date, lang: Language): string {
  return formatter(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(toDate(value));
}

/** "18:00:05": the wall's clock. */
export function formatClock(value: string | number | Date, lang: Language): string {
  return formatter(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(
    toDate(value),
  );
}

/** Minutes to add to UTC to get Almaty wall time at that instant. */
export function almatyOffsetMinutes(instant: Date): number {
  const parts = formatter('en', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * An Almaty wall-clock time as typed in an `<input type="datetime-local">`
 * ("2024-01-15T18:00") → the ISO instant ("2024-01-15T12:00:00.000Z").
 * Returns null for anything that is not such a value.
 */
export function almatyLocalToIso(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(wall)) return null;
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess.
  let utc = wall - almatyOffsetMinutes(new Date(wall)) * 60_000;
  utc = wall - almatyOffsetMinutes(new Date(utc)) * 60_000;
  return new Date(utc).toISOString();
}

/** The reverse of almatyLocalToIso, for filling a datetime-local input. */
export function isoToAlmatyLocal(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '';
  const wall = new Date(instant.getTime() + almatyOffsetMinutes(instant) * 60_000);
  return wall.toISOString().slice(0, 16);
}
