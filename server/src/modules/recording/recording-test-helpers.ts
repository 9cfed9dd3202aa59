import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { TestApp } from '../../testing/test-app.ts';
import { almatyDay } from './retention.service.ts';

/** Test helpers of the retention helper's tests: cameras, recorded files with their rows, a log to read. */

let n = 0;
export async function aCamera(t: TestApp, extra: { retentionDays?: number; recordingPolicy?: 'continuous' | 'motion' | 'off' } = {}): Promise<string> {
  const c = await t.services.cameras.create(null, t.complexId, {
    name: `Запись ${++n}`,
    type: 'yard',
    buildingId: null,
    entranceId: null,
    zoneId: null,
    position: null,
    direction: null,
    fieldOfView: null,
    mainUrl: `rtsp://127.0.0.1:1/rec/${n}`,
    subUrl: null,
    username: null,
    password: null,
    recordingPolicy: extra.recordingPolicy ?? 'continuous',
    retentionDays: extra.retentionDays ?? 30,
    enabled: true,
  });
  return c.id;
}

export interface SegmentSpec {
  cameraId: string;
  startMs: number;
  /** Default 60 s. */
  durationMs?: number;
  bytes: number;
  state?: 'open' | 'closed' | 'recovered';
  /** Write the file (default true); false: a row whose file is gone. */
  file?: boolean;
}

/** A recorded file (filled with bytes, not video) and its index row, as the recorder would leave them. */
export async function aSegment(t: TestApp, s: SegmentSpec): Promise<{ id: number; path: string; abs: string }> {
  const rel = `${s.cameraId}/${almatyDay(s.startMs)}/${s.startMs}.mp4`;
  const abs = path.join(t.env.config.recordings.dir, rel);
  if (s.file !== false) {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, Buffer.alloc(s.bytes, 7));
  }
  const row = await t.env.handle.db
    .insertInto('recordingSegments')
    .values({
      complexId: t.complexId,
      cameraId: s.cameraId,
      path: rel,
      startAt: new Date(s.startMs),
      endAt: new Date(s.startMs + (s.durationMs ?? 60_000)),
      bytes: s.bytes,
      codec: 'avc1.640028',
      width: 1920,
      height: 1080,
      keyframes: JSON.stringify([[0, 1000]]),
      state: s.state ?? 'closed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), path: rel, abs };
}

export async function segmentIds(t: TestApp): Promise<number[]> {
  const rows = await t.env.handle.db.selectFrom('recordingSegments').select('id').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}

/** A pino logger whose lines the test can read. */
export function capturedLogger(): { logger: Logger; lines: () => { level: number; msg: string }[] } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, lines: () => out.map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

/** Bytes of the files under a folder. */
export function bytesUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let sum = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) sum += fs.statSync(path.join(e.parentPath, e.name)).size;
  return sum;
}
