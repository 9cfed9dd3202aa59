import { ComplexIdParams, CreateIncidentRequest, EmptyQuery, Incident, IncidentIdParams, IncidentListQuery, IncidentPage, IncidentTypeList } from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { IncidentsService } from './incidents.service.ts';

/** The incident journal (minimal routes of issue 10 on issue 11's final table shape). */
export function incidentsRoutes(app: App, incidents: IncidentsService): void {
  const tags = ['incidents'];
  app.get('/api/v1/incident-types', { schema: { tags, querystring: EmptyQuery, response: { 200: IncidentTypeList, ...errorResponses } } }, async () => ({ items: await incidents.types() }));
  app.get(
    '/api/v1/complexes/:complexId/incidents',
    { schema: { tags, params: ComplexIdParams, querystring: IncidentListQuery, response: { 200: IncidentPage, ...errorResponses } } },
    async (req) => incidents.list(req.params.complexId, req.query),
  );
  app.post(
    '/api/v1/complexes/:complexId/incidents',
    { schema: { tags, params: ComplexIdParams, body: CreateIncidentRequest, response: { 201: Incident, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await incidents.create(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.get(
    '/api/v1/incidents/:incidentId',
    { schema: { tags, params: IncidentIdParams, querystring: EmptyQuery, response: { 200: Incident, ...errorResponses } } },
    async (req) => incidents.get(req.params.incidentId),
  );
}
