import { describe, expect, it } from 'vitest';
import { readMediaWindow } from '../../api/playback.ts';
import { addDays, almatyClock, almatyDayOf, dayBounds, dayStartMs, isDay, parseClock } from './almaty-day.ts';
import { clipProblem, MAX_CLIP_MS } from './clip-range.ts';
import { codecOf, Fmp4Splitter } from './fmp4-stream.ts';
import { playbackLink, playbackSearch, readPlaybackRoute } from './playback-route.ts';
import { correct, nextSpeed, stepTarget, tolerance } from './sync.ts';
import { footageAt, nextFootage, parseTimeline, recordedWithin } from './timeline-model.ts';
import { clampView, fullDay, instantAt, MIN_SPAN, panBy, ticks, tickStep, zoomAround } from './timeline-view.ts';
import { playbackKey } from './use-playback-keys.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('Almaty days', () => {
  it('starts a day at 00:00 Almaty, on both sides of the 2024 zone change', () => {
    // UTC+6 until 1 March 2024, UTC+5 since.
    expect(iso(dayStartMs('2024-01-15'))).toBe('2024-01-14T18:00:00.000Z');
    expect(iso(dayStartMs('2026-11-30'))).toBe('2026-11-29T19:00:00.000Z');
    const b = dayBounds('2026-11-30');
    expect(b.end - b.start).toBe(86_400_000);
  });

  it('names the day of an instant and moves by days', () => {
    expect(almatyDayOf(Date.parse('2026-11-29T19:00:00Z'))).toBe('2026-11-30');
    expect(almatyDayOf(Date.parse('2026-11-29T18:59:59Z'))).toBe('2026-11-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-11-30')).toBe(true);
  });

  it('reads and writes clock times of a day', () => {
    const start = dayStartMs('2026-11-30');
    expect(parseClock('2026-11-30', '14:05')).toBe(start + (14 * 60 + 5) * 60_000);
    expect(parseClock('2026-11-30', '14:05:07.12')).toBe(start + ((14 * 60 + 5) * 60 + 7) * 1000 + 120);
    expect(parseClock('2026-11-30', '24:00')).toBeNull();
    expect(parseClock('2026-11-30', 'noon')).toBeNull();
    expect(almatyClock(start + 3_723_456, true)).toBe('01:02:03.456');
  });
});

describe('the playback address', () => {
  it('reads cameras (at most four, no duplicates or junk), the moment and its day', () => {
    const at = Date.parse('2026-11-30T09:00:00Z');
    const r = readPlaybackRoute(new URLSearchParams(`cameras=a,b,a,c d,e,f,g&at=${iso(at)}`));
    expect(r.cameras).toEqual(['a', 'b', 'e', 'f']);
    expect(r.at).toBe(at);
    expect(r.day).toBe('2026-11-30');
    expect(readPlaybackRoute(new URLSearchParams('day=2026-11-02&at=nonsense'))).toEqual({ cameras: [], at: null, day: '2026-11-02' });
  });

  it('round-trips, and the live tile opens the camera 10 s before now', () => {
    const search = playbackSearch({ cameras: ['x', 'y'], at: 1_000_000 });
    expect(search).toBe('?cameras=x,y&at=1970-01-01T00:16:40.000Z');
    expect(readPlaybackRoute(new URLSearchParams(search)).cameras).toEqual(['x', 'y']);
    expect(playbackLink('cam-1', Date.parse('2026-11-30T10:00:10Z'))).toBe('/playback?cameras=cam-1&at=2026-11-30T10:00:00.000Z');
  });
});

