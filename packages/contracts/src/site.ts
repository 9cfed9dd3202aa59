import { z } from 'zod';
import { Id, PageQuery, pageOf } from './common.ts';

/** A point on the site plan, in plan units (metres from the plan's top-left corner). */
export const Point = z.tuple([z.number().finite(), z.number().finite()]);
export type Point = z.infer<typeof Point>;
export const Polygon = z.array(Point).min(3).max(200);

export const District = z.strictObject({ id: Id, name: z.string(), city: z.string() });
export type District = z.infer<typeof District>;

export const Complex = z.strictObject({
  id: Id,
  districtId: Id,
  name: z.string(),
  address: z.string(),
  buildingCount: z.number().int(),
  apartmentCount: z.number().int(),
});
export type Complex = z.infer<typeof Complex>;
export const ComplexList = z.strictObject({ items: z.array(Complex) });
export const ComplexIdParams = z.strictObject({ complexId: Id });

export const Entrance = z.strictObject({
  id: Id,
  buildingId: Id,
  number: z.number().int(),
  position: Point,
  apartmentCount: z.number().int(),
});
export type Entrance = z.infer<typeof Entrance>;

export const Building = z.strictObject({
  id: Id,
  complexId: Id,
  name: z.string(),
  address: z.string(),
  floors: z.number().int(),
  footprint: Polygon,
  entrances: z.array(Entrance),
});
export type Building = z.infer<typeof Building>;
export const BuildingIdParams = z.strictObject({ buildingId: Id });

export const zoneKinds = ['yard', 'playground', 'parking', 'perimeter', 'roof', 'basement', 'other'] as const;
export const ZoneKind = z.enum(zoneKinds);
export type ZoneKind = z.infer<typeof ZoneKind>;

export const Zone = z.strictObject({ id: Id, complexId: Id, name: z.string(), kind: ZoneKind, polygon: Polygon });
export type Zone = z.infer<typeof Zone>;
export const ZoneIdParams = z.strictObject({ complexId: Id, zoneId: Id });
export const CreateZoneRequest = z.strictObject({
  name: z.string().trim().min(1).max(120),
  kind: ZoneKind,
  polygon: Polygon,
});
export const UpdateZoneRequest = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  kind: ZoneKind.optional(),
  polygon: Polygon.optional(),
});

export const SitePlan = z.strictObject({
  complex: Complex,
  width: z.number(),
  height: z.number(),
  /** Background drawing (SVG markup) in the plan's coordinate system; null when none was uploaded. */
  backgroundSvg: z.string().nullable(),
  buildings: z.array(Building),
  zones: z.array(Zone),
});
export type SitePlan = z.infer<typeof SitePlan>;

export const Apartment = z.strictObject({
  id: Id,
  buildingId: Id,
  entranceId: Id,
  entranceNumber: z.number().int(),
  floor: z.number().int(),
  number: z.string(),
  rooms: z.number().int().nullable(),
});
export type Apartment = z.infer<typeof Apartment>;
export const ApartmentPage = pageOf(Apartment);
export const ApartmentQuery = PageQuery.extend({
  entrance: z.coerce.number().int().min(1).max(50).optional(),
  floor: z.coerce.number().int().min(-5).max(200).optional(),
});
