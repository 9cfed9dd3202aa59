import { describe, expect, it } from 'vitest';
import { LossMonitor } from './loss-monitor.ts';

/** Feeds one sample a second: `rate` packets/s of which `lossPct` % are lost. */
function run(m: LossMonitor, from: number, seconds: number, lossPct: number, totals: { got: number; lost: number }, source: object) {
  const states: boolean[] = [];
  for (let s = 1; s <= seconds; s++) {
    const lost = Math.round((200 * lossPct) / 100);
    totals.got += 200 - lost;
    totals.lost += lost;
    m.update(from + s * 1000, totals.got, totals.lost, source);
    states.push(m.degraded);
  }
  return states;
}

describe('LossMonitor', () => {
  it('enters degraded above 1 % over 10 s and leaves only after 10 s below 0.5 % (no flapping)', () => {
    const m = new LossMonitor();
    const src = {};
    const totals = { got: 0, lost: 0 };
    expect(run(m, 0, 10, 0, totals, src).some(Boolean)).toBe(false);
    expect(m.percent).toBe(0);
    const lossy = run(m, 10_000, 10, 3, totals, src);
    expect(lossy.at(-1)).toBe(true);
    expect(m.percent).toBeCloseTo(3, 1);
    // Loss hovering around the threshold (0.5–1.5 %) keeps it degraded rather than flapping.
    const hovering = [1.5, 0.5, 1.5, 0.5, 1.5, 0.5].flatMap((p, i) => run(m, 20_000 + i * 1000, 1, p, totals, src));
    expect(hovering.every(Boolean)).toBe(true);
    // Clean again: the 10 s window must first empty (below 0.5 %), then hold for 10 s.
    const clean = run(m, 26_000, 30, 0, totals, src);
    const back = clean.indexOf(false);
    expect(back).toBeGreaterThanOrEqual(10);
    expect(clean.slice(back).every((d) => !d)).toBe(true);
  });

  it('restarts counting for a new source and ignores windows with too few packets', () => {
    const m = new LossMonitor();
    m.update(1000, 1000, 0, {});
    m.update(2000, 5, 0, {}); // a reconnect: counters start again, no negative slice
    expect(m.percent).toBe(0);
    const quiet = new LossMonitor();
    quiet.update(1000, 10, 2, {}); // 17 % of 12 packets says little
    expect(quiet.percent).toBeCloseTo(16.67, 1);
    expect(quiet.degraded).toBe(false);
  });
});
