import {
  ApartmentPage,
  ApartmentQuery,
  Building,
  BuildingIdParams,
  ComplexIdParams,
  ComplexList,
  CreateZoneRequest,
  EmptyBody,
  EmptyQuery,
  Ok,
  SitePlan,
  UpdateZoneRequest,
  Zone,
  ZoneIdParams,
} from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { SiteService } from './site.service.ts';

export function siteRoutes(app: App, site: SiteService): void {
  const tags = ['site'];
  app.get('/api/v1/complexes', { schema: { tags, querystring: EmptyQuery, response: { 200: ComplexList, ...errorResponses } } }, async (req) => ({
    items: await site.complexes(authOf(req).actor),
  }));
  app.get(
    '/api/v1/complexes/:complexId/site-plan',
    { schema: { tags, params: ComplexIdParams, querystring: EmptyQuery, response: { 200: SitePlan, ...errorResponses } } },
    async (req) => site.sitePlan(req.params.complexId),
  );
  app.get('/api/v1/buildings/:buildingId', { schema: { tags, params: BuildingIdParams, querystring: EmptyQuery, response: { 200: Building, ...errorResponses } } }, async (req) =>
    site.building(req.params.buildingId),
  );
  app.get(
    '/api/v1/buildings/:buildingId/apartments',
    { schema: { tags, params: BuildingIdParams, querystring: ApartmentQuery, response: { 200: ApartmentPage, ...errorResponses } } },
    async (req) => site.apartments(req.params.buildingId, req.query),
  );
  app.post(
    '/api/v1/complexes/:complexId/zones',
    { schema: { tags, params: ComplexIdParams, body: CreateZoneRequest, response: { 201: Zone, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await site.createZone(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.patch(
    '/api/v1/complexes/:complexId/zones/:zoneId',
    { schema: { tags, params: ZoneIdParams, body: UpdateZoneRequest, response: { 200: Zone, ...errorResponses } } },
    async (req) => site.updateZone(authOf(req).actor, req.params.complexId, req.params.zoneId, req.body),
  );
  app.delete(
    '/api/v1/complexes/:complexId/zones/:zoneId',
    { schema: { tags, params: ZoneIdParams, body: EmptyBody, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      await site.deleteZone(authOf(req).actor, req.params.complexId, req.params.zoneId);
      return { ok: true as const };
    },
  );
}
