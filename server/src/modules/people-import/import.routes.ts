import { ComplexIdParams, EmptyBody, EmptyQuery, ImportIdParams, ImportJob, ImportMissingPage, ImportRowPage, ImportRowsQuery, ImportUpload, PageQuery } from '@kuzet/contracts';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { PeopleImportService } from './import.service.ts';

/** A 10,000-row XLSX is about 0.5 MB, as base64 0.7 MB: room for lists of 100,000 and more. (route-samples.ts repeats it.) */
const UPLOAD_LIMIT = 16 * 1024 * 1024;

export function peopleImportRoutes(app: App, imports: PeopleImportService): void {
  const tags = ['people'];
  const base = '/api/v1/complexes/:complexId/people/imports';
  app.post(
    base,
    { bodyLimit: UPLOAD_LIMIT, schema: { tags, params: ComplexIdParams, body: ImportUpload, response: { 202: ImportJob, ...errorResponses } } },
    async (req, reply) => {
      const data = Buffer.from(req.body.data, 'base64');
      if (!data.length) throw new DomainError('IMPORT_FILE_UNREADABLE');
      return reply.status(202).send(imports.start(authOf(req).actor, req.params.complexId, req.body.fileName, data));
    },
  );
  app.get(
    `${base}/:importId`,
    { schema: { tags, params: ImportIdParams, querystring: EmptyQuery, response: { 200: ImportJob, ...errorResponses } } },
    async (req) => imports.job(req.params.complexId, req.params.importId),
  );
  app.get(
    `${base}/:importId/rows`,
    { schema: { tags, params: ImportIdParams, querystring: ImportRowsQuery, response: { 200: ImportRowPage, ...errorResponses } } },
    async (req) => imports.rows(req.params.complexId, req.params.importId, req.query),
  );
  app.get(
    `${base}/:importId/missing`,
    { schema: { tags, params: ImportIdParams, querystring: PageQuery, response: { 200: ImportMissingPage, ...errorResponses } } },
    async (req) => imports.missing(authOf(req).actor, req.params.complexId, req.params.importId, req.query),
  );
  app.post(
    `${base}/:importId/confirm`,
    { schema: { tags, params: ImportIdParams, body: EmptyBody, response: { 200: ImportJob, ...errorResponses } } },
    async (req) => imports.confirm(authOf(req).actor, req.params.complexId, req.params.importId),
  );
  app.get(
    '/api/v1/complexes/:complexId/people/export',
    { schema: { tags, params: ComplexIdParams, querystring: EmptyQuery, response: { 200: z.string().describe('CSV: UTF-8 with BOM, `;` separated'), ...errorResponses } } },
    async (req, reply) => {
      const csv = await imports.export(authOf(req).actor, req.params.complexId);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="residents.csv"')
        .header('cache-control', 'no-store')
        .send(csv.toString('utf8'));
    },
  );
}
