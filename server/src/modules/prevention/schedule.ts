import type { Periodicity } from '@kuzet/contracts';

/**
 * Check-in schedule arithmetic on calendar dates (YYYY-MM-DD, Almaty days). Months are
 * calendar months: a monthly check-in due on 31 January is next due on 28/29 February.
 */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The next check-in after one held on `last`. */
export function nextDue(last: string, periodicity: Periodicity): string {
  switch (periodicity) {
    case 'weekly':
      return addDays(last, 7);
    case 'biweekly':
      return addDays(last, 14);
    case 'monthly':
      return addMonths(last, 1);
    case 'quarterly':
      return addMonths(last, 3);
  }
}
