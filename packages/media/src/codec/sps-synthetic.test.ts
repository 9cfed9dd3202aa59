/**
 * SPS syntax that x264/x265 never write but cameras do: H.264 scaling matrices in the
 * SPS (x264 puts them in the PPS), 4:4:4 with 12 lists, pic_order_cnt_type 1, field
 * coding; H.265 short-term RPS in the SPS with inter-RPS prediction, long-term refs, PCM,
 * sub-layers, explicit scaling lists. Each SPS is built bit by bit here, then checked by
 * ffmpeg's own header parser (trace_headers) so the builder cannot fool the test.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseH264Sps } from './h264-sps.ts';
import { parseH265Sps } from './h265-sps.ts';
import { H264_PPS, H265_PPS, H265_VPS } from './fixtures.ts';
import { makeTempDir, requireFfmpeg } from './testing.ts';

class BitWriter {
  private bits: number[] = [];
  u(n: number, v: number): this {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }
  ue(v: number): this {
    const len = Math.floor(Math.log2(v + 1));
    return this.u(len, 0).u(len + 1, v + 1);
  }
  se(v: number): this {
    return this.ue(v > 0 ? 2 * v - 1 : -2 * v);
  }
  /** rbsp_trailing_bits, then EBSP: an 03 after every 00 00 that precedes a byte <= 3. */
  nal(): Uint8Array {
    this.bits.push(1);
    while (this.bits.length % 8) this.bits.push(0);
    const out: number[] = [];
    let zeros = 0;
    for (let i = 0; i < this.bits.length; i += 8) {
      const b = this.bits.slice(i, i + 8).reduce((a, x) => a * 2 + x, 0);
      if (zeros >= 2 && b <= 3) {
        out.push(3);
        zeros = 0;
      }
      out.push(b);
      zeros = b === 0 ? zeros + 1 : 0;
    }
    return Uint8Array.from(out);
  }
}

/** Writes scaling_list() deltas the way a decoder reads them (stops once nextScale hits 0). */
function scalingList(w: BitWriter, size: number, deltas: (j: number) => number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size && next !== 0; j++) {
    const d = deltas(j);
    w.se(d);
    next = (last + d + 256) % 256;
    last = next === 0 ? last : next;
  }
}

function h264Sps(o: {
  profile: number;
  chroma: number;
  pocType: number;
  frameMbsOnly: boolean;
  mbs: [number, number];
  crop: number[];
  timing: [number, number];
}): Uint8Array {
  const w = new BitWriter().u(8, 0x67).u(8, o.profile).u(8, 0).u(8, 40).ue(0);
  w.ue(o.chroma);
  if (o.chroma === 3) w.u(1, 0);
  w.ue(0).ue(0).u(1, 0).u(1, 1); // 8-bit, seq_scaling_matrix_present_flag
  for (let i = 0; i < (o.chroma === 3 ? 12 : 8); i++) {
    w.u(1, i % 3 === 2 ? 0 : 1);
    if (i % 3 === 2) continue;
    // list 4: first delta -8 makes nextScale 0 ("use the default list"), a one-element list
    scalingList(w, i < 6 ? 16 : 64, (j) => (i === 4 ? -8 : ((j * 7 + i) % 11) - 5));
  }
  w.ue(0).ue(o.pocType); // log2_max_frame_num_minus4
  if (o.pocType === 0) w.ue(2);
  else w.u(1, 0).se(-1).se(2).ue(3).se(1).se(-2).se(3);
  w.ue(4)
    .u(1, 0)
    .ue(o.mbs[0] - 1)
    .ue(o.mbs[1] - 1)
    .u(1, o.frameMbsOnly ? 1 : 0);
  if (!o.frameMbsOnly) w.u(1, 1);
  w.u(1, 1).u(1, 1);
  for (const c of o.crop) w.ue(c);
  w.u(1, 1); // vui_parameters_present_flag
  w.u(1, 1).u(8, 255).u(16, 4).u(16, 3); // SAR 4:3
  w.u(1, 1).u(1, 0); // overscan
  w.u(1, 1).u(3, 5).u(1, 0).u(1, 1).u(8, 1).u(8, 1).u(8, 1); // video signal type
  w.u(1, 1).ue(1).ue(1); // chroma location
  w.u(1, 1).u(32, o.timing[0]).u(32, o.timing[1]).u(1, 1);
  return w.u(1, 0).u(1, 0).u(1, 0).u(1, 0).nal(); // no HRD, pic_struct, bitstream_restriction
}

