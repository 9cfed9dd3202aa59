/**
 * The muxer's output judged by ffprobe/ffmpeg (real clips, H.264 and H.265, per-GOP and
 * per-frame fragments), plus its timing rules on synthetic access units.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessUnit } from '../types.ts';
import { decodeErrors, ffprobe, makeTempDir, requireFfmpeg } from '../codec/testing.ts';
import { type Clip, FRAME_DURATION, FRAMES, GOP, H264_PPS, H264_SPS, HEIGHT, makeClips, WIDTH } from './clips.ts';
import { Fmp4Muxer, type FragmentMode } from './muxer.ts';
import { listBoxes, parseFmp4 } from './parser.ts';

const tmp = makeTempDir('fmp4');
let clips: Partial<Record<'h264' | 'h265', Clip>> = {};

beforeAll(async () => {
  requireFfmpeg();
  clips = await makeClips(tmp.dir);
});
afterAll(() => tmp.cleanup());

function mux(clip: Clip, mode: FragmentMode): { bytes: Buffer; fragments: number } {
  const m = new Fmp4Muxer({ mode });
  const parts: Uint8Array[] = [m.init(clip.params)];
  for (const au of clip.aus) {
    const f = m.push(au);
    if (f) parts.push(f);
  }
  const last = m.flush();
  if (last) parts.push(last);
  return { bytes: Buffer.concat(parts), fragments: parts.length - 1 };
}

/** Body offset of the trun in the moof at `moof`. */
function findTrun(buf: Buffer, moof: number): number {
  let range = { body: moof + 8, end: moof + buf.readUInt32BE(moof) };
  for (const type of ['traf', 'trun']) {
    const r = listBoxes(buf, range.body, range.end);
    const b = r.ok ? r.boxes.find((x) => x.type === type) : undefined;
    if (!b) throw new Error(`no ${type}`);
    range = b;
  }
  return range.body;
}

describe.each(['h264', 'h265'] as const)('%s clip through ffprobe', (codec) => {
  it.each(['gop', 'frame'] as const)('%s fragments play back as encoded', async (mode) => {
    const clip = clips[codec] as Clip;
    expect(clip.aus).toHaveLength(FRAMES);
    const { bytes, fragments } = mux(clip, mode);
    expect(fragments).toBe(mode === 'gop' ? FRAMES / GOP : FRAMES);
    // No B-frames: decode time = pts, and the trun has no composition offsets at all.
    const parsed = parseFmp4(bytes);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.file.samples.map((s) => s.dts)).toEqual(clip.aus.map((au) => au.pts));
    for (const f of parsed.file.fragments) {
      const trun = findTrun(bytes, f.offset);
      expect(bytes.readUInt32BE(trun)).toBe(0x000701); // version 0, no 0x800 flag
      expect(bytes.readUInt32BE(trun - 8)).toBe(20 + 12 * f.samples.length); // 12-byte entries as before
    }

    const file = join(tmp.dir, `${codec}-${mode}.mp4`);
    writeFileSync(file, bytes);

    const probe = await ffprobe(file);
    const stream = probe.streams[0] ?? {};
    expect(stream.codec_name).toBe(codec === 'h264' ? 'h264' : 'hevc');
    expect([stream.width, stream.height]).toEqual([WIDTH, HEIGHT]);
    if (codec === 'h265') expect(stream.codec_tag_string).toBe('hvc1');
    const frames = probe.frames.filter((f) => f.media_type === 'video');
    expect(frames).toHaveLength(FRAMES);
    expect(frames.map((f) => f.pts)).toEqual(frames.map((_, i) => i * FRAME_DURATION));
    const keys = frames.flatMap((f, i) => (f.key_frame === 1 ? [i] : []));
    expect(keys).toEqual([0, GOP]);
    expect(await decodeErrors(file)).toBe('');
  });
});

