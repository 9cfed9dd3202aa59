import { parseFmp4, type AccessUnit, type Fmp4Sample } from '@kuzet/media';
import { describe, expect, it } from 'vitest';
import { LiveFeed, type Subscriber } from './live-feed.ts';

// x264 320×240 Constrained Baseline parameter sets (as in packages/media's fixtures).
const SPS = Buffer.from('6742c00dd90141fb011000000300100000030320f142a480', 'hex');
const PPS = Buffer.from('68cb83cb20', 'hex');
const GOP = 5;
const STEP = 3600; // 25 fps at 90 kHz

/** Frame n: an IDR (with in-band SPS/PPS) every GOP frames, else a P slice; its bytes say which frame it is. */
function frame(n: number, big = 0): AccessUnit {
  const key = n % GOP === 0;
  // `big`: GOPs that grow (n × 8 KiB per frame) overflow the arena and make it resize.
  const slice = new Uint8Array(200 + (n % 7) * 50 + big * n * 8192).fill(n & 0xff);
  slice[0] = key ? 0x65 : 0x41;
  return { codec: 'h264', nalus: key ? [SPS, PPS, slice] : [slice], pts: 90_000 + n * STEP, keyframe: key, receivedAt: 1_000 + n * 40 };
}

function viewer(id: number) {
  const got = { init: [] as Uint8Array[], frags: [] as { data: Uint8Array; keyframe: boolean; pts: number }[] };
  const sub: Subscriber = {
    id,
    init: (_codec, data) => got.init.push(new Uint8Array(data)),
    fragment: (data, keyframe, pts) => got.frags.push({ data: new Uint8Array(data), keyframe, pts }),
  };
  return { sub, got };
}

/** Feeds frames, then scribbles over their NAL buffers, as a reused socket buffer would. */
function feed(live: LiveFeed, from: number, to: number, big = 0): void {
  for (let n = from; n < to; n++) {
    const au = frame(n, big);
    live.onAccessUnit(au);
    for (const nal of au.nalus) if (nal !== SPS && nal !== PPS) nal.fill(0xee);
  }
}

function samples(init: Uint8Array, frags: { data: Uint8Array }[]): Fmp4Sample[] {
  const r = parseFmp4(Buffer.concat([init, ...frags.map((f) => f.data)]));
  if (!r.ok) throw new Error(r.error);
  return r.file.samples;
}

describe('LiveFeed', () => {
  it('muxes nothing while nobody watches, yet a viewer starts at the cached keyframe with the right pictures', () => {
    const live = new LiveFeed();
    live.onParams({ codec: 'h264', sps: SPS, pps: PPS });
    feed(live, 0, 3 * GOP + 3); // three GOPs and three frames: the arena was reused twice
    expect(live.fragments).toBe(0);
    expect(live.gopCacheBytes).toBe([15, 16, 17].reduce((s, n) => s + 4 + frame(n).nalus.at(-1)!.length, 0));

    const v = viewer(1);
    live.subscribe(v.sub);
    expect(v.got.init).toHaveLength(1);
    expect(v.got.frags.map((f) => [f.keyframe, f.pts])).toEqual([15, 16, 17].map((n) => [n === 15, 90_000 + n * STEP]));
    const s = samples(v.got.init[0]!, v.got.frags);
    expect(s.map((x) => x.keyframe)).toEqual([true, false, false]);
    // Each sample holds its own frame's slice (length-prefixed), not bytes of a reused buffer.
    for (const [i, n] of [15, 16, 17].entries()) {
      expect(Buffer.from(s[i]!.data.subarray(4)).toString('hex')).toBe(Buffer.from(frame(n).nalus.at(-1)!).toString('hex'));
    }
    expect(s.map((x) => x.duration)).toEqual([STEP, STEP, STEP]);
    expect(s[1]!.dts - s[0]!.dts).toBe(STEP);
  });

  it('keeps every cached picture intact while the arena overflows and resizes', () => {
    const live = new LiveFeed();
    live.onParams({ codec: 'h264', sps: SPS, pps: PPS });
    let next = 0;
    for (const end of [GOP + 2, 2 * GOP + 4, 4 * GOP + 1, 4 * GOP + 4]) {
      feed(live, next, end + 1, 1);
      next = end + 1;
      const v = viewer(end);
      live.subscribe(v.sub);
      live.unsubscribe(end);
      const first = end - (end % GOP);
      const want = Array.from({ length: end - first + 1 }, (_, i) => first + i);
      const s = samples(v.got.init[0]!, v.got.frags);
      expect(s.map((x) => Buffer.from(x.data.subarray(4)).toString('hex'))).toEqual(want.map((n) => Buffer.from(frame(n, 1).nalus.at(-1)!).toString('hex')));
    }
  });

  it('sends every frame at once while watched; a second viewer gets the GOP from its keyframe; timing stays continuous', () => {
    const live = new LiveFeed();
    live.onParams({ codec: 'h264', sps: SPS, pps: PPS });
    feed(live, 0, 2);
    const a = viewer(1);
    live.subscribe(a.sub);
    feed(live, 2, GOP + 2);
    expect(a.got.frags.map((f) => f.pts)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => 90_000 + n * STEP));
    const b = viewer(2);
    live.subscribe(b.sub);
    expect(b.got.frags.map((f) => f.pts)).toEqual([5, 6].map((n) => 90_000 + n * STEP));
    feed(live, GOP + 2, GOP + 3);
    expect(a.got.frags).toHaveLength(8);
    expect(b.got.frags).toHaveLength(3);
    const sa = samples(a.got.init[0]!, a.got.frags);
    expect(sa.map((x) => x.dts)).toEqual(sa.map((_, i) => i * STEP)); // one timeline for every viewer of the stream
    const sb = samples(b.got.init[0]!, b.got.frags);
    expect(sb.map((x) => x.dts)).toEqual([5, 6, 7].map((n) => n * STEP));
    live.unsubscribe(1);
    live.unsubscribe(2);
    const before = live.fragments;
    feed(live, GOP + 3, 2 * GOP);
    expect(live.fragments).toBe(before);
  });

  it('forgets the stream on reset and on new parameter sets', () => {
    const live = new LiveFeed();
    live.onParams({ codec: 'h264', sps: SPS, pps: PPS });
    feed(live, 0, 3);
    live.onReset();
    expect(live.gopCacheBytes).toBe(0);
    const v = viewer(1);
    live.subscribe(v.sub);
    expect(v.got.init).toHaveLength(0);
    feed(live, 3, 4); // no parameter sets since the reset: nothing to mux
    expect(v.got.frags).toHaveLength(0);
    live.onParams({ codec: 'h264', sps: SPS, pps: PPS });
    expect(v.got.init).toHaveLength(1);
    feed(live, 4, GOP + 1); // waits for the keyframe
    expect(v.got.frags.map((f) => f.keyframe)).toEqual([true]);
  });
});
