/**
 * The demo camera set: yards, entrances, parking and perimeter, day and night, the
 * playground at night, two cameras behind a password (one Basic, one Digest) and one H.265
 * camera. Twelve cameras come from seven clips (cameras sharing a clip are shifted in
 * time), so a cold first start encodes seven scene clips only.
 */
import type { SimCamera } from './types.ts';

export const DEMO_CREDENTIALS = { username: 'admin', password: 'kuzet-demo' } as const;

const TEMPLATES: ReadonlyArray<Omit<SimCamera, 'id'> & { name: string }> = [
  { name: 'yard', scene: 'yard-day', codec: 'h264' },
  { name: 'entrance', scene: 'entrance-day', codec: 'h264' },
  { name: 'parking', scene: 'parking-day', codec: 'h264' },
  { name: 'perimeter', scene: 'perimeter-night', codec: 'h264' },
  { name: 'yard', scene: 'yard-night', codec: 'h264', auth: { kind: 'digest', ...DEMO_CREDENTIALS } },
  { name: 'entrance', scene: 'entrance-day', codec: 'h264' },
  { name: 'parking', scene: 'parking-day', codec: 'h264', auth: { kind: 'basic', ...DEMO_CREDENTIALS } },
  { name: 'perimeter', scene: 'perimeter-night', codec: 'h264' },
  // yard-3 hangs over the playground on the demo complex (server demo-cameras.ts): the
  // playground at night, someone entering it (zone `playground` in its truth)
  { name: 'yard', scene: 'playground-night', codec: 'h264' },
  { name: 'entrance', scene: 'entrance-night', codec: 'h265', main: '720p' },
  { name: 'parking', scene: 'parking-day', codec: 'h264' },
  { name: 'yard', scene: 'yard-night', codec: 'h264' },
];

/** `n` demo cameras with ids like `yard-1`, `entrance-2`; beyond twelve the set repeats. */
export function demoCameras(n = 12): SimCamera[] {
  const counters = new Map<string, number>();
  return Array.from({ length: n }, (_, i) => {
    const { name, ...rest } = TEMPLATES[i % TEMPLATES.length] as (typeof TEMPLATES)[number];
    const k = (counters.get(name) ?? 0) + 1;
    counters.set(name, k);
    // Sub stream keyframes every second, as a post sets its cameras' detection streams: the
    // detector samples sub keyframes on quiet scenes, so this bounds how late a figure is seen.
    return { id: `${name}-${k}`, subGopSeconds: 1 as const, ...rest, ...(rest.auth ? { auth: { ...rest.auth } } : {}) };
  });
}