describe('timing rules', () => {
  const au = (pts: number, keyframe = false, extra: number[] = []): AccessUnit => ({
    codec: 'h264',
    nalus: [Uint8Array.of(0x09, 0xf0), Uint8Array.of(keyframe ? 0x65 : 0x41, 0x88, 0x84, ...extra)],
    pts,
    keyframe,
    receivedAt: 0,
  });
  const params = { codec: 'h264' as const, sps: H264_SPS, pps: H264_PPS };
  const samplesOf = (...parts: Uint8Array[]) => {
    const r = parseFmp4(Buffer.concat(parts));
    if (!r.ok) throw new Error(r.error);
    return r.file.samples;
  };

  it('takes durations from pts deltas, tfdt from the first pts, and the last duration from nextPts or the previous delta', () => {
    const m = new Fmp4Muxer();
    const init = m.init(params);
    const f1 = m.fragment([au(1000, true), au(4000), au(7600)], { nextPts: 11000 });
    const f2 = m.fragment([au(11000), au(14000)]);
    const s = samplesOf(init, f1, f2);
    expect(s.map((x) => x.dts)).toEqual([0, 3000, 6600, 10000, 13000]);
    expect(s.map((x) => x.duration)).toEqual([3000, 3600, 3400, 3000, 3000]);
    expect(s.map((x) => x.keyframe)).toEqual([true, false, false, false, false]);
    expect(m.sequenceNumber).toBe(2);
  });

  it('writes 64-bit decode times (no wrap after 13 h at 90 kHz)', () => {
    const m = new Fmp4Muxer({ origin: 0 });
    const init = m.init(params);
    const s = samplesOf(init, m.fragment([au(2 ** 33 + 5, true)]));
    expect(s[0]?.dts).toBe(2 ** 33 + 5);
  });

  it('replaces huge deltas, keeps decode times increasing over a repeated pts, and uses the SPS fps for a lone first frame', () => {
    const m = new Fmp4Muxer();
    const init = m.init(params);
    const s = samplesOf(init, m.fragment([au(0, true), au(0), au(5_000_000)]));
    // The repeated pts decodes one tick later (shown at its pts: offset -1); the 55 s jump is a discontinuity.
    expect(s.map((x) => x.duration)).toEqual([1, m.defaultDuration, m.defaultDuration]);
    expect(s.map((x) => x.cto)).toEqual([0, -1, 0]);
    expect(m.defaultDuration).toBe(3600); // x264 SPS says 25 fps
  });

  it('drops AUD and parameter sets from samples and skips access units left empty', () => {
    const m = new Fmp4Muxer();
    const init = m.init(params);
    const psOnly: AccessUnit = {
      codec: 'h264',
      nalus: [H264_SPS, H264_PPS],
      pts: 3600,
      keyframe: false,
      receivedAt: 0,
    };
    const s = samplesOf(init, m.fragment([au(0, true), psOnly, au(7200)]));
    expect(s).toHaveLength(2);
    expect(s[0]?.size).toBe(4 + 3);
    expect(s[0]?.duration).toBe(7200);
    expect(m.fragment([psOnly])).toHaveLength(0);
  });

  it('push() waits for a keyframe, cuts per GOP with exact durations, and cuts long GOPs', () => {
    const m = new Fmp4Muxer({ maxFragmentDuration: 3 * 3600 });
    const init = m.init(params);
    const out: Uint8Array[] = [];
    const pts = [0, 3600, 7200, 10800, 14400, 18000, 21600];
    const keys = [false, true, false, true, false, false, false];
    pts.forEach((p, i) => {
      const f = m.push(au(p, keys[i]));
      if (f) out.push(f);
    });
    const last = m.flush();
    if (last) out.push(last);
    expect(out).toHaveLength(3); // [3600, 7200] [10800, 14400, 18000] [21600]
    const s = samplesOf(init, ...out);
    expect(s.map((x) => x.dts)).toEqual([0, 3600, 7200, 10800, 14400, 18000]);
    expect(s.every((x) => x.duration === 3600)).toBe(true);
  });

  it('gop mode copies NAL units, so the caller may reuse its packet buffers', () => {
    const m = new Fmp4Muxer();
    const init = m.init(params);
    const a = au(0, true, [1, 2, 3]);
    m.push(a);
    (a.nalus[1] as Uint8Array).fill(0xee); // the depacketizer reuses its buffer
    const s = samplesOf(init, m.flush() as Uint8Array);
    expect([...(s[0]?.data ?? [])]).toEqual([0, 0, 0, 6, 0x65, 0x88, 0x84, 1, 2, 3]);
  });

  it('refuses fragments before init and unparseable parameter sets', () => {
    expect(() => new Fmp4Muxer().fragment([au(0, true)])).toThrow(/init/);
    expect(() => new Fmp4Muxer().init({ codec: 'h264', sps: Uint8Array.of(0x67, 1), pps: H264_PPS })).toThrow(/SPS/);
    expect(() => new Fmp4Muxer().init({ codec: 'h265', sps: Uint8Array.of(0x42, 1), pps: H264_PPS })).toThrow(/SPS/);
  });
});
