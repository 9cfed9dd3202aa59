import websocketPlugin from '@fastify/websocket';
import { CameraIdParams, EmptyBody, EmptyQuery, LiveInfo, LiveQuery, Ok, SaveWallLayoutRequest, WallLayout, WallLayoutList, WallLayoutParams } from '@kuzet/contracts';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors.ts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CameraGrantsService } from '../cameras/cameras.grants.ts';
import type { LayoutsService } from './layouts.service.ts';
import type { LiveHub } from './live-hub.ts';

export async function liveRoutes(app: App, deps: { hub: LiveHub; grants: CameraGrantsService; audit: AuditService; layouts: LayoutsService }): Promise<void> {
  const { hub, grants, audit, layouts } = deps;
  await app.register(websocketPlugin, { options: { maxPayload: 64 * 1024 } });
  const tags = ['live'];

  /** A partner needs a grant; a WebSocket must come from our own pages (no cross-site hijacking). */
  const guard = async (req: FastifyRequest<{ Params: { cameraId: string } }>) => {
    const { actor } = authOf(req);
    if (!(await grants.canViewVideo(actor, req.params.cameraId))) throw new DomainError('VIDEO_GRANT_REQUIRED');
    const origin = req.headers.origin;
    if (req.headers.upgrade?.toLowerCase() === 'websocket' && origin) {
      let host = '';
      try {
        host = new URL(origin).host;
      } catch {
        host = '';
      }
      if (host !== req.headers.host) throw new DomainError('FORBIDDEN', { reason: 'cross-origin WebSocket' });
    }
  };

  app.route({
    method: 'GET',
    url: '/api/v1/cameras/:cameraId/live',
    schema: {
      tags,
      description: 'Live video. A plain GET describes the stream; a WebSocket upgrade streams fMP4 (see packages/contracts/src/live.ts for the framing).',
      params: CameraIdParams,
      querystring: LiveQuery,
      response: { 200: LiveInfo, ...errorResponses },
    },
    preHandler: guard,
    handler: async (req) => {
      const s = hub.statusOf(req.params.cameraId, req.query.stream);
      return {
        cameraId: req.params.cameraId,
        stream: req.query.stream,
        state: s?.state ?? 'offline',
        reason: s?.reason ?? (s ? null : 'disabled'),
        transcoded: s?.codec === 'h265',
        websocketPath: `/api/v1/cameras/${req.params.cameraId}/live?stream=${req.query.stream}`,
      };
    },
    wsHandler: (socket, req) => {
      const { cameraId } = req.params;
      const { stream, start } = req.query;
      const { actor } = authOf(req);
      void audit.append({ action: 'video.live_viewed', actorId: actor.id, subjectType: 'camera', subjectId: cameraId, details: { stream } }).catch(() => undefined);
      socket.on('message', () => undefined); // the viewer has nothing to say; ignore, bounded by maxPayload
      hub.attach(socket, cameraId, stream, start);
    },
  });

  app.get('/api/v1/me/layouts', { schema: { tags, querystring: EmptyQuery, response: { 200: WallLayoutList, ...errorResponses } } }, async (req) => ({
    items: await layouts.list(authOf(req).actor),
  }));
  app.put(
    '/api/v1/me/layouts/:layoutId',
    { schema: { tags, params: WallLayoutParams, body: SaveWallLayoutRequest, response: { 200: WallLayout, ...errorResponses } } },
    async (req) => layouts.save(authOf(req).actor, req.params.layoutId, req.body),
  );
  app.delete('/api/v1/me/layouts/:layoutId', { schema: { tags, params: WallLayoutParams, body: EmptyBody, response: { 200: Ok, ...errorResponses } } }, async (req) => {
    await layouts.remove(authOf(req).actor, req.params.layoutId);
    return { ok: true as const };
  });
}
