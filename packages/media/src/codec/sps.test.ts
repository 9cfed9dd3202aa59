/**
 * SPS parsers against real encoder output: each case asks x264/x265 for a size, rate,
 * profile and bit depth, then checks what the parser reads. Sizes like 1366x768 and
 * 854x480 exercise cropping; interlaced, 4:4:4, 10-bit, scaling lists and temporal
 * sub-layers exercise the branches cameras in the field hit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findParameterSets, splitAnnexB } from './nal.ts';
import { parseSps } from './sps.ts';
import { encodeMany, type EncodeOptions, makeTempDir, requireFfmpeg } from './testing.ts';

const tmp = makeTempDir('sps');

interface Case extends EncodeOptions {
  name: string;
  expectProfile: string;
  expectFps: number;
  check?: (sps: Record<string, unknown>) => void;
}

const cases: Case[] = [
  {
    name: 'h264-1080p-high',
    codec: 'h264',
    width: 1920,
    height: 1080,
    fps: 25,
    frames: 1,
    profile: 'high',
    expectProfile: 'High',
    expectFps: 25,
  },
  {
    name: 'h264-360p-baseline',
    codec: 'h264',
    width: 640,
    height: 360,
    fps: 25,
    frames: 1,
    profile: 'baseline',
    expectProfile: 'Constrained Baseline',
    expectFps: 25,
  },
  {
    name: 'h264-360p-main',
    codec: 'h264',
    width: 640,
    height: 360,
    fps: 30,
    frames: 1,
    profile: 'main',
    expectProfile: 'Main',
    expectFps: 30,
  },
  {
    name: 'h264-720p-high',
    codec: 'h264',
    width: 1280,
    height: 720,
    fps: 50,
    frames: 1,
    profile: 'high',
    expectProfile: 'High',
    expectFps: 50,
  },
  {
    name: 'h264-1366x768',
    codec: 'h264',
    width: 1366,
    height: 768,
    fps: 25,
    frames: 1,
    expectProfile: 'High',
    expectFps: 25,
  },
  {
    name: 'h264-854x480-ntsc',
    codec: 'h264',
    width: 854,
    height: 480,
    fps: 30000 / 1001,
    frames: 1,
    expectProfile: 'High',
    expectFps: 29.97,
  },
  {
    name: 'h264-576i',
    codec: 'h264',
    width: 720,
    height: 576,
    fps: 25,
    frames: 1,
    params: 'interlaced=1',
    expectProfile: 'High',
    expectFps: 25,
    check: (s) => expect(s.frameMbsOnly).toBe(false),
  },
  {
    name: 'h264-444',
    codec: 'h264',
    width: 352,
    height: 288,
    fps: 25,
    frames: 1,
    pixFmt: 'yuv444p',
    expectProfile: 'High 4:4:4 Predictive',
    expectFps: 25,
    check: (s) => expect(s.chromaFormatIdc).toBe(3),
  },
  {
    name: 'h264-10bit',
    codec: 'h264',
    width: 640,
    height: 360,
    fps: 25,
    frames: 1,
    pixFmt: 'yuv420p10le',
    expectProfile: 'High 10',
    expectFps: 25,
    check: (s) => expect(s.bitDepthLuma).toBe(10),
  },
  {
    name: 'h264-cqm',
    codec: 'h264',
    width: 854,
    height: 480,
    fps: 25,
    frames: 1,
    params: 'cqm=jvt',
    expectProfile: 'High',
    expectFps: 25,
  },
  {
    name: 'h265-1080p',
    codec: 'h265',
    width: 1920,
    height: 1080,
    fps: 25,
    frames: 1,
    preset: 'ultrafast',
    expectProfile: 'Main',
    expectFps: 25,
  },
  {
    name: 'h265-1366x768',
    codec: 'h265',
    width: 1366,
    height: 768,
    fps: 25,
    frames: 1,
    preset: 'ultrafast',
    expectProfile: 'Main',
    expectFps: 25,
  },
  {
    name: 'h265-854x480',
    codec: 'h265',
    width: 854,
    height: 480,
    fps: 30,
    frames: 1,
    preset: 'ultrafast',
    expectProfile: 'Main',
    expectFps: 30,
  },
  {
    name: 'h265-640x360',
    codec: 'h265',
    width: 640,
    height: 360,
    fps: 15,
    frames: 1,
    preset: 'ultrafast',
    expectProfile: 'Main',
    expectFps: 15,
  },
  {
    name: 'h265-main10',
    codec: 'h265',
    width: 1280,
    height: 720,
    fps: 25,
    frames: 1,
    preset: 'ultrafast',
    pixFmt: 'yuv420p10le',
    expectProfile: 'Main 10',
    expectFps: 25,
    check: (s) => expect(s.bitDepthLuma).toBe(10),
  },
  {
    name: 'h265-444',
    codec: 'h265',
    width: 352,
    height: 288,
    fps: 25,
    frames: 1,
    preset: 'ultrafast',
    pixFmt: 'yuv444p',
    expectProfile: 'Range Extensions',
    expectFps: 25,
    check: (s) => expect(s.chromaFormatIdc).toBe(3),
  },
  {
    name: 'h265-temporal-layers',
    codec: 'h265',
    width: 640,
    height: 360,
    fps: 25,
    frames: 8,
    preset: 'ultrafast',
    params: 'temporal-layers=1:bframes=3',
    expectProfile: 'Main',
    expectFps: 25,
    check: (s) => expect(s.maxSubLayersMinus1).toBeGreaterThan(0),
  },
  {
    name: 'h265-scaling-list',
    codec: 'h265',
    width: 640,
    height: 360,
    fps: 25,
    frames: 1,
    preset: 'ultrafast',
    params: 'scaling-list=default',
    expectProfile: 'Main',
    expectFps: 25,
  },
  {
    // explicit scaling_list_data() in the SPS, from an HM-format list file
    name: 'h265-scaling-list-file',
    codec: 'h265',
    width: 640,
    height: 360,
    fps: 25,
    frames: 1,
    preset: 'ultrafast',
    params: `scaling-list=${join(tmp.dir, 'lists.txt')}`,
    expectProfile: 'Main',
    expectFps: 25,
  },
];

/** An HM scaling list file: every matrix x265 reads, with varied coefficients. */
function scalingListFile(): string {
  const lines: string[] = [];
  ['4X4', '8X8', '16X16', '32X32'].forEach((size, sizeId) => {
    for (const mode of ['INTRA', 'INTER']) {
      for (const comp of ['LUMA', 'CHROMAU', 'CHROMAV']) {
        const name =
          sizeId === 3 && comp !== 'LUMA' ? `${mode}${size}_${comp}_FROM16x16_${comp}` : `${mode}${size}_${comp}`;
        const coefs = Array.from(
          { length: sizeId === 0 ? 16 : 64 },
          (_, i) => 8 + ((i * 13 + sizeId * 7 + lines.length) % 57),
        );
        lines.push(`${name} =`, `${coefs.join(',')},`);
        if (sizeId >= 2) lines.push(`${mode}${size}_${comp}_DC =`, String(10 + sizeId));
      }
    }
  });
  return `${lines.join('\n')}\n`;
}
const streams = new Map<string, Uint8Array>();

