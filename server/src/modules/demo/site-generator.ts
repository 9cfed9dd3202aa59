import type { ZoneKind } from '@kuzet/contracts';
import { intBetween, rng, stableUuid } from './random.ts';

type Pt = [number, number];

export interface DemoSite {
  district: { id: string; name: string; city: string };
  complex: { id: string; districtId: string; name: string; address: string; planWidth: number; planHeight: number; planSvg: string };
  buildings: { id: string; complexId: string; name: string; address: string; floors: number; footprint: Pt[]; sortOrder: number }[];
  entrances: { id: string; complexId: string; buildingId: string; number: number; position: Pt }[];
  apartments: { id: string; complexId: string; buildingId: string; entranceId: string; floor: number; number: string; rooms: number }[];
  zones: { id: string; complexId: string; name: string; kind: ZoneKind; polygon: Pt[] }[];
}

const WIDTH = 420;
const HEIGHT = 300;
const STREET = 'ул. Тимирязева';

/** Buildings laid around two yards: x, y, width, depth (metres), long side along x. */
const LAYOUT: { x: number; y: number; w: number; d: number }[] = [
  { x: 40, y: 40, w: 110, d: 16 },
  { x: 40, y: 130, w: 16, d: 100 },
  { x: 170, y: 40, w: 100, d: 16 },
  { x: 300, y: 40, w: 16, d: 110 },
  { x: 300, y: 170, w: 16, d: 90 },
  { x: 120, y: 244, w: 150, d: 16 },
];

/**
 * The demo complex: a fictional "city within a city" in Almaty's Bostandyk district.
 * Deterministic: the same seed gives the same buildings, apartments and ids.
 */
export function generateDemoSite(seed = 2026): DemoSite {
  const r = rng(seed);
  const district = { id: stableUuid('district'), name: 'Бостандыкский район', city: 'Алматы' };
  const complexId = stableUuid('complex');
  const site: DemoSite = {
    district,
    complex: {
      id: complexId,
      districtId: district.id,
      name: 'ЖК «Алатау Сити»',
      address: `г. Алматы, ${STREET}, 200`,
      planWidth: WIDTH,
      planHeight: HEIGHT,
      planSvg: backgroundSvg(),
    },
    buildings: [],
    entrances: [],
    apartments: [],
    zones: [],
  };

  LAYOUT.forEach((l, bi) => {
    const n = bi + 1;
    const buildingId = stableUuid(`building:${n}`);
    const floors = intBetween(r, 9, 16);
    const entranceCount = intBetween(r, 4, 6);
    const horizontal = l.w >= l.d;
    site.buildings.push({
      id: buildingId,
      complexId,
      name: `Блок ${n}`,
      address: `г. Алматы, ${STREET}, 200/${n}`,
      floors,
      footprint: [
        [l.x, l.y],
        [l.x + l.w, l.y],
        [l.x + l.w, l.y + l.d],
        [l.x, l.y + l.d],
      ],
      sortOrder: n,
    });
    let aptNo = 1;
    for (let e = 1; e <= entranceCount; e++) {
      const entranceId = stableUuid(`entrance:${n}:${e}`);
      const along = (e - 0.5) / entranceCount;
      // Entrances face the yard: the inner side of the building.
      const position: Pt = horizontal
        ? [round(l.x + l.w * along), l.y < HEIGHT / 2 ? l.y + l.d : l.y]
        : [l.x < WIDTH / 2 ? l.x + l.w : l.x, round(l.y + l.d * along)];
      site.entrances.push({ id: entranceId, complexId, buildingId, number: e, position });
      const perFloor = 4;
      // Ground floor of the yard-facing blocks holds shops and offices: apartments start on floor 2.
      for (let floor = 2; floor <= floors; floor++) {
        for (let k = 0; k < perFloor; k++) {
          site.apartments.push({
            id: stableUuid(`apartment:${n}:${aptNo}`),
            complexId,
            buildingId,
            entranceId,
            floor,
            number: String(aptNo),
            rooms: 1 + Math.floor(r() * 4),
          });
          aptNo++;
        }
      }
    }
  });

  const zone = (key: string, name: string, kind: ZoneKind, polygon: Pt[]) =>
    site.zones.push({ id: stableUuid(`zone:${key}`), complexId, name, kind, polygon });
  zone('perimeter', 'Периметр', 'perimeter', [
    [20, 20],
    [400, 20],
    [400, 280],
    [20, 280],
  ]);
  zone('yard-north', 'Северный двор', 'yard', [
    [62, 62],
    [292, 62],
    [292, 140],
    [62, 140],
  ]);
  zone('yard-south', 'Южный двор', 'yard', [
    [62, 150],
    [292, 150],
    [292, 236],
    [62, 236],
  ]);
  zone('playground', 'Детская площадка', 'playground', [
    [150, 165],
    [210, 165],
    [210, 215],
    [150, 215],
  ]);
  zone('parking', 'Гостевая парковка', 'parking', [
    [330, 40],
    [392, 40],
    [392, 270],
    [330, 270],
  ]);
  zone('basement-1', 'Подземный паркинг, въезд', 'basement', [
    [276, 62],
    [292, 62],
    [292, 80],
    [276, 80],
  ]);
  return site;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function backgroundSvg(): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#20262e"/>`,
    `<rect x="0" y="284" width="${WIDTH}" height="16" fill="#3a3f47"/>`,
    `<rect x="404" y="0" width="16" height="${HEIGHT}" fill="#3a3f47"/>`,
    `<rect x="62" y="62" width="230" height="174" fill="#24352a"/>`,
    `<path d="M62 145 H292" stroke="#4a5560" stroke-width="3" stroke-dasharray="6 4"/>`,
    `</svg>`,
  ].join('');
}
