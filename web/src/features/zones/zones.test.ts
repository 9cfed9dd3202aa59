import { describe, expect, it } from 'vitest';
import { PutZonesRequest, type CameraZones } from '@kuzet/contracts';
import { draftProblems, draftsOf, newZone, toRequest, wrapsMidnight, zonesNamedByError, type Pt, type ZoneDraft } from './zone-draft.ts';
import { centroid, inside, insertAfter, midpoints, minObjectSide, movePoint, removePoint, toNorm, translate, vertexAt } from './zone-geometry.ts';

const frame = { width: 640, height: 360 };
const square: Pt[] = [
  [0.1, 0.1],
  [0.5, 0.1],
  [0.5, 0.5],
  [0.1, 0.5],
];
const CAM = '11111111-1111-4111-8111-111111111111';
const ZONE = '44444444-4444-4444-8444-444444444444';

describe('zone geometry', () => {
  it('turns pointer pixels into normalized points, clamped to the picture', () => {
    expect(toNorm(320, 90, frame)).toEqual([0.5, 0.25]);
    expect(toNorm(-5, 400, frame)).toEqual([0, 1]);
  });
  it('finds the vertex under the pointer within the radius, nearest first', () => {
    expect(vertexAt(square, 64 + 3, 36 - 2, frame)).toBe(0);
    expect(vertexAt(square, 320, 180, frame)).toBe(2);
    expect(vertexAt(square, 200, 100, frame)).toBe(-1);
  });
  it('tells inside from outside', () => {
    expect(inside(square, [0.3, 0.3])).toBe(true);
    expect(inside(square, [0.6, 0.3])).toBe(false);
  });
  it('inserts at an edge midpoint, moves, removes (keeping three), translates within the picture', () => {
    const mids = midpoints(square);
    expect(mids[0]).toEqual([0.3, 0.1]);
    const five = insertAfter(square, 0, mids[0]!);
    expect(five).toHaveLength(5);
    expect(five[1]).toEqual([0.3, 0.1]);
    expect(movePoint(square, 2, [1.2, 0.6])[2]).toEqual([1, 0.6]);
    expect(removePoint(square, 1)).toHaveLength(3);
    expect(removePoint(removePoint(square, 1), 0)).toHaveLength(3);
    const moved = translate(square, 0.8, -0.5);
    expect(Math.max(...moved.map((p) => p[0]))).toBeCloseTo(1);
    expect(Math.min(...moved.map((p) => p[1]))).toBeCloseTo(0);
  });
  it('puts the centroid in the middle and sizes the min-object square by area', () => {
    const [cx, cy] = centroid(square);
    expect(cx).toBeCloseTo(0.3);
    expect(cy).toBeCloseTo(0.3);
    // 0.4 % of 640×360 = 921.6 px² → a 30.4 px square.
    expect(minObjectSide(0.004, frame)).toBeCloseTo(30.36, 1);
  });
});

describe('zone drafts', () => {
  const saved: CameraZones = {
    cameraId: CAM,
    enabled: true,
    zones: [
      {
        id: ZONE,
        cameraId: CAM,
        name: 'Площадка',
        kind: 'include',
        polygon: square,
        sensitivity: 6,
        minObjectSize: 0.004,
        schedule: { kind: 'window', from: '23:00', to: '06:00', days: [1, 2, 3, 4, 5, 6, 7] },
        cooldownSeconds: 30,
        enabled: true,
        createdAt: '2026-11-30T00:00:00.000Z',
        updatedAt: '2026-11-30T00:00:00.000Z',
      },
    ],
  };

  it('round-trips saved zones into a PUT body the contract accepts, keeping ids', () => {
    const drafts = draftsOf(saved);
    const body = toRequest(true, [...drafts, newZone([[0.6, 0.6], [0.9, 0.6], [0.8, 0.9]], 2, 'Зона')]);
    expect(body.zones[0]?.id).toBe(ZONE);
    expect(body.zones[1]).not.toHaveProperty('id');
    expect(PutZonesRequest.safeParse(body).success).toBe(true);
  });

  it('says what must be fixed before saving, as the server would', () => {
    const [zone] = draftsOf(saved) as [ZoneDraft];
    expect(draftProblems(zone, [zone])).toEqual([]);
    const other = { ...zone, key: 'x', id: null, name: ' площадка ' };
    expect(draftProblems(other, [zone, other]).map((p) => p.kind)).toContain('nameTwice');
    const bowtie: Pt[] = [[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]];
    const crossing = draftProblems({ ...zone, polygon: bowtie }, [zone]);
    expect(crossing.map((p) => p.kind)).toEqual(['shape']);
    expect(draftProblems({ ...zone, polygon: square.slice(0, 2) }, [zone])).toEqual([{ kind: 'points', count: 2 }]);
    expect(draftProblems({ ...zone, name: '' }, [zone]).map((p) => p.kind)).toEqual(['name']);
    expect(
      draftProblems({ ...zone, schedule: { kind: 'window', from: '22:00', to: '22:00', days: [] } }, [zone]).map((p) => p.kind),
    ).toEqual(['window', 'days']);
    expect(draftProblems({ ...zone, minObjectSize: 0.5, sensitivity: 11, cooldownSeconds: -1 }, [zone])).toHaveLength(3);
    // What the editor lets through, the contract lets through too.
    expect(PutZonesRequest.safeParse(toRequest(true, [zone])).success).toBe(true);
    expect(PutZonesRequest.safeParse(toRequest(true, [{ ...zone, polygon: bowtie }])).success).toBe(false);
  });

  it('reads which zone the server objected to', () => {
    const named = zonesNamedByError({
      fields: [
        { in: 'body', field: 'zones.2.polygon', message: 'Edges 1 and 3 cross each other' },
        { in: 'body', field: 'zones.2.name', message: 'Name the zone' },
        { in: 'body', field: 'enabled', message: 'x' },
      ],
    });
    expect([...named.entries()]).toEqual([[2, ['Edges 1 and 3 cross each other', 'Name the zone']]]);
    expect(zonesNamedByError(null).size).toBe(0);
  });

  it('knows an overnight window', () => {
    expect(wrapsMidnight({ kind: 'window', from: '23:00', to: '06:00', days: [1] })).toBe(true);
    expect(wrapsMidnight({ kind: 'window', from: '08:00', to: '18:00', days: [1] })).toBe(false);
    expect(wrapsMidnight({ kind: 'always' })).toBe(false);
  });
});
