import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import type { EventRow, SpanRow } from './playback.repository.ts';
import { gapsOf, mergeSpans } from './timeline.ts';

const T0 = Date.parse('2026-11-28T19:00:00.000Z'); // 00:00 in Almaty
const span = (s: number, e: number, state: SpanRow['state'] = 'closed'): SpanRow => ({ startAt: new Date(T0 + s), endAt: new Date(T0 + e), state });
const ev = (at: number, source: EventRow['source'], kind: EventRow['kind'], reason: string | null = null): EventRow => ({ at: new Date(T0 + at), source, kind, reason });

describe('timeline merging', () => {
  it('merges files that touch within a frame, clips to the window, keeps real holes', () => {
    const ranges = mergeSpans([span(-5_000, 60_000), span(60_040, 120_000), span(120_000, 180_000), span(180_200, 240_000)], T0, T0 + 200_000);
    expect(ranges).toEqual([
      { start: T0, end: T0 + 180_000 },
      { start: T0 + 180_200, end: T0 + 200_000 },
    ]);
  });

  it('labels each gap with the last stop before it, then an offline camera, else unknown', () => {
    const ranges = mergeSpans([span(10_000, 20_000), span(40_000, 50_000), span(70_000, 80_000), span(100_000, 110_000)], T0, T0 + 120_000);
    const events = [
      ev(-50_000, 'recording', 'stopped', 'recording_off'), // before the window: the leading gap
      ev(20_100, 'recording', 'stopped', 'write_error'),
      ev(39_000, 'recording', 'started'),
      ev(55_000, 'status', 'offline'),
      ev(69_000, 'status', 'online'),
    ];
    const gaps = gapsOf(ranges, events, T0, T0 + 120_000, T0 + 1e9, false);
    expect(gaps.map((g) => [g.start - T0, g.end - T0, g.reason])).toEqual([
      [0, 10_000, 'recording_off'],
      [20_000, 40_000, 'write_error'],
      [50_000, 70_000, 'camera_offline'],
      [80_000, 100_000, 'unknown'], // the write error was before the footage that preceded this gap
      [110_000, 120_000, 'unknown'],
    ]);
  });

  it('an offline noticed long after a hole began (the server came up then) does not explain the hole', () => {
    // Footage from 40 min; the camera was first seen offline at 39 min, as the server started.
    const ranges = mergeSpans([span(40 * 60_000, 50 * 60_000)], T0, T0 + 50 * 60_000);
    const gaps = gapsOf(ranges, [ev(39 * 60_000, 'status', 'offline'), ev(39.5 * 60_000, 'status', 'online')], T0, T0 + 50 * 60_000, T0 + 1e9, false);
    expect(gaps.map((g) => [g.start - T0, g.end - T0, g.reason])).toEqual([[0, 40 * 60_000, 'unknown']]);
    // The same offline a few seconds into a hole after footage is its cause.
    const later = mergeSpans([span(0, 10 * 60_000), span(40 * 60_000, 50 * 60_000)], T0, T0 + 50 * 60_000);
    expect(gapsOf(later, [ev(10 * 60_000 + 10_000, 'status', 'offline')], T0, T0 + 50 * 60_000, T0 + 1e9, false).map((g) => g.reason)).toEqual(['camera_offline']);
  });

  it('a camera recorded on motion: the gaps between its recordings (stopped motion_ended) are no_motion', () => {
    const ranges = mergeSpans([span(10_000, 30_000), span(90_000, 100_000)], T0, T0 + 200_000);
    const events = [
      ev(-3_600_000, 'recording', 'stopped', 'motion_ended'), // the last recording, an hour before the window
      ev(10_000, 'recording', 'started', 'motion'),
      ev(30_000, 'recording', 'stopped', 'motion_ended'),
      ev(90_000, 'recording', 'started', 'motion'),
      ev(100_000, 'recording', 'stopped', 'camera_offline'), // the camera dropped during motion
    ];
    const gaps = gapsOf(ranges, events, T0, T0 + 200_000, T0 + 1e9, false);
    expect(gaps.map((g) => [g.start - T0, g.end - T0, g.reason])).toEqual([
      [0, 10_000, 'no_motion'],
      [30_000, 90_000, 'no_motion'],
      [100_000, 200_000, 'camera_offline'],
    ]);
  });

  it('no gap in the future, nor a few seconds of index lag behind a file being written', () => {
    const ranges = mergeSpans([span(0, 58_000, 'open')], T0, T0 + 3_600_000);
    expect(gapsOf(ranges, [], T0, T0 + 3_600_000, T0 + 60_000, true)).toEqual([]);
    expect(gapsOf(ranges, [], T0, T0 + 3_600_000, T0 + 90_000, true)).toEqual([{ start: T0 + 58_000, end: T0 + 90_000, reason: 'unknown' }]);
  });
});