function h265Sps(o: { maxSub: number; size: [number, number]; crop: number[]; timing: [number, number] }): Uint8Array {
  const w = new BitWriter().u(16, 0x4201).u(4, 0).u(3, o.maxSub).u(1, 1);
  w.u(2, 0).u(1, 0).u(5, 1).u(32, 0x60000000).u(8, 0x90).u(32, 0).u(8, 0).u(8, 93);
  for (let i = 0; i < o.maxSub; i++) w.u(1, 1).u(1, 1);
  if (o.maxSub > 0) w.u(2 * (8 - o.maxSub), 0);
  for (let i = 0; i < o.maxSub; i++) w.u(8, 0x01).u(32, 0x60000000).u(32, 0x90000000).u(16, 0).u(8, 90); // 88 + 8 bits
  w.ue(0).ue(1).ue(o.size[0]).ue(o.size[1]).u(1, 1);
  for (const c of o.crop) w.ue(c);
  w.ue(0).ue(0).ue(4).u(1, 1); // 8-bit, log2_max_poc_lsb = 8, ordering info for all sub-layers
  for (let i = 0; i <= o.maxSub; i++) w.ue(4).ue(2).ue(0);
  w.ue(0).ue(3).ue(0).ue(3).ue(1).ue(1);
  w.u(1, 1).u(1, 1); // scaling_list_enabled, sps_scaling_list_data_present
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let m = 0; m < 6; m += sizeId === 3 ? 3 : 1) {
      if (m % 2 === 1) {
        w.u(1, 0).ue(1); // predicted from the previous matrix
        continue;
      }
      w.u(1, 1);
      if (sizeId > 1) w.se(8);
      for (let i = 0; i < Math.min(64, 1 << (4 + 2 * sizeId)); i++) w.se(((i * 5 + m) % 9) - 4);
    }
  }
  w.u(1, 1).u(1, 1).u(1, 1); // amp, sao, pcm_enabled
  w.u(4, 7).u(4, 7).ue(0).ue(1).u(1, 0);
  w.ue(3); // num_short_term_ref_pic_sets
  w.ue(2).ue(1).ue(0).u(1, 1).ue(1).u(1, 0).ue(0).u(1, 1); // set 0: 2 negative, 1 positive
  // set 1 predicted from set 0 {-1, -3 | +1} with deltaRps +1: -1 lands on dPoc 0 and is
  // dropped (eq. 7-61), +1 is not used, deltaRps itself is: {-2 | +1}, two entries, not three.
  w.u(1, 1).u(1, 0).ue(0).u(1, 1).u(1, 0).u(1, 1).u(1, 0).u(1, 0).u(1, 1);
  // set 2 predicted from set 1 with deltaRps -2: 3 entries (a parser that counted flags reads 4)
  w.u(1, 1).u(1, 1).ue(1).u(1, 1).u(1, 1).u(1, 0).u(1, 1);
  w.u(1, 1).ue(2).u(8, 5).u(1, 1).u(8, 9).u(1, 0); // two long-term refs, 8-bit lsb
  w.u(1, 1).u(1, 1).u(1, 1); // temporal mvp, strong intra smoothing, vui present
  w.u(1, 1).u(8, 1).u(1, 0).u(1, 0).u(1, 0).u(3, 0); // SAR 1:1, no overscan/signal/chroma loc
  w.u(1, 1).ue(0).ue(0).ue(2).ue(2); // default display window
  w.u(1, 1).u(32, o.timing[0]).u(32, o.timing[1]).u(1, 0).u(1, 0); // timing, no poc proportional, no HRD
  return w.u(1, 0).u(1, 0).nal(); // no bitstream restriction, no extension
}

