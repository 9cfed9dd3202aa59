/**
 * The scene catalog: places (a drawn background plus actors) × lighting variants.
 * Everything is in normalised coordinates (0..1 of the canvas) and normalised loop time
 * (0..1 of the loop) so one description renders at any size and loop length; the same
 * numbers drive the ffmpeg expressions (filtergraph.ts) and the ground truth (truth.ts).
 */

export type Variant = 'day' | 'night' | 'dusk';

/** A detection zone the scene is built around (normalised polygon, convex), given in the truth. */
export interface Zone {
  id: string;
  polygon: Array<[number, number]>;
}

/** A headlight beam sweeping across the picture (added light, soft-edged); normalised. */
export interface Sweep {
  t0: number;
  t1: number;
  /** centre of the lit area at t0 and t1 */
  fromX: number;
  toX: number;
  y: number;
  /** size of the lit area */
  w: number;
  h: number;
}

/** Whole-picture effects of a scene: stronger sensor noise, rain, headlights, an infrared switch. */
export interface SceneEffects {
  /** sensor noise strength (default: day 6, dusk 12, night 18) */
  noise?: number;
  /** rain-like streaks: ~1 % of a grid of 6×30-pixel (at 1080p) cells lit per frame, at random */
  rain?: boolean;
  headlights?: Sweep[];
  /** the camera is in infrared (gray, brighter, higher contrast) from `from` to `to` (loop fractions) */
  infrared?: { from: number; to: number };
}

/** An axis-aligned rectangle painted into the still background. */
export interface Paint {
  x: number;
  y: number;
  w: number;
  h: number;
  color: string; // 0xRRGGBB
}

export interface Walker {
  kind: 'person';
  id: string;
  /** feet position (bottom centre) at t0 and t1; may start/end off-screen */
  from: [number, number];
  to: [number, number];
  t0: number;
  t1: number;
  /** figure height as a fraction of the canvas height */
  height: number;
  /** steps per second: legs and arms swing, so the silhouette changes shape */
  gaitHz: number;
  /** clothing texture: elementary cellular automaton [rule, seed] tinted by [du, dv] chroma offsets */
  texture: [number, number, number, number];
}

export interface Car {
  kind: 'car';
  id: string;
  /** bottom edge of the car */
  y: number;
  /** +1 drives right, -1 drives left; enters and leaves fully off-screen */
  dir: 1 | -1;
  t0: number;
  t1: number;
  length: number;
  height: number;
  color: string;
}

export type Actor = Walker | Car;

export interface Place {
  id: string;
  title: string;
  base: string;
  paint: Paint[];
  actors: Actor[];
  /** zones the scene is scripted around (the truth lists them and who enters them) */
  zones?: Zone[];
}

const windows = (x0: number, y0: number, cols: number, rows: number, dx: number, dy: number): Paint[] => {
  const out: Paint[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      out.push({ x: x0 + c * dx, y: y0 + r * dy, w: dx * 0.55, h: dy * 0.55, color: '0x2b3a4a' });
  }
  return out;
};

const stripes = (x0: number, y: number, n: number, dx: number, w: number, h: number, color: string): Paint[] =>
  Array.from({ length: n }, (_, i) => ({ x: x0 + i * dx, y, w, h, color }));

