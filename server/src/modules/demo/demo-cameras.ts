import type { CameraType, CreateCameraRequest } from '@kuzet/contracts';
import { demoCameras } from '@kuzet/sim';
import type { DemoSite } from './site-generator.ts';

/** Demo credentials of the two password-protected simulated cameras (as in sim/src/demo.ts). */
export const DEMO_CAMERA_CREDENTIALS = { username: 'admin', password: 'kuzet-demo' } as const;

interface Placement {
  simId: string;
  name: string;
  type: CameraType;
  /** Either a point on the plan or an entrance (building order, entrance number). */
  at: [number, number] | { building: number; entrance: number };
  direction: number;
  fov: number;
  zone?: string;
  credentials?: boolean;
}

// Where the twelve simulated cameras hang on the demo complex (ids match sim demoCameras(12)).
const PLACEMENTS: Placement[] = [
  { simId: 'yard-1', name: 'Северный двор, обзор', type: 'yard', at: [66, 66], direction: 120, fov: 95, zone: 'Северный двор' },
  { simId: 'entrance-1', name: 'Блок 1, подъезд 2', type: 'entrance', at: { building: 1, entrance: 2 }, direction: 180, fov: 80 },
  { simId: 'parking-1', name: 'Гостевая парковка, въезд', type: 'parking', at: [361, 266], direction: 0, fov: 70, zone: 'Гостевая парковка' },
  { simId: 'perimeter-1', name: 'Периметр, северо-запад', type: 'perimeter', at: [23, 23], direction: 135, fov: 90, zone: 'Периметр' },
  { simId: 'yard-2', name: 'Южный двор, восток', type: 'yard', at: [290, 233], direction: 300, fov: 95, zone: 'Южный двор', credentials: true },
  { simId: 'entrance-2', name: 'Блок 6, подъезд 3', type: 'entrance', at: { building: 6, entrance: 3 }, direction: 0, fov: 80 },
  { simId: 'parking-2', name: 'Гостевая парковка, север', type: 'parking', at: [361, 44], direction: 180, fov: 70, zone: 'Гостевая парковка', credentials: true },
  { simId: 'perimeter-2', name: 'Периметр, юго-восток', type: 'perimeter', at: [397, 277], direction: 315, fov: 90, zone: 'Периметр' },
  { simId: 'yard-3', name: 'Детская площадка', type: 'playground', at: [180, 160], direction: 180, fov: 90, zone: 'Детская площадка' },
  { simId: 'entrance-3', name: 'Блок 4, подъезд 3', type: 'entrance', at: { building: 4, entrance: 3 }, direction: 270, fov: 80 },
  { simId: 'parking-3', name: 'Въезд в подземный паркинг', type: 'parking', at: [284, 84], direction: 0, fov: 60, zone: 'Подземный паркинг, въезд' },
  { simId: 'yard-4', name: 'Южный двор, запад', type: 'yard', at: [64, 234], direction: 45, fov: 95, zone: 'Южный двор' },
];

/** The demo cameras as registry entries, pointing at the simulator on `simPort`. */
export function demoCameraRequests(site: DemoSite, simPort: number, count: number): CreateCameraRequest[] {
  // Beyond the twelve placed by hand (a bigger demo, the live benchmark's wall), cameras
  // stand along the perimeter fence, looking inwards.
  const extra: Placement[] = demoCameras(count)
    .slice(PLACEMENTS.length)
    .map((c, i) => {
      const x = 30 + ((i * 37) % 360);
      return { simId: c.id, name: `Периметр, опора ${i + 1}`, type: 'perimeter' as const, at: [x, 278] as [number, number], direction: 0, fov: 90, zone: 'Периметр', credentials: !!c.auth };
    });
  return [...PLACEMENTS.slice(0, count), ...extra].map((p) => {
    let position: [number, number];
    let buildingId: string | null = null;
    let entranceId: string | null = null;
    if (Array.isArray(p.at)) position = p.at;
    else {
      const { building: order, entrance: number } = p.at;
      const building = site.buildings.find((b) => b.sortOrder === order)!;
      const entrance = site.entrances.find((e) => e.buildingId === building.id && e.number === number)!;
      buildingId = building.id;
      entranceId = entrance.id;
      position = entrance.position;
    }
    const zoneId = p.zone ? (site.zones.find((z) => z.name === p.zone)?.id ?? null) : null;
    const base = `rtsp://127.0.0.1:${simPort}/cam/${p.simId}`;
    return {
      name: p.name,
      type: p.type,
      buildingId,
      entranceId,
      zoneId,
      position,
      direction: p.direction,
      fieldOfView: p.fov,
      mainUrl: `${base}/main`,
      subUrl: `${base}/sub`,
      username: p.credentials ? DEMO_CAMERA_CREDENTIALS.username : null,
      password: p.credentials ? DEMO_CAMERA_CREDENTIALS.password : null,
      transport: 'auto',
      recordingPolicy: 'continuous',
      retentionDays: 30,
      enabled: true,
    };
  });
}
