import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFmp4, type AccessUnit } from '@kuzet/media';
import { afterEach, describe, expect, it } from 'vitest';
import { H264_PPS, H264_SPS } from '../../../../packages/media/src/codec/fixtures.ts';
import { PreRollBuffer } from './pre-roll.ts';
import { PRE_ROLL_MAX_BYTES, RecordGate } from './record-gate.ts';
import type { MotionSpec, RecorderReport, SegmentReport } from './recorder.protocol.ts';
import { Recorder } from './recorder.ts';

/**
 * Recording on motion with a real Recorder writing real files, fed a synthetic 25 fps
 * stream whose every frame carries its number in its bytes: which frames each file holds
 * is read back from the files (parseFmp4), so a frame lost or repeated at the pre-roll/live
 * seam, or between two recordings, shows.
 */
const FRAME = 3600; // 25 fps at 90 kHz
const T0 = Date.UTC(2026, 10, 30, 20, 0, 0);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const SPEC: MotionSpec = { preRollSeconds: 5, postRollSeconds: 10 };

class Stream {
  n = 0;
  constructor(
    readonly gate: RecordGate,
    readonly gopFrames = 50,
    readonly size = 2000,
  ) {
    gate.onParams({ codec: 'h264', sps: H264_SPS, pps: H264_PPS });
  }
  /** Arrival time of frame n. */
  at(n: number): number {
    return T0 + n * 40;
  }
  get now(): number {
    return this.at(this.n);
  }
  au(n: number): AccessUnit {
    const key = n % this.gopFrames === 0;
    const nal = new Uint8Array(this.size);
    nal[0] = key ? 0x65 : 0x41;
    new DataView(nal.buffer).setUint32(1, n);
    return { codec: 'h264', nalus: [nal], pts: 900_000 + n * FRAME, keyframe: key, receivedAt: this.at(n) };
  }
  seconds(s: number): void {
    for (const end = this.n + s * 25; this.n < end; this.n++) this.gate.onAccessUnit(this.au(this.n));
  }
}

function setup(spec: MotionSpec | null, opts: { gopFrames?: number; size?: number; segmentSeconds?: number } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-motion-'));
  dirs.push(root);
  const reports: RecorderReport[] = [];
  const rec = new Recorder('cam-motion', { root, segmentSeconds: opts.segmentSeconds ?? 600 }, (r) => reports.push(r));
  const gate: RecordGate = new RecordGate(rec, spec, null, (): number => stream.now);
  const stream: Stream = new Stream(gate, opts.gopFrames, opts.size);
  /** Every file once closed: its start, end, close reason, trigger, and the frame numbers it holds. */
  const files = () => {
    const closed = reports.filter((r): r is SegmentReport => r.kind === 'segment' && r.state === 'closed').sort((a, b) => a.startMs - b.startMs);
    return closed.map((r) => {
      const parsed = parseFmp4(fs.readFileSync(path.join(root, r.path)));
      if (!parsed.ok) throw new Error(parsed.error);
      const frames = parsed.file.samples.map((s) => new DataView(s.data.buffer, s.data.byteOffset + 4 + 1, 4).getUint32(0));
      const opened = reports.find((x): x is SegmentReport => x.kind === 'segment' && x.state === 'open' && x.path === r.path);
      return { startMs: r.startMs, endMs: r.endMs, reason: r.reason, trigger: opened?.trigger ?? null, frames, firstKey: parsed.file.samples[0]!.keyframe };
    });
  };
  return { root, rec, gate, stream, reports, files };
}

const consecutive = (frames: number[]) => frames.every((f, i) => i === 0 || f === frames[i - 1]! + 1);