export const PLACES: readonly Place[] = [
  {
    id: 'yard',
    title: 'Courtyard between two buildings',
    base: '0x4f6b3a',
    paint: [
      { x: 0, y: 0, w: 1, h: 0.34, color: '0x8c7b6b' },
      ...windows(0.04, 0.04, 12, 3, 0.08, 0.1),
      { x: 0, y: 0.6, w: 1, h: 0.2, color: '0x9a9890' },
      { x: 0.08, y: 0.42, w: 0.14, h: 0.1, color: '0xb8a27a' }, // sandbox
      { x: 0.7, y: 0.45, w: 0.12, h: 0.025, color: '0x5a3d28' }, // bench
    ],
    actors: [
      {
        kind: 'person',
        id: 'p1',
        from: [-0.05, 0.78],
        to: [1.05, 0.76],
        t0: 0.04,
        t1: 0.56,
        height: 0.3,
        gaitHz: 1.8,
        texture: [110, 3, 20, -10],
      },
      {
        kind: 'person',
        id: 'p2',
        from: [1.05, 0.66],
        to: [-0.05, 0.7],
        t0: 0.36,
        t1: 0.94,
        height: 0.26,
        gaitHz: 1.6,
        texture: [30, 5, -15, 25],
      },
      {
        kind: 'person',
        id: 'p3',
        from: [0.72, 0.5],
        to: [0.3, 1.12],
        t0: 0.55,
        t1: 0.97,
        height: 0.32,
        gaitHz: 2.0,
        texture: [90, 7, 10, 10],
      },
    ],
  },
  {
    id: 'entrance',
    title: 'Building entrance with a door and steps',
    base: '0x6f6f6a',
    paint: [
      { x: 0, y: 0, w: 1, h: 0.6, color: '0xa08c74' },
      ...windows(0.05, 0.05, 4, 2, 0.09, 0.16),
      ...windows(0.64, 0.05, 4, 2, 0.09, 0.16),
      { x: 0.43, y: 0.22, w: 0.14, h: 0.38, color: '0x3b2a1e' }, // door
      { x: 0.38, y: 0.6, w: 0.24, h: 0.04, color: '0x8a8a86' }, // step
      { x: 0.35, y: 0.64, w: 0.3, h: 0.04, color: '0x7e7e7a' },
    ],
    actors: [
      {
        kind: 'person',
        id: 'p1',
        from: [0.5, 0.62],
        to: [0.2, 1.15],
        t0: 0.08,
        t1: 0.42,
        height: 0.34,
        gaitHz: 1.8,
        texture: [110, 3, 20, -10],
      },
      {
        kind: 'person',
        id: 'p2',
        from: [1.06, 0.92],
        to: [0.52, 0.64],
        t0: 0.46,
        t1: 0.8,
        height: 0.33,
        gaitHz: 1.7,
        texture: [150, 11, -20, -5],
      },
      {
        kind: 'person',
        id: 'p3',
        from: [-0.05, 0.95],
        to: [1.05, 0.9],
        t0: 0.6,
        t1: 0.98,
        height: 0.36,
        gaitHz: 2.1,
        texture: [54, 13, 25, 20],
      },
    ],
  },
  {
    id: 'parking',
    title: 'Parking lot with a driving lane',
    base: '0x3c3c3e',
    paint: [
      ...stripes(0.02, 0.12, 9, 0.11, 0.006, 0.26, '0xd8d8d0'),
      { x: 0.035, y: 0.2, w: 0.08, h: 0.15, color: '0x6a1f1f' }, // parked cars
      { x: 0.255, y: 0.21, w: 0.08, h: 0.14, color: '0x1f3a6a' },
      { x: 0.585, y: 0.2, w: 0.08, h: 0.15, color: '0xb0b0b0' },
      { x: 0, y: 0.54, w: 1, h: 0.008, color: '0xd8c040' },
      ...stripes(0.0, 0.86, 10, 0.1, 0.05, 0.01, '0xd8d8d0'),
    ],
    actors: [
      { kind: 'car', id: 'c1', y: 0.8, dir: 1, t0: 0.06, t1: 0.3, length: 0.24, height: 0.14, color: '0xa02020' },
      { kind: 'car', id: 'c2', y: 0.72, dir: -1, t0: 0.42, t1: 0.7, length: 0.22, height: 0.13, color: '0x2a5aa0' },
      { kind: 'car', id: 'c3', y: 0.82, dir: 1, t0: 0.74, t1: 0.96, length: 0.26, height: 0.15, color: '0xd0d0c8' },
      {
        kind: 'person',
        id: 'p1',
        from: [0.62, 0.5],
        to: [0.25, 1.1],
        t0: 0.28,
        t1: 0.74,
        height: 0.3,
        gaitHz: 1.7,
        texture: [110, 3, 20, -10],
      },
    ],
  },
  {
    id: 'perimeter',
    title: 'Fence line at the edge of the complex',
    base: '0x44573a',
    paint: [
      { x: 0, y: 0, w: 1, h: 0.3, color: '0x5d6b78' },
      { x: 0, y: 0.3, w: 1, h: 0.015, color: '0x2e2e2e' },
      { x: 0, y: 0.45, w: 1, h: 0.015, color: '0x2e2e2e' },
      ...stripes(0.01, 0.25, 20, 0.05, 0.008, 0.3, '0x2e2e2e'),
      { x: 0.84, y: 0.05, w: 0.012, h: 0.6, color: '0x505050' }, // lamp post
    ],
    actors: [
      {
        kind: 'person',
        id: 'p1',
        from: [-0.05, 0.7],
        to: [1.05, 0.64],
        t0: 0.4,
        t1: 0.9,
        height: 0.28,
        gaitHz: 1.9,
        texture: [90, 7, 10, 10],
      },
    ],
  },
  {
    id: 'quiet',
    title: 'Empty courtyard: nothing moves (sensor noise only)',
    base: '0x4f6b3a',
    paint: [
      { x: 0, y: 0, w: 1, h: 0.34, color: '0x8c7b6b' },
      ...windows(0.04, 0.04, 12, 3, 0.08, 0.1),
      { x: 0, y: 0.6, w: 1, h: 0.2, color: '0x9a9890' },
    ],
    actors: [],
  },
  {
    id: 'playground',
    title: 'Playground in a courtyard; a path behind it',
    base: '0x41603a',
    paint: [
      { x: 0, y: 0, w: 1, h: 0.2, color: '0x8c7b6b' },
      ...windows(0.04, 0.02, 12, 2, 0.08, 0.08),
      { x: 0, y: 0.24, w: 1, h: 0.1, color: '0x9a9890' }, // the path behind the playground
      { x: 0.1, y: 0.42, w: 0.46, h: 0.34, color: '0xb8a27a' }, // sand
      { x: 0.14, y: 0.46, w: 0.012, h: 0.2, color: '0x704020' }, // swing frame
      { x: 0.26, y: 0.46, w: 0.012, h: 0.2, color: '0x704020' },
      { x: 0.14, y: 0.46, w: 0.132, h: 0.012, color: '0x704020' },
      { x: 0.19, y: 0.6, w: 0.04, h: 0.01, color: '0x303030' }, // swing seat
      { x: 0.36, y: 0.5, w: 0.1, h: 0.02, color: '0xc03020' }, // slide
      { x: 0.44, y: 0.5, w: 0.012, h: 0.16, color: '0x606060' },
      { x: 0.36, y: 0.52, w: 0.012, h: 0.16, color: '0x606060' },
      { x: 0.72, y: 0.55, w: 0.12, h: 0.025, color: '0x5a3d28' }, // bench outside the playground
    ],
    zones: [
      {
        id: 'playground',
        polygon: [
          [0.08, 0.4],
          [0.58, 0.4],
          [0.6, 0.78],
          [0.06, 0.78],
        ],
      },
    ],
    actors: [
      // walks in from the right, across the playground, and out on the left
      {
        kind: 'person',
        id: 'p1',
        from: [1.05, 0.74],
        to: [-0.05, 0.62],
        t0: 0.08,
        t1: 0.6,
        height: 0.28,
        gaitHz: 1.8,
        texture: [110, 3, 20, -10],
      },
      // passes along the path behind it, never inside the zone
      {
        kind: 'person',
        id: 'p2',
        from: [-0.05, 0.32],
        to: [1.05, 0.33],
        t0: 0.42,
        t1: 0.96,
        height: 0.16,
        gaitHz: 1.6,
        texture: [30, 5, -15, 25],
      },
    ],
  },
  {
    id: 'basement',
    title: 'Back wall of a building with the basement door',
    base: '0x5a5a56',
    paint: [
      { x: 0, y: 0, w: 1, h: 0.62, color: '0x9a8a78' },
      ...windows(0.05, 0.06, 10, 2, 0.095, 0.16),
      { x: 0.6, y: 0.4, w: 0.12, h: 0.3, color: '0x2a2620' }, // basement door (below ground level)
      { x: 0.58, y: 0.38, w: 0.16, h: 0.02, color: '0x6a6a66' }, // lintel
      { x: 0.56, y: 0.62, w: 0.2, h: 0.1, color: '0x70706c' }, // ramp down to it
      { x: 0.1, y: 0.7, w: 0.04, h: 0.08, color: '0x3a4a2a' }, // bin
    ],
    zones: [
      {
        id: 'basement-door',
        polygon: [
          [0.54, 0.36],
          [0.78, 0.36],
          [0.82, 0.8],
          [0.5, 0.8],
        ],
      },
    ],
    actors: [
      // walks up to the door and goes in
      {
        kind: 'person',
        id: 'p1',
        from: [0.22, 1.12],
        to: [0.66, 0.72],
        t0: 0.1,
        t1: 0.55,
        height: 0.3,
        gaitHz: 1.7,
        texture: [90, 7, 10, 10],
      },
    ],
  },
];

