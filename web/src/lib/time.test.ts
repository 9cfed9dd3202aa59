import { describe, expect, it } from 'vitest';
import {
  almatyLocalToIso,
  almatyOffsetMinutes,
  formatDateTime,
  formatClock,
  formatDay,
  formatTime,
  isoToAlmatyLocal,
} from './time.ts';

describe('Almaty time', () => {
  it('uses UTC+6 before 1 March 2024', () => {
    expect(formatTime('2024-01-15T12:00:00Z', 'ru')).toBe('18:00');
    expect(formatDateTime('2024-01-15T12:00:00Z', 'ru')).toContain('18:00');
    expect(almatyOffsetMinutes(new Date('2024-01-15T12:00:00Z'))).toBe(360);
  });

  it('uses UTC+5 from 1 March 2024 on', () => {
    expect(formatTime('2025-01-15T12:00:00Z', 'ru')).toBe('17:00');
    expect(formatDateTime('2025-01-15T12:00:00Z', 'en')).toContain('17:00');
    expect(formatDateTime('2025-01-15T12:00:00Z', 'kk')).toContain('17:00');
    expect(almatyOffsetMinutes(new Date('2025-01-15T12:00:00Z'))).toBe(300);
  });

  it('shows the wall clock with seconds', () => {
    expect(formatClock('2025-01-15T12:00:05Z', 'ru')).toBe('17:00:05');
    expect(formatClock('2024-01-15T12:00:05Z', 'kk')).toBe('18:00:05');
  });

  it('formats whole dates in the Almaty day', () => {
    // 20:30 UTC on 15 January is already 16 January in Almaty.
    expect(formatDateTime('2025-01-15T20:30:00Z', 'ru')).toContain('16.01.2025');
  });

  it('converts Almaty wall time typed in a form to an instant, and back', () => {
    expect(almatyLocalToIso('2024-01-15T18:00')).toBe('2024-01-15T12:00:00.000Z');
    expect(almatyLocalToIso('2025-01-15T17:00')).toBe('2025-01-15T12:00:00.000Z');
    expect(almatyLocalToIso('not a time')).toBeNull();
    expect(isoToAlmatyLocal('2024-01-15T12:00:00Z')).toBe('2024-01-15T18:00');
    expect(isoToAlmatyLocal('2025-01-15T12:00:00Z')).toBe('2025-01-15T17:00');
  });

  it('names an Almaty calendar day without shifting it', () => {
    expect(formatDay('2025-01-15', 'ru')).toContain('15.01');
    expect(formatDay('2024-02-29', 'en')).toContain('29');
    expect(formatDay('not a day', 'en')).toBe('not a day');
  });
});
