/**
 * Days in Asia/Almaty through the time-zone database — never a fixed offset:
 * Kazakhstan moved from UTC+6 to UTC+5 on 1 March 2024 and old records keep theirs.
 */
export const TIME_ZONE = 'Asia/Almaty';

const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(d: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Offset of Almaty from UTC at an instant, in minutes (300 today, 360 before March 2024). */
export function almatyOffsetMinutes(d: Date): number {
  const p = parts(d);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return Math.round((wall - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

/** The calendar date (YYYY-MM-DD) in Almaty of an instant. */
export function almatyDate(d: Date): string {
  const p = parts(d);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant Almaty's day `YYYY-MM-DD` begins. */
export function almatyDayStart(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = new Date(Date.UTC(y, m - 1, d));
  // Midnight wall time minus the offset in force then (resolve twice around a transition).
  let t = guess.getTime() - almatyOffsetMinutes(guess) * 60_000;
  t = guess.getTime() - almatyOffsetMinutes(new Date(t)) * 60_000;
  return new Date(t);
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}
