import type { CameraType, PutZonesRequest } from '@kuzet/contracts';
import type { Database } from '../../db/database.ts';
import type { ZonesService } from './zones.service.ts';

/**
 * Default detection zones of the demo complex: they work without tuning on the simulator.
 *
 * The simulator stamps every frame in a black strip at the top-left (sim/README.md "Frame
 * stamp": 43 × 3 blocks, i.e. x < 0.5375, y < 0.0667 of the picture at every size the simulator
 * renders but 1080p, where it is smaller) and the stamp changes every frame: the default zone is
 * the whole picture minus that strip (with a margin), so the stamp never counts as motion.
 */
export const STAMP_FREE_PICTURE: [number, number][] = [
  [0, 0.08],
  [0.56, 0.08],
  [0.56, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];

/**
 * The playground of the `playground-night` scene (the scenes helper's truth: sim/src/scenes/catalog.ts,
 * place `playground`, zone `playground`, on h/scenes at 3433825). The lead aligns it if the scene moves.
 */
export const PLAYGROUND_ZONE_POLYGON: [number, number][] = [
  [0.08, 0.4],
  [0.58, 0.4],
  [0.6, 0.78],
  [0.06, 0.78],
];

/** The basement door of the `basement-night` scene (zone `basement-door` in the truth). */
export const BASEMENT_DOOR_POLYGON: [number, number][] = [
  [0.54, 0.36],
  [0.78, 0.36],
  [0.82, 0.8],
  [0.5, 0.8],
];

const NIGHT = { kind: 'window' as const, from: '22:00', to: '06:00', days: [1, 2, 3, 4, 5, 6, 7] };
const PLAYGROUND_NIGHT = { kind: 'window' as const, from: '23:00', to: '06:00', days: [1, 2, 3, 4, 5, 6, 7] };

/** The zones of one demo camera from its simulator id (the path in its RTSP address) and type. */
export function demoZonesFor(simId: string, type: CameraType): PutZonesRequest {
  if (/playground/.test(simId)) return { enabled: true, zones: [{ name: 'Детская площадка', polygon: PLAYGROUND_ZONE_POLYGON, schedule: PLAYGROUND_NIGHT }] };
  if (/basement/.test(simId)) return { enabled: true, zones: [{ name: 'Дверь подвала', polygon: BASEMENT_DOOR_POLYGON, schedule: { kind: 'always' } }] };
  switch (type) {
    case 'playground':
      // The demo's playground camera (yard-3) shows the playground-night scene: the playground itself,
      // not the path behind it where people pass by.
      return { enabled: true, zones: [{ name: 'Детская площадка', polygon: PLAYGROUND_ZONE_POLYGON, schedule: PLAYGROUND_NIGHT }] };
    case 'yard':
    case 'parking':
      return { enabled: true, zones: [{ name: 'Двор ночью', polygon: STAMP_FREE_PICTURE, schedule: NIGHT }] };
    case 'perimeter':
      return { enabled: true, zones: [{ name: 'Периметр', polygon: STAMP_FREE_PICTURE, schedule: { kind: 'always' } }] };
    case 'entrance':
      return { enabled: true, zones: [{ name: 'Подъезд', polygon: STAMP_FREE_PICTURE, schedule: { kind: 'always' } }] };
    default:
      return { enabled: true, zones: [{ name: 'Кадр', polygon: STAMP_FREE_PICTURE, schedule: { kind: 'always' } }] };
  }
}

/** Gives every demo camera (rtsp://…/cam/<simId>/main) that has no zones yet its default ones. Returns how many. */
export async function seedDemoZones(db: Database, zones: ZonesService): Promise<number> {
  const cams = await db.selectFrom('cameras').select(['id', 'type', 'mainUrl']).where('deletedAt', 'is', null).execute();
  const withZones = new Set((await db.selectFrom('detectionZones').select('cameraId').distinct().execute()).map((r) => r.cameraId));
  let n = 0;
  for (const c of cams) {
    const simId = /\/cam\/([^/]+)\//.exec(c.mainUrl)?.[1];
    if (!simId || withZones.has(c.id)) continue;
    await zones.put(null, c.id, demoZonesFor(simId, c.type as CameraType));
    n++;
  }
  return n;
}
