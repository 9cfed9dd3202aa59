import {
  CheckInInput,
  ComplexIdParams,
  DayListQuery,
  EmptyQuery,
  PreventionCategoryList,
  PreventionList,
  PreventionRecord,
  PreventionRecordInput,
  ReasonQuery,
  RecordIdParams,
  RoundApartment,
  RoundApartmentParams,
  RoundCoverage,
  RoundIdParams,
  VisitOutcomeInput,
  VisitRound,
  VisitRoundInput,
  VisitRoundList,
  ResponsibleList,
} from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { PreventionService } from './prevention.service.ts';
import type { VisitsService } from './visits.service.ts';

export function preventionRoutes(app: App, prevention: PreventionService, visits: VisitsService): void {
  const tags = ['prevention'];
  app.get(
    '/api/v1/prevention/categories',
    { schema: { tags, querystring: EmptyQuery, response: { 200: PreventionCategoryList, ...errorResponses } } },
    async () => ({ items: await prevention.categories() }),
  );
  app.get(
    '/api/v1/complexes/:complexId/prevention/records',
    {
      schema: {
        tags,
        params: ComplexIdParams,
        querystring: EmptyQuery,
        response: { 200: PreventionList, ...errorResponses },
      },
    },
    async (req) => prevention.list(authOf(req).actor, req.params.complexId),
  );
  app.post(
    '/api/v1/complexes/:complexId/prevention/records',
    {
      schema: {
        tags,
        params: ComplexIdParams,
        body: PreventionRecordInput,
        response: { 201: PreventionRecord, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await prevention.create(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.get(
    '/api/v1/complexes/:complexId/prevention/day-list',
    {
      schema: {
        tags,
        params: ComplexIdParams,
        querystring: DayListQuery,
        response: { 200: PreventionList, ...errorResponses },
      },
    },
    async (req) => prevention.dayList(authOf(req).actor, req.params.complexId, req.query.inspectorId),
  );
  app.get(
    '/api/v1/complexes/:complexId/prevention/inspectors',
    { schema: { tags, params: ComplexIdParams, querystring: EmptyQuery, response: { 200: ResponsibleList, ...errorResponses } } },
    async (req) => ({ items: await prevention.responsible(req.params.complexId) }),
  );
  app.get(
    '/api/v1/prevention/records/:recordId',
    {
      schema: {
        tags,
        params: RecordIdParams,
        querystring: ReasonQuery,
        response: { 200: PreventionRecord, ...errorResponses },
      },
    },
    async (req) => prevention.card(authOf(req).actor, req.params.recordId, req.query.reason),
  );
  app.post(
    '/api/v1/prevention/records/:recordId/check-ins',
    {
      schema: {
        tags,
        params: RecordIdParams,
        body: CheckInInput,
        response: { 201: PreventionRecord, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await prevention.checkIn(authOf(req).actor, req.params.recordId, req.body)),
  );

  const visitTags = ['visits'];
  app.get(
    '/api/v1/complexes/:complexId/visit-rounds',
    {
      schema: {
        tags: visitTags,
        params: ComplexIdParams,
        querystring: EmptyQuery,
        response: { 200: VisitRoundList, ...errorResponses },
      },
    },
    async (req) => ({ items: await visits.list(req.params.complexId) }),
  );
  app.post(
    '/api/v1/complexes/:complexId/visit-rounds',
    {
      schema: {
        tags: visitTags,
        params: ComplexIdParams,
        body: VisitRoundInput,
        response: { 201: VisitRound, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await visits.create(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.get(
    '/api/v1/visit-rounds/:roundId',
    {
      schema: {
        tags: visitTags,
        params: RoundIdParams,
        querystring: EmptyQuery,
        response: { 200: VisitRound, ...errorResponses },
      },
    },
    async (req) => visits.round(req.params.roundId),
  );
  app.get(
    '/api/v1/visit-rounds/:roundId/coverage',
    {
      schema: {
        tags: visitTags,
        params: RoundIdParams,
        querystring: EmptyQuery,
        response: { 200: RoundCoverage, ...errorResponses },
      },
    },
    async (req) => visits.coverage(req.params.roundId),
  );
  app.put(
    '/api/v1/visit-rounds/:roundId/apartments/:apartmentId',
    {
      schema: {
        tags: visitTags,
        params: RoundApartmentParams,
        body: VisitOutcomeInput,
        response: { 200: RoundApartment, ...errorResponses },
      },
    },
    async (req) => visits.record(authOf(req).actor, req.params.roundId, req.params.apartmentId, req.body),
  );
}