describe('recording on motion (RecordGate + Recorder)', () => {
  it('writes nothing without motion; the pre-roll keeps whole GOPs reaching ≥ 5 s back, and drops them as they age', async () => {
    const { rec, gate, stream, reports } = setup(SPEC);
    const seen: number[] = [];
    for (let s = 0; s < 60; s++) {
      stream.seconds(1);
      const st = gate.state;
      expect(st.phase).toBe('idle');
      if (s < 8) continue;
      const age = stream.at(stream.n - 1) - st.preRollFrom!;
      // from a keyframe at least 5 s (+2 s slack) back, never more than one GOP (2 s) beyond that
      expect(age).toBeGreaterThanOrEqual(7000);
      expect(age).toBeLessThanOrEqual(7000 + 2000);
      seen.push(st.preRollBytes);
    }
    // bounded: at most 5 GOPs of 50 frames of ~2 kB
    expect(Math.max(...seen)).toBeLessThanOrEqual(5 * 50 * 2010);
    expect(Math.min(...seen)).toBeGreaterThan(3.5 * 50 * 2000);
    await rec.stop('recording_off');
    expect(reports.filter((r) => r.kind === 'segment')).toEqual([]);
  });

  it('motion: the file starts at a keyframe ≥ pre-roll before it, no frame lost at the seam, ends at the first keyframe ≥ post-roll after it ended', async () => {
    const { rec, gate, stream, files } = setup(SPEC);
    stream.seconds(20.4);
    const t = stream.now;
    gate.setMotion(true, t);
    expect(gate.state.phase).toBe('active');
    stream.seconds(6);
    const end = stream.now;
    gate.setMotion(false, end);
    stream.seconds(15);
    expect(gate.state.phase).toBe('idle');
    await rec.stop('recording_off');
    const [f, ...rest] = files();
    expect(rest).toEqual([]);
    expect(f!.firstKey).toBe(true);
    expect(f!.startMs).toBeLessThanOrEqual(t - 5000);
    expect(f!.startMs).toBeGreaterThanOrEqual(t - 5000 - 2000 - 40); // not more than a GOP further back
    expect(f!.startMs).toBe(stream.at(f!.frames[0]!)); // anchored at that keyframe's arrival
    expect(consecutive(f!.frames)).toBe(true);
    expect(f!.reason).toBe('motion_ended');
    expect(f!.trigger).toBe('motion');
    // the post-roll: 10 s after motion ended, then up to the next keyframe (GOP 2 s)
    expect(f!.endMs).toBeGreaterThanOrEqual(end + 10_000);
    expect(f!.endMs).toBeLessThanOrEqual(end + 10_000 + 2000);
    expect(f!.endMs).toBe(stream.at(f!.frames.at(-1)! + 1)); // ends exactly where the keyframe that stopped it begins
    expect(f!.frames.at(-1)! + 1).toBe(Math.ceil((f!.frames.at(-1)! + 1) / 50) * 50);
  });

  it('motion again within the post-roll continues the same recording; after it, the next file meets the last exactly', async () => {
    const { rec, gate, stream, files } = setup(SPEC, { segmentSeconds: 5 });
    stream.seconds(10);
    gate.setMotion(true, stream.now);
    stream.seconds(3);
    gate.setMotion(false, stream.now);
    stream.seconds(7); // within the 10-s post-roll
    gate.setMotion(true, stream.now);
    stream.seconds(2);
    gate.setMotion(false, stream.now);
    stream.seconds(12.2); // post-roll over, stopped at a keyframe
    expect(gate.state.phase).toBe('idle');
    stream.seconds(1);
    gate.setMotion(true, stream.now); // the pre-roll now starts at the keyframe that ended the last file
    stream.seconds(3);
    gate.setMotion(false, stream.now);
    stream.seconds(14);
    await rec.stop('recording_off');
    const list = files();
    const all = list.flatMap((f) => f.frames);
    expect(consecutive(all)).toBe(true); // nothing lost, nothing twice, across rotations and both recordings
    expect(list.map((f) => f.reason).filter((r) => r !== 'segment')).toEqual(['motion_ended', 'motion_ended']);
    for (let i = 1; i < list.length; i++) expect(list[i]!.startMs).toBe(list[i - 1]!.endMs);
    expect(list.every((f) => f.firstKey)).toBe(true);
  });

  it('a continuous camera is not gated: every frame from its first keyframe, motion ignored', async () => {
    const { rec, gate, stream, files } = setup(null);
    stream.seconds(3);
    gate.setMotion(true, stream.now);
    stream.seconds(1);
    gate.setMotion(false, stream.now);
    stream.seconds(15);
    expect(gate.state.phase).toBe('continuous');
    await rec.stop('recording_off');
    const list = files();
    expect(list).toHaveLength(1);
    expect(list[0]!.frames[0]).toBe(0);
    expect(list[0]!.frames).toHaveLength(19 * 25);
    expect(list[0]!.trigger).toBeNull();
  });

  it('policy changes in place: motion → continuous writes the pre-roll first; continuous → motion ends after the post-roll', async () => {
    const { rec, gate, stream, files } = setup(SPEC);
    stream.seconds(12);
    const switched = stream.now;
    gate.setMode(null); // motion → continuous while idle
    stream.seconds(4);
    const back = stream.now;
    gate.setMode(SPEC); // continuous → motion: recording goes on for the post-roll
    expect(gate.state.phase).toBe('post');
    stream.seconds(14);
    expect(gate.state.phase).toBe('idle');
    stream.seconds(3);
    await rec.stop('recording_off');
    const [f, ...rest] = files();
    expect(rest).toEqual([]);
    expect(f!.startMs).toBeLessThanOrEqual(switched - 5000);
    expect(consecutive(f!.frames)).toBe(true);
    expect(f!.trigger).toBeNull();
    expect(f!.reason).toBe('motion_ended');
    expect(f!.endMs).toBeGreaterThanOrEqual(back + 10_000);
  });

  it('a camera that drops during motion: the file ends (camera_offline), recording resumes at its next keyframe while motion lasts', async () => {
    const { rec, gate, stream, files } = setup(SPEC);
    stream.seconds(8);
    gate.setMotion(true, stream.now);
    stream.seconds(3);
    gate.onReset();
    gate.onParams({ codec: 'h264', sps: H264_SPS, pps: H264_PPS });
    stream.n += 30; // the outage
    stream.seconds(4);
    gate.setMotion(false, stream.now);
    stream.seconds(13);
    await rec.stop('recording_off');
    const list = files();
    expect(list.map((f) => f.reason)).toEqual(['camera_offline', 'motion_ended']);
    expect(list[1]!.frames[0]! % 50).toBe(0);
    expect(list[1]!.trigger).toBe('motion');
  });
});

