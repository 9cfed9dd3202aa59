import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessUnit } from '@kuzet/media';
import { H264_PPS, H264_SPS } from '../../../../packages/media/src/codec/fixtures.ts';
import { Recorder } from './recorder.ts';
import type { RecorderReport } from './recorder.protocol.ts';

// When pts stops telling the wall time: a busy machine delays arrival for a while (no new
// file), a camera clock that stays behind or jumps ahead does (a new file, anchored afresh).
const FRAME = 3600; // 25 fps at 90 kHz
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Feeds `seconds` of 25 fps (a keyframe each second); lateness(t) = ms the frame at t s arrives after its time. */
async function record(seconds: number, lateness: (t: number) => number): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-rec-time-'));
  dirs.push(root);
  const reports: RecorderReport[] = [];
  const rec = new Recorder('cam-time', { root, segmentSeconds: 600 }, (r) => reports.push(r));
  rec.onParams({ codec: 'h264', sps: H264_SPS, pps: H264_PPS });
  const t0 = Date.UTC(2026, 10, 30, 8, 0, 0);
  for (let i = 0; i < seconds * 25; i++) {
    const t = i / 25;
    const keyframe = i % 25 === 0;
    const au: AccessUnit = { codec: 'h264', nalus: [Uint8Array.of(keyframe ? 0x65 : 0x41, 0x88, 0x84, i & 0xff)], pts: 90_000 + i * FRAME, keyframe, receivedAt: t0 + t * 1000 + lateness(t) };
    rec.onAccessUnit(au);
  }
  await rec.stop('recording_off');
  // Files close concurrently (each is fdatasync'ed): compare as a sorted list.
  return reports.flatMap((r) => (r.kind === 'segment' && r.state === 'closed' ? [r.reason ?? ''] : [])).sort();
}

describe('recorder time anchor', () => {
  it('keeps one file through a 3-s arrival backlog that catches up', async () => {
    const closes = await record(20, (t) => (t >= 5 && t < 8 ? 3000 * (1 - (t - 5) / 3) + 500 : 0));
    expect(closes).toEqual(['recording_off']);
  });

  it('starts a new file when frames stay late for a whole window (the camera clock runs behind)', async () => {
    const closes = await record(20, (t) => (t >= 5 ? 3000 : 0));
    expect(closes).toEqual(['recording_off', 'time']);
  });

  it('starts a new file at once when pts jumps ahead of the wall clock', async () => {
    const closes = await record(10, (t) => (t >= 5 ? -3000 : 0));
    expect(closes).toEqual(['recording_off', 'time']);
  });
});
