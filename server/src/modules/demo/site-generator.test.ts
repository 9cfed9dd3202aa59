import { describe, expect, it } from 'vitest';
import { generateDemoSite } from './site-generator.ts';

describe('demo site generator', () => {
  it('is deterministic', () => {
    expect(generateDemoSite()).toEqual(generateDemoSite());
    expect(generateDemoSite(1).buildings.map((b) => b.floors)).not.toEqual(generateDemoSite(2).buildings.map((b) => b.floors));
  });
  it('builds a realistic complex: ~6 buildings of 9–16 floors, 4–6 entrances, ~1,500 apartments', () => {
    const s = generateDemoSite();
    expect(s.buildings).toHaveLength(6);
    for (const b of s.buildings) {
      expect(b.floors).toBeGreaterThanOrEqual(9);
      expect(b.floors).toBeLessThanOrEqual(16);
      const entrances = s.entrances.filter((e) => e.buildingId === b.id);
      expect(entrances.length).toBeGreaterThanOrEqual(4);
      expect(entrances.length).toBeLessThanOrEqual(6);
    }
    expect(s.apartments.length).toBeGreaterThan(1100);
    expect(s.apartments.length).toBeLessThan(2200);
    expect(new Set(s.apartments.map((a) => a.id)).size).toBe(s.apartments.length);
    const kinds = new Set(s.zones.map((z) => z.kind));
    for (const k of ['yard', 'playground', 'parking', 'perimeter'] as const) expect(kinds.has(k)).toBe(true);
    for (const z of s.zones) for (const [x, y] of z.polygon) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(s.complex.planWidth);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(s.complex.planHeight);
    }
  });
});
