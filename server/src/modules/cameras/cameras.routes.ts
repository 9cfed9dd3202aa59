import {
  Camera,
  CameraGrant,
  CameraGrantList,
  CameraGrantParams,
  CameraIdParams,
  CameraImportReport,
  CameraImportRequest,
  CameraListQuery,
  CameraPage,
  ComplexIdParams,
  CreateCameraGrantRequest,
  CreateCameraRequest,
  EmptyBody,
  EmptyQuery,
  Ok,
  StatusHistory,
  StatusHistoryQuery,
  UpdateCameraRequest,
  UptimeQuery,
  UptimeReport,
} from '@kuzet/contracts';
import { z } from 'zod';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { SiteService } from '../site/site.service.ts';
import { importCameras } from './cameras.import.ts';
import type { CameraGrantsService } from './cameras.grants.ts';
import type { CameraHistoryService } from './cameras.history.ts';
import type { CamerasService } from './cameras.service.ts';
import type { CameraEvents } from './camera-events.ts';

export function camerasRoutes(app: App, deps: { cameras: CamerasService; grants: CameraGrantsService; history: CameraHistoryService; site: SiteService; events: CameraEvents }): void {
  const { cameras, grants, history, site, events } = deps;
  const tags = ['cameras'];
  app.get(
    '/api/v1/complexes/:complexId/cameras',
    { schema: { tags, params: ComplexIdParams, querystring: CameraListQuery, response: { 200: CameraPage, ...errorResponses } } },
    async (req) => cameras.list(req.params.complexId, req.query),
  );
  app.post(
    '/api/v1/complexes/:complexId/cameras',
    { schema: { tags, params: ComplexIdParams, body: CreateCameraRequest, response: { 201: Camera, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await cameras.create(authOf(req).actor, req.params.complexId, req.body)),
  );
  app.post(
    '/api/v1/complexes/:complexId/cameras/import',
    { schema: { tags, params: ComplexIdParams, body: CameraImportRequest, response: { 200: CameraImportReport, ...errorResponses } } },
    async (req) => importCameras(cameras, site, authOf(req).actor, req.params.complexId, req.body.csv, req.body.dryRun),
  );
  app.get(
    '/api/v1/complexes/:complexId/cameras/uptime',
    { schema: { tags, params: ComplexIdParams, querystring: UptimeQuery, response: { 200: UptimeReport, ...errorResponses } } },
    async (req) => history.uptime(req.params.complexId, await cameras.allOfComplex(req.params.complexId), req.query.days),
  );
  app.get(
    '/api/v1/complexes/:complexId/cameras/events',
    {
      schema: {
        tags,
        description: 'Server-sent events: a `status` event with every camera of the complex, then one per change. `?once=true` sends the snapshot and ends.',
        params: ComplexIdParams,
        querystring: z.strictObject({ once: z.enum(['true', 'false']).default('false') }),
      },
    },
    async (req, reply) => events.stream(req, reply, req.params.complexId, req.query.once === 'true'),
  );
  app.get('/api/v1/cameras/:cameraId', { schema: { tags, params: CameraIdParams, querystring: EmptyQuery, response: { 200: Camera, ...errorResponses } } }, async (req) =>
    cameras.get(req.params.cameraId),
  );
  app.patch(
    '/api/v1/cameras/:cameraId',
    { schema: { tags, params: CameraIdParams, body: UpdateCameraRequest, response: { 200: Camera, ...errorResponses } } },
    async (req) => cameras.update(authOf(req).actor, req.params.cameraId, req.body),
  );
  app.delete('/api/v1/cameras/:cameraId', { schema: { tags, params: CameraIdParams, body: EmptyBody, response: { 200: Ok, ...errorResponses } } }, async (req) => {
    await cameras.remove(authOf(req).actor, req.params.cameraId);
    return { ok: true as const };
  });
  app.get(
    '/api/v1/cameras/:cameraId/status-history',
    { schema: { tags, params: CameraIdParams, querystring: StatusHistoryQuery, response: { 200: StatusHistory, ...errorResponses } } },
    async (req) => history.history(req.params.cameraId, req.query),
  );
  app.get('/api/v1/cameras/:cameraId/grants', { schema: { tags, params: CameraIdParams, querystring: EmptyQuery, response: { 200: CameraGrantList, ...errorResponses } } }, async (req) =>
    grants.list(req.params.cameraId),
  );
  app.post(
    '/api/v1/cameras/:cameraId/grants',
    { schema: { tags, params: CameraIdParams, body: CreateCameraGrantRequest, response: { 201: CameraGrant, ...errorResponses } } },
    async (req, reply) => {
      const complexId = await cameras.complexOf(req.params.cameraId);
      return reply.status(201).send(await grants.create(authOf(req).actor, req.params.cameraId, complexId, req.body));
    },
  );
  app.delete(
    '/api/v1/cameras/:cameraId/grants/:grantId',
    { schema: { tags, params: CameraGrantParams, body: EmptyBody, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      const complexId = await cameras.complexOf(req.params.cameraId);
      await grants.revoke(authOf(req).actor, req.params.cameraId, complexId, req.params.grantId);
      return { ok: true as const };
    },
  );
}
