import { CameraIdParams, ComplexIdParams, CreateHold, EmptyBody, EmptyQuery, RecordingHealth, RecordingHold, RecordingHoldList, RecordingHoldParams } from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { RecordingHealthService } from './health.service.ts';
import type { HoldsService } from './holds.service.ts';

/** Legal holds (recordings.hold) and the recorder's health (monitoring.view). Issue 8, retention helper. */
export function recordingAdminRoutes(app: App, deps: { holds: HoldsService; health: RecordingHealthService }): void {
  const { holds, health } = deps;
  const tags = ['recordings'];
  app.get(
    '/api/v1/cameras/:cameraId/recordings/holds',
    { schema: { tags, params: CameraIdParams, querystring: EmptyQuery, response: { 200: RecordingHoldList, ...errorResponses } } },
    async (req) => holds.list(req.params.cameraId),
  );
  app.post(
    '/api/v1/cameras/:cameraId/recordings/holds',
    { schema: { tags, params: CameraIdParams, body: CreateHold, response: { 201: RecordingHold, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await holds.create(authOf(req).actor, req.params.cameraId, req.body)),
  );
  app.post(
    '/api/v1/cameras/:cameraId/recordings/holds/:holdId/release',
    { schema: { tags, params: RecordingHoldParams, body: EmptyBody, response: { 200: RecordingHold, ...errorResponses } } },
    async (req) => holds.release(authOf(req).actor, req.params.cameraId, req.params.holdId),
  );
  app.get(
    '/api/v1/complexes/:complexId/recordings/health',
    {
      schema: {
        tags,
        description: 'The recording disk, footage per camera and how many days the disk holds at the current rate, and what is wrong (disk nearly full, write errors).',
        params: ComplexIdParams,
        querystring: EmptyQuery,
        response: { 200: RecordingHealth, ...errorResponses },
      },
    },
    async (req) => health.health(req.params.complexId),
  );
}