beforeAll(async () => {
  requireFfmpeg();
  writeFileSync(join(tmp.dir, 'lists.txt'), scalingListFile());
  const out = await encodeMany(
    tmp.dir,
    cases.map((c) => ({ name: `${c.name}.${c.codec}`, opts: c })),
  );
  cases.forEach((c, i) => streams.set(c.name, out[i] as Uint8Array));
});
afterAll(() => tmp.cleanup());

describe('SPS parsing of encoder output', () => {
  it.each(cases)('$name', (c) => {
    const stream = streams.get(c.name);
    expect(stream).toBeDefined();
    const { sps } = findParameterSets(c.codec, splitAnnexB(stream as Uint8Array));
    expect(sps).toBeDefined();
    const info = parseSps(c.codec, sps as Uint8Array);
    expect(info).not.toBeNull();
    if (!info) return;
    expect(info.codec).toBe(c.codec);
    expect([info.width, info.height]).toEqual([c.width, c.height]);
    expect(info.profile).toBe(c.expectProfile);
    expect(info.fps).toBe(c.expectFps);
    if (c.codec === 'h264') {
      // avc1.PPCCLL is profile_idc, constraint flags and level_idc: the SPS bytes 1..3
      expect(info.codecString).toBe(`avc1.${Buffer.from((sps as Uint8Array).subarray(1, 4)).toString('hex')}`);
      expect(info.level * 10).toBe((sps as Uint8Array)[3]);
    } else {
      expect(info.codecString).toMatch(/^hvc1\.\d+\.[0-9A-F]+\.[LH]\d+(\.[0-9A-F]{1,2})*$/);
      expect(info.codecString).toContain(`.L${Math.round(info.level * 30)}`);
      // x265 sets general_progressive_source_flag and frame_only_constraint_flag: 0x90
      if (info.profile === 'Main') expect(info.codecString).toMatch(/^hvc1\.1\.6\.L\d+\.90$/);
    }
    c.check?.(info as unknown as Record<string, unknown>);
  });
});
