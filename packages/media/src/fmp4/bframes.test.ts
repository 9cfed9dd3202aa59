/**
 * B-frames through the muxer: x264/x265 clips with B-frames (access units in decode
 * order, pts in presentation order, as RTP delivers them) muxed in both modes, read back
 * with our parser and judged by ffprobe: every frame decoded, shown in order.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { H264Sps } from '../codec/h264-sps.ts';
import { PocGapDetector, reorderDepth } from '../codec/reorder.ts';
import { parseSps } from '../codec/sps.ts';
import { countFrames, decodeErrors, makeTempDir, requireFfmpeg } from '../codec/testing.ts';
import { type Clip, FRAME_DURATION, FRAMES, GOP, makeBframeClips, makeClips } from './clips.ts';
import { Fmp4Muxer, type FragmentMode } from './muxer.ts';
import { listBoxes, parseFmp4 } from './parser.ts';

const tmp = makeTempDir('fmp4-bframes');
let clips: Partial<Record<'h264' | 'h265', Clip>> = {};
let plain: Clip | undefined;

beforeAll(async () => {
  requireFfmpeg();
  clips = await makeBframeClips(tmp.dir);
  plain = (await makeClips(tmp.dir)).h264;
}, 60_000);
afterAll(() => tmp.cleanup());

function mux(clip: Clip, mode: FragmentMode, reorderDepth?: number): { bytes: Buffer; muxer: Fmp4Muxer } {
  const muxer = new Fmp4Muxer({ mode, ...(reorderDepth !== undefined ? { reorderDepth } : {}) });
  const parts: Uint8Array[] = [muxer.init(clip.params)];
  for (const au of clip.aus) {
    const f = muxer.push(au);
    if (f) parts.push(f);
  }
  const last = muxer.flush();
  if (last) parts.push(last);
  return { bytes: Buffer.concat(parts), muxer };
}

describe.each(['h264', 'h265'] as const)('%s with B-frames', (codec) => {
  it('the clip really is reordered, and its SPS says how deep', () => {
    const clip = clips[codec] as Clip;
    expect(clip.aus).toHaveLength(FRAMES);
    const backwards = clip.aus.filter((au, i) => i > 0 && au.pts < (clip.aus[i - 1] as Clip['aus'][number]).pts);
    expect(backwards.length).toBeGreaterThan(FRAMES / 4);
    const sps = parseSps(codec, clip.params.sps);
    expect(sps).not.toBeNull();
    expect(reorderDepth(sps!)).toBeGreaterThan(0);
  });

  it.each(['gop', 'frame'] as const)('%s fragments: monotonic dts ≤ pts, offsets in trun, every frame decoded in order', async (mode) => {
    const clip = clips[codec] as Clip;
    const { bytes, muxer } = mux(clip, mode);
    const parsed = parseFmp4(bytes);
    if (!parsed.ok) throw new Error(parsed.error);
    const samples = parsed.file.samples;
    expect(samples).toHaveLength(FRAMES);
    const shift = (clip.aus[0]?.pts ?? 0) - ((samples[0]?.dts ?? 0) + (samples[0]?.cto ?? 0));
    samples.forEach((s, i) => {
      expect(s.dts + s.cto + shift).toBe(clip.aus[i]?.pts); // presentation times kept exactly
      expect(s.cto).toBeGreaterThanOrEqual(0); // depth known from the SPS: never negative
      if (i > 0) expect(s.dts).toBeGreaterThan((samples[i - 1] as (typeof samples)[number]).dts);
    });
    expect(samples.some((s) => s.cto > 0)).toBe(true);
    expect(muxer.reorderDepth).toBe(reorderDepth(parseSps(codec, clip.params.sps)!));

    const file = join(tmp.dir, `${codec}-${mode}.mp4`);
    writeFileSync(file, bytes);
    const probe = await countFrames(file);
    expect(probe.count).toBe(FRAMES);
    expect(probe.pts).toHaveLength(FRAMES);
    const first = probe.pts[0] as number;
    expect(probe.pts).toEqual(probe.pts.map((_, i) => first + i * FRAME_DURATION));
    expect(await decodeErrors(file)).toBe('');
  });
});

describe.each(['h264', 'h265'] as const)('%s with B-frames and an SPS that does not say how deep', (codec) => {
  it('frame mode learns the depth at the first reordered picture; still every frame decoded, in order', async () => {
    const clip = clips[codec] as Clip;
    const { bytes, muxer } = mux(clip, 'frame', 0);
    // What the pictures needed: more than 0, never more than the SPS allows (x264 declares 2 and uses 1 here).
    expect(muxer.reorderDepth).toBeGreaterThan(0);
    expect(muxer.reorderDepth).toBeLessThanOrEqual(reorderDepth(parseSps(codec, clip.params.sps)!)!);
    const parsed = parseFmp4(bytes);
    if (!parsed.ok) throw new Error(parsed.error);
    const samples = parsed.file.samples;
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.dts).toBeGreaterThan(samples[i - 1]!.dts);
    if (codec === 'h264') {
      // The slice POCs announced the B-frames before the first one came: no offset ever negative.
      expect(samples.every((s) => s.cto >= 0)).toBe(true);
    } else {
      // No early hint for H.265 (its SPS always says; here it is ignored): the pictures right
      // after the discovery show before they decode (negative offsets, trun version 1); from
      // the second GOP on the rule holds again.
      expect(samples.slice(0, GOP).some((s) => s.cto < 0)).toBe(true);
      expect(samples.slice(GOP).every((s) => s.cto >= 0)).toBe(true);
    }
    const shift = (clip.aus[0]?.pts ?? 0) - ((samples[0]?.dts ?? 0) + (samples[0]?.cto ?? 0));
    samples.forEach((s, i) => expect(s.dts + s.cto + shift).toBe(clip.aus[i]?.pts));
    const file = join(tmp.dir, `${codec}-learned.mp4`);
    writeFileSync(file, bytes);
    const probe = await countFrames(file);
    expect(probe.count).toBe(FRAMES);
    const first = probe.pts[0] as number;
    expect(probe.pts).toEqual(probe.pts.map((_, i) => first + i * FRAME_DURATION));
    expect(await decodeErrors(file)).toBe('');
  });
});

describe('PocGapDetector', () => {
  const gaps = (clip: Clip): number[] => {
    const det = new PocGapDetector(parseSps('h264', clip.params.sps) as H264Sps);
    return clip.aus.flatMap((au, i) => (det.skipsAhead(au.nalus, au.keyframe) ? [i] : []));
  };

  it('flags exactly the pictures sent ahead of B-frames (their pts beyond every earlier one), from the first', () => {
    const clip = clips.h264 as Clip;
    const flagged = gaps(clip);
    const ahead = clip.aus.flatMap((au, i) => {
      const next = clip.aus[i + 1];
      return i > 0 && !au.keyframe && next && next.pts < au.pts ? [i] : [];
    });
    expect(flagged).toEqual(ahead);
    expect(flagged[0]).toBe(1); // the first P after the IDR: before any B-frame arrived
  });

  it('is not needed for x264 without B-frames: POC type 2 says output order is decode order (depth 0 known)', () => {
    const sps = parseSps('h264', (plain as Clip).params.sps) as H264Sps;
    expect(sps.picOrderCntType).toBe(2);
    expect(reorderDepth(sps)).toBe(0);
    expect(gaps(plain as Clip)).toEqual([]);
  });
});

describe('trun with composition offsets', () => {
  it('writes version 1 with a negative offset only when one is needed', () => {
    const clip = clips.h264 as Clip;
    const muxer = new Fmp4Muxer({ mode: 'frame' });
    muxer.init(clip.params);
    const key = { ...(clip.aus[0] as Clip['aus'][number]) };
    const p = { ...(clip.aus[1] as Clip['aus'][number]), keyframe: false };
    const trun = (frag: Uint8Array): { version: number; flags: number } => {
      let box = listBoxes(frag);
      for (const type of ['moof', 'traf', 'trun']) {
        if (!box.ok) throw new Error(box.error);
        const b = box.boxes.find((x) => x.type === type);
        if (!b) throw new Error(`no ${type}`);
        if (type === 'trun') return { version: frag[b.body] as number, flags: ((frag[b.body + 2] as number) << 8) | (frag[b.body + 3] as number) };
        box = listBoxes(frag, b.body, b.end);
      }
      throw new Error('unreachable');
    };
    // Depth 2 from the SPS: the keyframe decodes two frames before it shows (offset > 0, version 0).
    const f1 = muxer.push({ ...key, pts: 0 }) as Uint8Array;
    expect(trun(f1)).toEqual({ version: 0, flags: 0xf01 });
    // A pts below the last dts (deeper than the SPS said): offset < 0, version 1.
    muxer.push({ ...p, pts: 3 * FRAME_DURATION });
    muxer.push({ ...p, pts: 2 * FRAME_DURATION });
    muxer.push({ ...p, pts: FRAME_DURATION });
    const f4 = muxer.push({ ...p, pts: 1 }) as Uint8Array;
    expect(trun(f4).version).toBe(1);
    const parsed = parseFmp4(Buffer.concat([muxer.init(clip.params), f4]));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.file.samples[0]?.cto).toBeLessThan(0);
  });
});
