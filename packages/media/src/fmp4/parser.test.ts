/**
 * Round trip: what Fmp4Muxer writes, parseFmp4 reads back bit for bit — the track
 * description (codec, size, timescale, parameter sets) and every sample (timing, size,
 * keyframe flag, NAL units).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessUnit } from '../types.ts';
import { isDroppedNal } from './fragment.ts';
import { makeTempDir, requireFfmpeg } from '../codec/testing.ts';
import { type Clip, FRAME_DURATION, FRAMES, HEIGHT, makeClips, WIDTH } from './clips.ts';
import { Fmp4Muxer } from './muxer.ts';
import { listBoxes, parseFmp4, splitLengthPrefixed } from './parser.ts';

const tmp = makeTempDir('fmp4-rt');
let clips: Partial<Record<'h264' | 'h265', Clip>> = {};

beforeAll(async () => {
  requireFfmpeg();
  clips = await makeClips(tmp.dir);
});
afterAll(() => tmp.cleanup());

describe.each(['h264', 'h265'] as const)('%s round trip', (codec) => {
  it('reads back the track and every sample', () => {
    const clip = clips[codec] as Clip;
    const m = new Fmp4Muxer();
    // Uneven fragments: 1, 7, then the rest, to cover data offsets of several moofs.
    const parts = [
      m.init(clip.params),
      m.fragment(clip.aus.slice(0, 1)),
      m.fragment(clip.aus.slice(1, 8)),
      m.fragment(clip.aus.slice(8)),
    ];
    const r = parseFmp4(Buffer.concat(parts));
    if (!r.ok) throw new Error(r.error);
    const { file } = r;

    expect(file.majorBrand).toBe('iso6');
    expect(file.tracks).toHaveLength(1);
    const t = file.tracks[0];
    expect(t?.codec).toBe(codec);
    expect(t?.entry).toBe(codec === 'h264' ? 'avc1' : 'hvc1');
    expect([t?.width, t?.height, t?.timescale, t?.trackId]).toEqual([WIDTH, HEIGHT, 90000, 1]);
    expect(t?.codecString).toBe(m.info?.codecString);
    expect(Buffer.from(t?.parameterSets.sps ?? [])).toEqual(Buffer.from(clip.params.sps));
    expect(Buffer.from(t?.parameterSets.pps ?? [])).toEqual(Buffer.from(clip.params.pps));
    if (codec === 'h265') expect(Buffer.from(t?.parameterSets.vps ?? [])).toEqual(Buffer.from(clip.params.vps ?? []));

    expect(file.fragments.map((f) => f.sequenceNumber)).toEqual([1, 2, 3]);
    expect(file.samples).toHaveLength(FRAMES);
    file.samples.forEach((s, i) => {
      const au = clip.aus[i];
      if (!au) throw new Error('missing access unit');
      expect(s.dts).toBe(i * FRAME_DURATION);
      expect(s.duration).toBe(FRAME_DURATION);
      expect(s.cto).toBe(0);
      expect(s.keyframe).toBe(au.keyframe);
      const kept = au.nalus.filter((n) => !isDroppedNal(codec, n));
      expect(s.size).toBe(kept.reduce((n, x) => n + 4 + x.length, 0));
      const nalus = splitLengthPrefixed(s.data);
      expect(nalus?.map((n) => Buffer.from(n).toString('hex'))).toEqual(
        kept.map((n) => Buffer.from(n).toString('hex')),
      );
    });
  });

  it('lists the top-level boxes', () => {
    const clip = clips[codec] as Clip;
    const m = new Fmp4Muxer({ mode: 'frame' });
    const bytes = Buffer.concat([m.init(clip.params), m.push(clip.aus[0] as AccessUnit) as Uint8Array]);
    const r = listBoxes(bytes);
    expect(r.ok && r.boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'moof', 'mdat']);
  });
});

describe('parser error results', () => {
  it('reports truncation and bad sizes instead of throwing', () => {
    const clip = clips.h264 as Clip;
    const m = new Fmp4Muxer();
    const bytes = Buffer.concat([m.init(clip.params), m.fragment(clip.aus.slice(0, 5))]);
    const cut = parseFmp4(bytes.subarray(0, bytes.length - 10));
    expect(cut.ok).toBe(false);
    const bad = Buffer.from(bytes);
    bad.writeUInt32BE(3, 0); // ftyp size smaller than its header
    expect(parseFmp4(bad)).toMatchObject({ ok: false });
    expect(splitLengthPrefixed(Uint8Array.of(0, 0, 0, 9, 1))).toBeNull();
  });
});