describe('PreRollBuffer', () => {
  const au = (n: number, size: number, gop = 25): AccessUnit => ({ codec: 'h264', nalus: [new Uint8Array(size).fill(n & 0xff), Uint8Array.of(9, 9)], pts: n * FRAME, keyframe: n % gop === 0, receivedAt: T0 + n * 40, ...(n % 7 === 3 ? { damaged: true } : {}) });

  it('gives back exactly the frames it kept (NAL units, pts, arrival, flags) from the chosen keyframe', () => {
    const b = new PreRollBuffer({ preRollMs: 2000, slackMs: 500 });
    for (let n = 5; n < 200; n++) b.push(au(n, 100 + (n % 13)));
    const at = T0 + 200 * 40;
    const out = b.drain(at);
    expect(out[0]!.keyframe).toBe(true);
    expect(out[0]!.receivedAt).toBeLessThanOrEqual(at - 2000);
    expect(out[0]!.receivedAt).toBeGreaterThan(at - 2000 - 1000 - 1);
    const first = out[0]!.pts / FRAME;
    out.forEach((u, i) => {
      const n = first + i;
      expect(u).toEqual(au(n, 100 + (n % 13)));
    });
    expect(out.at(-1)!.pts).toBe(199 * FRAME);
    expect(b.bytes).toBe(0);
  });

  it('keeps nothing before the first keyframe, and never more than its byte cap', () => {
    const b = new PreRollBuffer({ preRollMs: 5000, maxBytes: 1_000_000 });
    for (let n = 1; n < 25; n++) b.push(au(n, 1000));
    expect(b.bytes).toBe(0);
    let max = 0;
    for (let n = 25; n < 1000; n++) {
      b.push(au(n, 10_000)); // 25 × 10 kB a GOP: the 6-s window would need 1.5 MB
      max = Math.max(max, b.bytes);
    }
    expect(max).toBeLessThanOrEqual(1_000_000);
    expect(b.gopCount).toBeGreaterThanOrEqual(2);
    expect(b.footprint).toBeLessThan(4 * 1_000_000);
    // one GOP bigger than the cap: nothing decodable fits, nothing kept
    for (let n = 1000; n < 1025; n++) b.push(au(n, 50_000));
    expect(b.bytes).toBeLessThanOrEqual(1_000_000);
    expect(PRE_ROLL_MAX_BYTES).toBeGreaterThan(8 * 1024 * 1024);
  });
});
