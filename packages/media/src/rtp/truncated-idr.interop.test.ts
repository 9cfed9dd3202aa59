/**
 * An H.264 IDR slice that lost a later fragment is passed on cut short at the gap
 * (depacketizer.ts, `truncatable`). Is that sound? Through the real path (RTP →
 * H264Depacketizer → Fmp4Muxer) and ffmpeg's decoder (Chromium's software H.264 decoder
 * is ffmpeg's): every frame is decoded, the damaged GOP is concealed, and the GOPs that
 * follow decode bit-exactly as from the undamaged stream.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFrames, encode, makeTempDir, requireFfmpeg, splitAccessUnits } from '../codec/testing.ts';
import { Fmp4Muxer } from '../fmp4/muxer.ts';
import type { AccessUnit } from '../types.ts';
import { H264Depacketizer } from './h264-depacketizer.ts';
import { parseRtpPacket } from './rtp-packet.ts';
import { TestPacketizer } from './test-helpers.ts';

const FRAMES = 100;
const GOP = 25;
const tmp = makeTempDir('truncated-idr');

/** RTP → depacketizer → frame-mode fMP4, losing the packets at the given indices. */
function ingest(aus: AccessUnit[], lose: (au: number, pkts: Buffer[]) => number[]) {
  const pz = new TestPacketizer('h264', { mtu: 1200, aggregate: false });
  const muxer = new Fmp4Muxer({ mode: 'frame' });
  const parts: Uint8Array[] = [];
  const emitted: { pts: number; keyframe: boolean; damaged: boolean }[] = [];
  const d = new H264Depacketizer({
    onParameterSets: (ps) => void (muxer.info || parts.push(muxer.init(ps))),
    onAccessUnit: (au) => {
      emitted.push({ pts: au.pts, keyframe: au.keyframe, damaged: au.damaged === true });
      const f = muxer.push(au);
      if (f) parts.push(f);
    },
  });
  aus.forEach((au, i) => {
    const pkts = pz.packetize(au.nalus, au.pts);
    const lost = new Set(lose(i, pkts));
    pkts.forEach((b, n) => {
      const p = lost.has(n) ? null : parseRtpPacket(b);
      if (p) d.push(p, 1);
    });
  });
  d.flush();
  return { bytes: Buffer.concat(parts), emitted, stats: d.stats };
}

/** Index of a middle fragment of the access unit's IDR slice (FU-A, type 5, neither start nor end). */
function middleIdrFragment(pkts: Buffer[]): number {
  const frags = pkts.flatMap((b, n) => (b[12]! & 0x1f) === 28 && (b[13]! & 0x1f) === 5 && (b[13]! & 0xc0) === 0 ? [n] : []);
  if (frags.length < 3) throw new Error(`the IDR has only ${frags.length} middle fragments: make the clip bigger`);
  return frags[Math.floor(frags.length / 2)]!;
}

async function frameMd5(file: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ffmpeg', ['-v', 'error', '-i', file, '-f', 'framemd5', '-'], { maxBuffer: 4 * 1024 * 1024, timeout: 30_000 });
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
}

describe('a truncated IDR slice through ffmpeg', { timeout: 90_000 }, () => {
  let aus: AccessUnit[];
  beforeAll(async () => {
    requireFfmpeg();
    const annexB = await encode(tmp.dir, 'clip.h264', {
      codec: 'h264', width: 640, height: 360, fps: 25, frames: FRAMES,
      params: `keyint=${GOP}:min-keyint=${GOP}:scenecut=0:bframes=0:aud=1:repeat-headers=1`,
    });
    aus = splitAccessUnits('h264', annexB, 3600);
    expect(aus).toHaveLength(FRAMES);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('starts the stream at a keyframe cut short; every frame decodes and the next GOP is exact', async () => {
    const clean = ingest(aus, () => []);
    // The first keyframe and the third lose a middle fragment of their IDR slice.
    const damaged = ingest(aus, (i, pkts) => (i === 0 || i === 2 * GOP ? [middleIdrFragment(pkts)] : []));
    expect(damaged.stats).toMatchObject({ truncatedSlices: 2, droppedKeyframes: 0, skippedAccessUnits: 0, lostPackets: 2 });
    expect(damaged.emitted).toHaveLength(FRAMES); // before: the first keyframe was dropped, the stream began at frame 25
    expect(damaged.emitted[0]).toEqual({ pts: 0, keyframe: true, damaged: true });
    expect(damaged.emitted[2 * GOP]).toMatchObject({ keyframe: true, damaged: true });

    const files = { clean: join(tmp.dir, 'clean.mp4'), damaged: join(tmp.dir, 'damaged.mp4') };
    writeFileSync(files.clean, clean.bytes);
    writeFileSync(files.damaged, damaged.bytes);
    expect((await countFrames(files.damaged)).count).toBe(FRAMES);
    const [ref, got] = await Promise.all([frameMd5(files.clean), frameMd5(files.damaged)]);
    expect(ref).toHaveLength(FRAMES);
    expect(got).toHaveLength(FRAMES);
    const differs = (from: number, to: number) => got.slice(from, to).some((h, i) => h !== ref[from + i]);
    expect(differs(0, GOP)).toBe(true); // concealed, not the original
    expect(got.slice(GOP, 2 * GOP)).toEqual(ref.slice(GOP, 2 * GOP)); // the next GOP decodes exactly
    expect(differs(2 * GOP, 3 * GOP)).toBe(true);
    expect(got.slice(3 * GOP)).toEqual(ref.slice(3 * GOP));
  });
});