describe('the timeline view', () => {
  const day = dayBounds('2026-11-30');

  it('zooms from the whole day down to one minute, around the pointer', () => {
    let v = fullDay(day);
    const anchor = day.start + 6 * 3_600_000;
    for (let i = 0; i < 40; i++) v = zoomAround(v, 0.5, anchor, day);
    expect(v.span).toBe(MIN_SPAN);
    expect(anchor).toBeGreaterThanOrEqual(v.start);
    expect(anchor).toBeLessThanOrEqual(v.start + v.span);
    for (let i = 0; i < 40; i++) v = zoomAround(v, 2, anchor, day);
    expect(v).toEqual(fullDay(day));
  });

  it('pans within the day only', () => {
    const v = { start: day.start, span: 3_600_000 };
    expect(panBy(v, -10_000_000, day).start).toBe(day.start);
    expect(panBy(v, 1e12, day).start).toBe(day.end - 3_600_000);
    expect(clampView({ start: 0, span: 1 }, day)).toEqual({ start: day.start, span: MIN_SPAN });
  });

  it('ticks on round Almaty times and turns a click into a whole second', () => {
    expect(tickStep(86_400_000)).toBe(7_200_000);
    expect(tickStep(60_000)).toBe(5_000);
    const t = ticks({ start: day.start + 90_000, span: 60_000 }, day);
    expect(t.at[0]).toBe(day.start + 90_000);
    expect(t.at.every((ms) => (ms - day.start) % t.step === 0)).toBe(true);
    expect(instantAt({ start: day.start, span: 60_000 }, 0.5123, day)).toBe(day.start + 31_000);
  });
});

describe('footage and gaps', () => {
  const t0 = Date.parse('2026-11-30T05:00:00Z');
  const timeline = parseTimeline({
    ranges: [
      { start: iso(t0), end: iso(t0 + 60_000) },
      { start: iso(t0 + 120_000), end: iso(t0 + 180_000) },
    ],
    gaps: [{ start: iso(t0 + 60_000), end: iso(t0 + 120_000), reason: 'camera_offline' }],
  });

  it('says whether there is footage at an instant, and in a gap why and until when', () => {
    expect(footageAt(timeline, t0 + 30_000).kind).toBe('footage');
    expect(footageAt(timeline, t0 + 90_000)).toEqual({ kind: 'gap', reason: 'camera_offline', next: t0 + 120_000 });
    expect(footageAt(timeline, t0 + 200_000)).toEqual({ kind: 'gap', reason: null, next: null });
    expect(recordedWithin(timeline, t0, t0 + 180_000)).toBe(120_000);
  });

  it('finds the next footage across cameras', () => {
    const other = parseTimeline({ ranges: [{ start: iso(t0 + 100_000), end: iso(t0 + 110_000) }], gaps: [] });
    expect(nextFootage([timeline, other], t0 + 90_000)).toBe(t0 + 100_000);
    expect(nextFootage([timeline], t0 + 500_000)).toBeNull();
  });
});