describe('timeline of a camera day (1440 files)', { timeout: 120_000 }, () => {
  let t: TestApp;
  let cameraId: string;
  beforeAll(async () => {
    t = await createTestApp();
    cameraId = (
      await t.services.cameras.create(null, t.complexId, {
        name: 'Сутки', type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: 'rtsp://127.0.0.1:1/none', subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: false,
      })
    ).id;
    // A day of one-minute files (timeline reads only the index), a 5-minute hole at 12:00 Almaty, and a neighbour's day.
    for (const cam of [cameraId, (await t.services.cameras.create(null, t.complexId, {
      name: 'Соседняя', type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
      mainUrl: 'rtsp://127.0.0.1:1/none', subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: false,
    })).id]) {
      const rows = Array.from({ length: 1440 }, (_, i) => i)
        .filter((i) => cam !== cameraId || i < 720 || i >= 725)
        .map((i) => ({
          complexId: t.complexId,
          cameraId: cam,
          path: `${cam}/2026-11-29/${T0 + i * 60_000}.mp4`,
          startAt: new Date(T0 + i * 60_000 + (i % 7) * 3), // files touch within a few ms, as the recorder's do
          endAt: new Date(T0 + (i + 1) * 60_000),
          bytes: 30_000_000,
          codec: 'avc1.640028',
          width: 1920,
          height: 1080,
          keyframes: JSON.stringify(Array.from({ length: 30 }, (_, k) => [k * 2000, 1000 + k * 1_000_000])),
          state: 'closed' as const,
        }));
      await t.env.handle.db.insertInto('recordingSegments').values(rows).execute();
    }
    await t.env.handle.db
      .insertInto('recordingEvents')
      .values({ complexId: t.complexId, cameraId, at: new Date(T0 + 720 * 60_000 + 100), kind: 'stopped', reason: 'server_down' })
      .execute();
  });
  afterAll(async () => t?.close());

  it('merges a day of files into ranges with the gap and its reason; the load time is printed', async () => {
    const { cookie } = await t.signIn('operator');
    const url = `/api/v1/cameras/${cameraId}/recordings/timeline?from=${new Date(T0).toISOString()}&to=${new Date(T0 + 86_400_000).toISOString()}`;
    const times: number[] = [];
    let body: { ranges: unknown[]; gaps: { reason: string }[] } | null = null;
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      times.push(performance.now() - started);
      expect(res.statusCode).toBe(200);
      body = res.json();
    }
    expect(body!.ranges).toHaveLength(2);
    expect(body!.gaps).toEqual([{ start: new Date(T0 + 720 * 60_000).toISOString(), end: new Date(T0 + 725 * 60_000 + (725 % 7) * 3).toISOString(), reason: 'server_down' }]);
    const service: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      await t.services.playback.timeline(cameraId, { from: new Date(T0).toISOString(), to: new Date(T0 + 86_400_000).toISOString() });
      service.push(performance.now() - started);
    }
    const fig = (xs: number[]) => {
      const s = xs.slice(1).sort((a, b) => a - b);
      return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
    };
    console.log(`[playback figure] timeline of a 1440-file day (${t.env.engine}): HTTP inject ${fig(times)}; service ${fig(service)} (warm; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`);
  });
});
