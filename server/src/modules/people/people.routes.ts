import {
  Caretaker,
  CaretakerIdParams,
  CaretakerInput,
  CaretakerUpdate,
  CompanyIdParams,
  ManagementCompany,
  ManagementCompanyInput,
  ManagementCompanyUpdate,
  PremiseIdParams,
  PremiseUpdate,
  ApartmentCard,
  ApartmentIdParams,
  ArchiveRequest,
  CardQuery,
  ComplexIdParams,
  EmptyBody,
  EmptyQuery,
  EraseRequest,
  Management,
  Ok,
  Person,
  PersonIdParams,
  PersonInput,
  PersonListQuery,
  PersonPage,
  PersonUpdate,
  Premise,
  PremiseInput,
  PremiseList,
  SearchQuery,
  SearchResult,
  Vehicle,
  VehicleInput,
} from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { PlacesService } from './people.places.ts';
import type { PeopleSearch } from './people.search.ts';
import type { PeopleService } from './people.service.ts';

export function peopleRoutes(app: App, people: PeopleService, search: PeopleSearch, places: PlacesService): void {
  const tags = ['people'];
  app.get(
    '/api/v1/complexes/:complexId/people/search',
    { schema: { tags, params: ComplexIdParams, querystring: SearchQuery, response: { 200: SearchResult, ...errorResponses } } },
    async (req) => ({ items: await search.search(authOf(req).actor, req.params.complexId, req.query) }),
  );
  app.get(
    '/api/v1/complexes/:complexId/people',
    { schema: { tags, params: ComplexIdParams, querystring: PersonListQuery, response: { 200: PersonPage, ...errorResponses } } },
    async (req) => people.list(authOf(req).actor, req.params.complexId, req.query),
  );
  app.post(
    '/api/v1/complexes/:complexId/people',
    { schema: { tags, params: ComplexIdParams, body: PersonInput, response: { 201: Person, ...errorResponses } } },
    async (req, reply) => {
      const actor = authOf(req).actor;
      const id = await people.create(actor, req.params.complexId, req.body);
      return reply.status(201).send(await people.card(actor, id, 'created'));
    },
  );
  app.get(
    '/api/v1/people/:personId',
    { schema: { tags, params: PersonIdParams, querystring: CardQuery, response: { 200: Person, ...errorResponses } } },
    async (req) => people.card(authOf(req).actor, req.params.personId, req.query.reason),
  );
  app.patch(
    '/api/v1/people/:personId',
    { schema: { tags, params: PersonIdParams, body: PersonUpdate, response: { 200: Person, ...errorResponses } } },
    async (req) => people.update(authOf(req).actor, req.params.personId, req.body),
  );
  app.post(
    '/api/v1/people/:personId/archive',
    { schema: { tags, params: PersonIdParams, body: ArchiveRequest, response: { 200: Person, ...errorResponses } } },
    async (req) => people.archive(authOf(req).actor, req.params.personId, req.body.reason),
  );
  app.post(
    '/api/v1/people/:personId/erase',
    { schema: { tags, params: PersonIdParams, body: EraseRequest, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      await people.erase(authOf(req).actor, req.params.personId, req.body.reason);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/v1/apartments/:apartmentId/card',
    { schema: { tags, params: ApartmentIdParams, querystring: EmptyQuery, response: { 200: ApartmentCard, ...errorResponses } } },
    async (req) => people.apartmentCard(authOf(req).actor, req.params.apartmentId),
  );
  app.post(
    '/api/v1/complexes/:complexId/vehicles',
    { schema: { tags, params: ComplexIdParams, body: VehicleInput, response: { 201: Vehicle, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await people.createVehicle(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.get(
    '/api/v1/complexes/:complexId/premises',
    { schema: { tags, params: ComplexIdParams, querystring: EmptyQuery, response: { 200: PremiseList, ...errorResponses } } },
    async (req) => ({ items: await people.premises(req.params.complexId) }),
  );
  app.post(
    '/api/v1/complexes/:complexId/premises',
    { schema: { tags, params: ComplexIdParams, body: PremiseInput, response: { 201: Premise, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await people.createPremise(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.get(
    '/api/v1/complexes/:complexId/management',
    { schema: { tags, params: ComplexIdParams, querystring: EmptyQuery, response: { 200: Management, ...errorResponses } } },
    async (req) => people.management(req.params.complexId),
  );
  app.patch(
    '/api/v1/complexes/:complexId/premises/:premiseId',
    { schema: { tags, params: PremiseIdParams, body: PremiseUpdate, response: { 200: Premise, ...errorResponses } } },
    async (req) => places.updatePremise(authOf(req).actor, req.params.complexId, req.params.premiseId, req.body),
  );
  app.post(
    '/api/v1/complexes/:complexId/management/companies',
    { schema: { tags, params: ComplexIdParams, body: ManagementCompanyInput, response: { 201: ManagementCompany, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await places.createCompany(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.patch(
    '/api/v1/complexes/:complexId/management/companies/:companyId',
    { schema: { tags, params: CompanyIdParams, body: ManagementCompanyUpdate, response: { 200: ManagementCompany, ...errorResponses } } },
    async (req) => places.updateCompany(authOf(req).actor, req.params.complexId, req.params.companyId, req.body),
  );
  app.post(
    '/api/v1/complexes/:complexId/management/caretakers',
    { schema: { tags, params: ComplexIdParams, body: CaretakerInput, response: { 201: Caretaker, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await places.createCaretaker(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.patch(
    '/api/v1/complexes/:complexId/management/caretakers/:caretakerId',
    { schema: { tags, params: CaretakerIdParams, body: CaretakerUpdate, response: { 200: Caretaker, ...errorResponses } } },
    async (req) => places.updateCaretaker(authOf(req).actor, req.params.complexId, req.params.caretakerId, req.body),
  );
  app.delete(
    '/api/v1/complexes/:complexId/management/caretakers/:caretakerId',
    { schema: { tags, params: CaretakerIdParams, body: EmptyBody, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      await places.deleteCaretaker(authOf(req).actor, req.params.complexId, req.params.caretakerId);
      return { ok: true as const };
    },
  );
}