const tmp = makeTempDir('sps-syn');
beforeAll(() => requireFfmpeg());
afterAll(() => tmp.cleanup());
const run = promisify(execFile);

/** ffmpeg's trace_headers reading of the parameter sets, as name -> last value. */
async function ffmpegRead(codec: 'h264' | 'h265', nalus: Uint8Array[]): Promise<Map<string, number>> {
  const file = join(tmp.dir, `${Math.random().toString(36).slice(2)}.${codec}`);
  writeFileSync(file, Buffer.concat(nalus.flatMap((n) => [Uint8Array.of(0, 0, 0, 1), n])));
  const fmt = codec === 'h264' ? 'h264' : 'hevc';
  // Exit status is not the judge (a stream of parameter sets alone has no frames): the trace is.
  const stderr = await run('ffmpeg', [
    '-v',
    'trace',
    '-f',
    fmt,
    '-i',
    file,
    '-c',
    'copy',
    '-bsf:v',
    'trace_headers',
    '-f',
    'null',
    '-',
  ]).then(
    (r) => r.stderr,
    (e: { stderr?: string }) => e.stderr ?? '',
  );
  const fields = new Map<string, number>();
  for (const m of stderr.matchAll(/\[trace_headers[^\]]*\]\s+\d+\s+(\S+)\s+[01]+ = (-?\d+)/g))
    fields.set(m[1] as string, Number(m[2]));
  // Only the header parser's complaints count; the null muxer always objects to a stream without frames.
  const bad = stderr
    .split('\n')
    .filter((l) => /trace_headers.*(error|invalid|out of range|failed)|initializing bitstream filter/i.test(l));
  expect(bad).toEqual([]);
  return fields;
}

describe('synthetic H.264 SPS', () => {
  it('High with SPS scaling matrices, POC type 1 and a 29.97 fps VUI', async () => {
    const sps = h264Sps({
      profile: 100,
      chroma: 1,
      pocType: 1,
      frameMbsOnly: true,
      mbs: [120, 68],
      crop: [1, 2, 0, 4],
      timing: [1001, 60000],
    });
    const ff = await ffmpegRead('h264', [sps, H264_PPS]);
    expect(ff.get('time_scale')).toBe(60000);
    expect(parseH264Sps(sps)).toMatchObject({
      width: 1920 - 6,
      height: 1088 - 8,
      profile: 'High',
      fps: 29.97,
      sar: [4, 3],
      picOrderCntType: 1,
    });
  });

  it('High 4:4:4 with 12 lists and field coding', async () => {
    const sps = h264Sps({
      profile: 244,
      chroma: 3,
      pocType: 0,
      frameMbsOnly: false,
      mbs: [45, 18],
      crop: [0, 0, 0, 0],
      timing: [1, 50],
    });
    const ff = await ffmpegRead('h264', [sps, H264_PPS]);
    expect(ff.get('time_scale')).toBe(50);
    expect(parseH264Sps(sps)).toMatchObject({
      width: 720,
      height: 576,
      chromaFormatIdc: 3,
      frameMbsOnly: false,
      fps: 25,
    });
  });
});

describe('synthetic H.265 SPS', () => {
  it.each([0, 2])('RPS with inter prediction, long-term refs, PCM, scaling lists, %i sub-layers', async (maxSub) => {
    const sps = h265Sps({ maxSub, size: [1928, 1088], crop: [2, 2, 0, 4], timing: [1001, 60000] });
    const ff = await ffmpegRead('h265', [H265_VPS, sps, H265_PPS]);
    expect(ff.get('vui_time_scale')).toBe(60000);
    expect(ff.get('pic_width_in_luma_samples')).toBe(1928);
    expect(parseH265Sps(sps)).toMatchObject({
      width: 1920,
      height: 1080,
      profile: 'Main',
      level: 3.1,
      fps: 59.94,
      maxSubLayersMinus1: maxSub,
      codecString: 'hvc1.1.6.L93.90',
    });
  });
});
