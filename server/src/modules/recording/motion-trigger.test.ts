import { afterEach, describe, expect, it } from 'vitest';
import { MotionTrigger, type MotionReport } from './motion-trigger.ts';

/** The detector's motion events per camera → setMotion: true at the first open event, false when the last one ends. */
describe('MotionTrigger', () => {
  let clock = 1_000_000;
  const calls: [string, boolean, number | undefined][] = [];
  const triggers: MotionTrigger[] = [];
  const make = (staleMs?: number) => {
    const t = new MotionTrigger({ setMotion: (id, active, at) => calls.push([id, active, at]) }, { now: () => clock, ...(staleMs ? { staleMs } : {}) });
    triggers.push(t);
    return t;
  };
  const r = (eventKey: string, cameraId: string, phase: MotionReport['phase'], extra: Partial<MotionReport> = {}): MotionReport => ({ eventKey, cameraId, kind: 'motion', phase, ...extra });
  afterEach(() => {
    for (const t of triggers.splice(0)) t.stop();
    calls.length = 0;
  });

  it('overlapping events of one camera (two zones) make one motion; the detector’s start time is passed on', () => {
    const t = make();
    t.report(r('e1', 'cam', 'start', { startedAt: clock - 1500 }));
    t.report(r('e2', 'cam', 'start'));
    t.report(r('e1', 'cam', 'update'));
    t.report(r('e1', 'cam', 'end', { endedAt: clock }));
    expect(calls).toEqual([['cam', true, clock - 1500]]);
    clock += 1000;
    t.report(r('e2', 'cam', 'end', { endedAt: clock - 200 }));
    expect(calls).toEqual([['cam', true, clock - 2500], ['cam', false, clock - 200]]);
    t.report(r('e2', 'cam', 'end')); // a repeated end: nothing
    expect(calls).toHaveLength(2);
    expect(t.active).toEqual([]);
  });

  it('ignores tamper and other cameras’ events; a start time in the future is clamped to now', () => {
    const t = make();
    t.report({ ...r('x', 'cam', 'start'), kind: 'tamper' });
    t.report(r('a', 'one', 'start', { startedAt: clock + 5000 }));
    t.report(r('b', 'two', 'start'));
    t.report(r('b', 'two', 'end'));
    expect(calls).toEqual([['one', true, clock], ['two', true, clock], ['two', false, clock]]);
    expect(t.active).toEqual(['one']);
  });

  it('an event not heard of for staleMs ends (a detector that died mid-event)', () => {
    const t = make(60_000);
    t.report(r('a', 'cam', 'start'));
    clock += 50_000;
    t.report(r('a', 'cam', 'update'));
    clock += 50_000;
    t.sweep();
    expect(calls.map((c) => c[1])).toEqual([true]);
    clock += 10_000;
    t.sweep();
    expect(calls.map((c) => c[1])).toEqual([true, false]);
  });
});
