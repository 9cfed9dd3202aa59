import { CameraIdParams, ComplexIdParams, DetectionEvent, EmptyQuery, EventIdParams, EventMarks, EventMarksQuery, EventPage, EventSearchQuery } from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { EventsService } from './events.service.ts';

/** Detection events: search, timeline marks, one event, its snapshot (audited). */
export function eventsRoutes(app: App, events: EventsService): void {
  const tags = ['detection'];
  app.get(
    '/api/v1/complexes/:complexId/events',
    { schema: { tags, description: 'Search events by camera, zone, kind and time, newest first.', params: ComplexIdParams, querystring: EventSearchQuery, response: { 200: EventPage, ...errorResponses } } },
    async (req) => events.search(req.params.complexId, req.query),
  );
  app.get(
    '/api/v1/cameras/:cameraId/events',
    { schema: { tags, description: 'Timeline marks: the camera\'s events overlapping [from, to), at most 500.', params: CameraIdParams, querystring: EventMarksQuery, response: { 200: EventMarks, ...errorResponses } } },
    async (req) => events.marks(req.params.cameraId, req.query.from, req.query.to),
  );
  app.get(
    '/api/v1/events/:eventId',
    { schema: { tags, params: EventIdParams, querystring: EmptyQuery, response: { 200: DetectionEvent, ...errorResponses } } },
    async (req) => events.get(req.params.eventId),
  );
  app.get(
    '/api/v1/events/:eventId/snapshot',
    { schema: { tags, description: 'The event\'s snapshot (image/jpeg). Each view is written to the access log.', params: EventIdParams, querystring: EmptyQuery } },
    async (req, reply) => {
      const jpeg = await events.snapshot(authOf(req).actor, req.params.eventId);
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(jpeg);
    },
  );
}
