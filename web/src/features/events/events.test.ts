import { describe, expect, it } from 'vitest';
import { drawnMarks, markSeekTarget, markSpan } from '../playback/event-marks.ts';
import { durationSeconds, eventQuery, lastDay, rangeProblem, readEventFilters, writeEventFilters } from './event-filters.ts';

const CAM = '11111111-1111-4111-8111-111111111111';
const ZONE = '44444444-4444-4444-8444-444444444444';

describe('events search filters', () => {
  it('reads the address, dropping what is not valid', () => {
    const f = readEventFilters(new URLSearchParams(`camera=${CAM}&zone=${ZONE}&kind=tamper&from=2026-11-29T23:00&to=bad&offset=50`));
    expect(f).toEqual({ cameraId: CAM, zoneId: ZONE, kind: 'tamper', from: '2026-11-29T23:00', to: '', offset: 50 });
    expect(readEventFilters(new URLSearchParams('kind=earthquake&offset=-3')).kind).toBe('');
    expect(readEventFilters(new URLSearchParams('offset=-3')).offset).toBe(0);
  });
  it('writes it back keeping the complex and the tab, and no zone without a camera', () => {
    const out = writeEventFilters({ cameraId: '', zoneId: ZONE, kind: 'motion', from: '', to: '', offset: 0 }, new URLSearchParams('complex=c1&tab=events&junk=1'));
    expect(out.toString()).toBe('complex=c1&tab=events&kind=motion');
  });
  it('turns Almaty wall times into instants for the API', () => {
    const q = eventQuery({ cameraId: CAM, zoneId: '', kind: '', from: '2026-11-30T00:00', to: '2026-11-30T06:00', offset: 0 });
    // Almaty is UTC+5 since March 2024.
    expect(q.from).toBe('2026-11-29T19:00:00.000Z');
    expect(q.to).toBe('2026-11-30T01:00:00.000Z');
    expect(q.zoneId).toBeUndefined();
    expect(q.limit).toBe(50);
  });
  it('refuses an end before the start', () => {
    expect(rangeProblem({ from: '2026-11-30T06:00', to: '2026-11-30T05:00' })).toBe(true);
    expect(rangeProblem({ from: '2026-11-30T06:00', to: '' })).toBe(false);
  });
  it('offers the last 24 hours in Almaty time', () => {
    expect(lastDay(Date.parse('2026-11-30T01:00:00Z'))).toEqual({ from: '2026-11-29T06:00', to: '2026-11-30T06:00' });
  });
  it('measures how long an event lasted (null while ongoing)', () => {
    expect(durationSeconds('2026-11-30T00:00:00Z', '2026-11-30T00:01:05Z')).toBe(65);
    expect(durationSeconds('2026-11-30T00:00:00Z', null)).toBeNull();
  });
});

describe('timeline event marks', () => {
  it('seeks to 10 s before the event, not before the day', () => {
    const day = Date.parse('2026-11-29T19:00:00Z');
    expect(markSeekTarget({ startedAt: '2026-11-29T22:00:00.000Z' }, day)).toBe(Date.parse('2026-11-29T21:59:50.000Z'));
    expect(markSeekTarget({ startedAt: '2026-11-29T19:00:03.000Z' }, day)).toBe(day);
  });
  it('draws an ongoing event up to now and a short one at least a second wide', () => {
    const start = Date.parse('2026-11-30T00:00:00Z');
    expect(markSpan({ startedAt: '2026-11-30T00:00:00Z', endedAt: null }, start + 5000)).toEqual({ start, end: start + 5000 });
    expect(markSpan({ startedAt: '2026-11-30T00:00:00Z', endedAt: '2026-11-30T00:00:00.200Z' }, 0)).toEqual({ start, end: start + 1000 });
  });
  it('leaves "back online" out (the offline mark spans until then)', () => {
    expect(drawnMarks([{ kind: 'offline' }, { kind: 'online' }, { kind: 'motion' }]).map((m) => m.kind)).toEqual(['offline', 'motion']);
    expect(drawnMarks(undefined)).toEqual([]);
  });
});