/** An ISO BMFF box. */
function box(type: string, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const size = 8 + parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let o = 8;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
const u32 = (...values: number[]) => {
  const out = new Uint8Array(4 * values.length);
  values.forEach((v, i) => new DataView(out.buffer).setUint32(i * 4, v));
  return out;
};

function init(): Uint8Array<ArrayBuffer> {
  const avcC = box('avcC', new Uint8Array([1, 0x64, 0x00, 0x1f, 0xff]));
  const avc1 = box('avc1', new Uint8Array(78), avcC);
  const stsd = box('stsd', u32(0, 1), avc1);
  const mdhd = box('mdhd', u32(0, 0, 0, 90_000, 0, 0));
  const moov = box('moov', box('trak', box('mdia', mdhd, box('minf', box('stbl', stsd)))));
  return new Uint8Array([...box('ftyp', u32(0)), ...moov]);
}
function fragment(decode: number): Uint8Array<ArrayBuffer> {
  const tfdt = box('tfdt', u32(0x01000000, Math.floor(decode / 2 ** 32), decode % 2 ** 32));
  return new Uint8Array([...box('moof', box('mfhd', u32(0, 1)), box('traf', tfdt)), ...box('mdat', u32(7))]);
}

describe('the streamed fMP4', () => {
  it('cuts a response read in arbitrary chunks into the init segment and whole fragments with their media time', () => {
    const stream = new Uint8Array([...init(), ...fragment(90_000 * 3600), ...fragment(90_000 * 3601)]);
    for (const size of [1, 7, 100, stream.byteLength]) {
      const splitter = new Fmp4Splitter();
      const pieces = [];
      for (let o = 0; o < stream.byteLength; o += size) pieces.push(...splitter.push(stream.subarray(o, o + size)));
      expect(pieces.map((p) => p.kind)).toEqual(['init', 'fragment', 'fragment']);
      expect(pieces[0]).toMatchObject({ codec: 'avc1.64001f', timescale: 90_000 });
      expect(pieces.slice(1).map((p) => (p.kind === 'fragment' ? p.time : null))).toEqual([3600, 3601]);
      expect(pieces.reduce((n, p) => n + p.data.byteLength, 0)).toBe(stream.byteLength);
    }
  });

  it('refuses a stream that is not MP4, and names no codec for a non-H.264 track', () => {
    expect(() => new Fmp4Splitter().push(new Uint8Array([0, 0, 0, 3, 1, 2, 3, 4]))).toThrow(/bad box/);
    expect(codecOf(box('moov', box('trak')))).toBeNull();
  });

  it('reads the X-Kuzet headers', () => {
    const h = new Headers({ 'x-kuzet-start': '2026-11-30T05:00:00Z', 'x-kuzet-end': '2026-11-30T05:01:00.040Z' });
    expect(readMediaWindow(h)).toEqual({ start: Date.parse('2026-11-30T05:00:00Z'), end: Date.parse('2026-11-30T05:01:00.040Z'), next: null });
  });
});

describe('sync and speed', () => {
  it('leaves a close follower alone, nudges a drifting one, and seeks a far one', () => {
    expect(correct(10.05, 10, 1, 1)).toEqual({ action: 'none', rate: 1 });
    const behind = correct(9.8, 10, 1, 1);
    expect(behind.action).toBe('rate');
    expect(behind.action === 'rate' && behind.rate).toBeGreaterThan(1);
    const ahead = correct(10.3, 10, 1, 1);
    expect(ahead.action === 'rate' && ahead.rate).toBeLessThan(1);
    expect(correct(12, 10, 1, 1)).toEqual({ action: 'seek', to: 10 });
    // A nudged follower returns to the clock's rate once close.
    expect(correct(10.01, 10, 1, 1.1)).toEqual({ action: 'rate', rate: 1 });
    // At 16× the tolerance grows with the speed.
    expect(tolerance(16, 0.1)).toBeCloseTo(0.8);
    expect(correct(10.5, 10, 16, 16).action).toBe('none');
  });

  it('steps into the next or previous frame and walks the speeds', () => {
    expect(stepTarget(10, 0.04, 1)).toBeCloseTo(10.044);
    expect(stepTarget(10, 0.04, -1)).toBeCloseTo(9.964);
    expect(stepTarget(0.01, 0.04, -1)).toBe(0);
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(16, 1)).toBe(16);
    expect(nextSpeed(0.25, -1)).toBe(0.25);
    expect(nextSpeed(1, -1)).toBe(0.5);
  });

  it('maps keys, Cyrillic layouts included', () => {
    expect(playbackKey({ key: ' ', shiftKey: false, code: 'Space' })).toBe('toggle');
    expect(playbackKey({ key: 'ArrowLeft', shiftKey: true, code: 'ArrowLeft' })).toBe('back-10');
    expect(playbackKey({ key: 'ArrowRight', shiftKey: false, code: 'ArrowRight' })).toBe('frame-forward');
    expect(playbackKey({ key: 'и', shiftKey: false, code: 'KeyB' })).toBe('bookmark');
    expect(playbackKey({ key: 'x', shiftKey: false, code: 'KeyX' })).toBeNull();
  });

  it('checks a clip range: both ends, in order, at most an hour', () => {
    expect(clipProblem(null, 1)).toBe('missing');
    expect(clipProblem(10, 10)).toBe('order');
    expect(clipProblem(0, MAX_CLIP_MS + 1)).toBe('too-long');
    expect(clipProblem(0, MAX_CLIP_MS)).toBeNull();
  });
});
