import { describe, expect, it } from 'vitest';
import { addDays, almatyDate, almatyDayStart, almatyOffsetMinutes } from './almaty-time.ts';

describe('Almaty time through the tz database', () => {
  it('knows the 2024 move from UTC+6 to UTC+5', () => {
    expect(almatyOffsetMinutes(new Date('2024-01-15T12:00:00Z'))).toBe(360);
    expect(almatyOffsetMinutes(new Date('2025-01-15T12:00:00Z'))).toBe(300);
  });
  it('finds day starts on both sides of the change', () => {
    expect(almatyDayStart('2024-01-15').toISOString()).toBe('2024-01-14T18:00:00.000Z');
    expect(almatyDayStart('2026-11-24').toISOString()).toBe('2026-11-23T19:00:00.000Z');
    expect(almatyDate(new Date('2026-11-23T19:00:00Z'))).toBe('2026-11-24');
    expect(almatyDate(new Date('2026-11-23T18:59:59Z'))).toBe('2026-11-23');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  });
});
