import { describe, expect, it } from 'vitest';
import { centroid, pointsAttr } from './geometry.ts';
import { clientToPlan, fitView, panBy, zoomAt, zoomLimits } from './view-box.ts';

const plan = { width: 400, height: 200 };

describe('site plan view', () => {
  it('fits the plan with a margin', () => {
    const f = fitView(plan, 0);
    expect([f.x + 0, f.y + 0, f.w, f.h]).toEqual([0, 0, 400, 200]);
    const v = fitView(plan);
    expect(v.x).toBeLessThan(0);
    expect(v.w).toBeGreaterThan(400);
  });

  it('keeps the zoom point in place', () => {
    const v = fitView(plan, 0);
    const z = zoomAt(v, 2, [100, 50], plan);
    expect(z.w).toBe(200);
    expect(z.h).toBe(100);
    // The point sits at the same fraction of the view before and after.
    expect((100 - z.x) / z.w).toBeCloseTo((100 - v.x) / v.w);
    expect((50 - z.y) / z.h).toBeCloseTo((50 - v.y) / v.h);
  });

  it('clamps the zoom', () => {
    const { minW, maxW } = zoomLimits(plan);
    expect(zoomAt(fitView(plan), 1e6, [0, 0], plan).w).toBeCloseTo(minW);
    expect(zoomAt(fitView(plan), 1e-6, [0, 0], plan).w).toBeCloseTo(maxW);
  });

  it('maps element pixels to plan units with letterboxing', () => {
    const v = fitView(plan, 0);
    // An 800×800 element shows the 400×200 plan at 2 px/unit, centred vertically (200 px bands).
    expect(clientToPlan(v, { width: 800, height: 800 }, 0, 200)).toEqual([0, 0]);
    expect(clientToPlan(v, { width: 800, height: 800 }, 800, 600)).toEqual([400, 200]);
  });

  it('pans', () => {
    expect(panBy({ x: 0, y: 0, w: 10, h: 10 }, 3, -2)).toEqual({ x: 3, y: -2, w: 10, h: 10 });
  });

  it('computes polygon centroids and points', () => {
    expect(
      centroid([
        [0, 0],
        [4, 0],
        [4, 2],
        [0, 2],
      ]),
    ).toEqual([2, 1]);
    expect(
      pointsAttr([
        [0, 0],
        [1, 2],
      ]),
    ).toBe('0,0 1,2');
  });
});