/** Scenes that are not `<place>-<day|night>`: a place with whole-picture effects. */
export const SPECIAL_SCENES: ReadonlyArray<{ id: string; place: string; variant: Variant; effects: SceneEffects }> = [
  { id: 'quiet-noisy-night', place: 'quiet', variant: 'night', effects: { noise: 34, rain: true } },
  {
    id: 'headlights-night',
    place: 'quiet',
    variant: 'night',
    effects: {
      headlights: [
        { t0: 0.15, t1: 0.32, fromX: -0.3, toX: 1.3, y: 0.62, w: 0.6, h: 0.55 },
        { t0: 0.6, t1: 0.74, fromX: 1.3, toX: -0.3, y: 0.7, w: 0.7, h: 0.5 },
      ],
    },
  },
  { id: 'ir-switch', place: 'quiet', variant: 'dusk', effects: { infrared: { from: 0.3, to: 0.7 } } },
];

export interface SceneRef {
  id: string;
  place: Place;
  variant: Variant;
  effects: SceneEffects;
}

/**
 * Scene ids are `<place>-<day|night>`, e.g. `yard-day`, `parking-night`, then the special
 * scenes. New scenes go at the end: a scene's default stamp id is its index + 1.
 */
export function sceneIds(): string[] {
  return [...PLACES.flatMap((p) => [`${p.id}-day`, `${p.id}-night`]), ...SPECIAL_SCENES.map((s) => s.id)];
}

export function findScene(id: string): SceneRef | undefined {
  const special = SPECIAL_SCENES.find((s) => s.id === id);
  if (special) {
    const place = PLACES.find((p) => p.id === special.place);
    return place ? { id, place, variant: special.variant, effects: special.effects } : undefined;
  }
  const m = /^([a-z]+)-(day|night)$/.exec(id);
  if (!m) return undefined;
  const place = PLACES.find((p) => p.id === m[1]);
  return place ? { id, place, variant: m[2] as Variant, effects: {} } : undefined;
}
