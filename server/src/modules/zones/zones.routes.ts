import { CameraIdParams, CameraZones, EmptyQuery, PutZonesRequest } from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { ZonesService } from './zones.service.ts';

/** A camera's detection zones: read with alerts.view, replaced whole with zones.manage. */
export function zonesRoutes(app: App, zones: ZonesService): void {
  const tags = ['detection'];
  app.get(
    '/api/v1/cameras/:cameraId/zones',
    { schema: { tags, params: CameraIdParams, querystring: EmptyQuery, response: { 200: CameraZones, ...errorResponses } } },
    async (req) => zones.get(req.params.cameraId),
  );
  app.put(
    '/api/v1/cameras/:cameraId/zones',
    {
      schema: {
        tags,
        description: 'Replaces the whole list of the camera\'s zones (polygons normalized 0..1 of the picture; at least 3 points, no crossing edges; schedules in Almaty time). The detector gets the new list at once.',
        params: CameraIdParams,
        body: PutZonesRequest,
        response: { 200: CameraZones, ...errorResponses },
      },
    },
    async (req) => zones.put(authOf(req).actor, req.params.cameraId, req.body),
  );
}
