import websocketPlugin from '@fastify/websocket';
import { CameraIdParams, EmptyBody, EmptyQuery, LIVE_MAX_CHANNELS, LIVE_WALL_PATH, liveCloseCodes, LiveInfo, LiveQuery, LiveWallInfo, Ok, SaveWallLayoutRequest, WallLayout, WallLayoutList, WallLayoutParams } from '@kuzet/contracts';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors.ts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf, SESSION_COOKIE } from '../../platform/policy-hooks.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CameraGrantsService } from '../cameras/cameras.grants.ts';
import type { CamerasService } from '../cameras/cameras.service.ts';
import type { SiteService } from '../site/site.service.ts';
import type { LayoutsService } from './layouts.service.ts';
import { socketSink, type LiveHub } from './live-hub.ts';
import { serveWall } from './live-mux.ts';

export interface LiveRouteDeps {
  hub: LiveHub;
  grants: CameraGrantsService;
  audit: AuditService;
  layouts: LayoutsService;
  cameras: CamerasService;
  site: SiteService;
  auth: AuthService;
}

export async function liveRoutes(app: App, deps: LiveRouteDeps): Promise<void> {
  const { hub, grants, audit, layouts, cameras, site, auth } = deps;
  await app.register(websocketPlugin, { options: { maxPayload: 64 * 1024 } });
  const tags = ['live'];

  /** A WebSocket must come from our own pages (no cross-site hijacking). */
  const sameOrigin = async (req: FastifyRequest) => {
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
  /** A partner needs a grant. */
  const guard = async (req: FastifyRequest<{ Params: { cameraId: string } }>) => {
    const { actor } = authOf(req);
    if (!(await grants.canViewVideo(actor, req.params.cameraId))) throw new DomainError('VIDEO_GRANT_REQUIRED');
    await sameOrigin(req);
  };
  const audited = (actorId: string, cameraId: string, stream: string) =>
    audit.append({ action: 'video.live_viewed', actorId, subjectType: 'camera', subjectId: cameraId, details: { stream } });

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
    wsHandler: async (socket, req) => {
      const { cameraId } = req.params;
      const { stream, start } = req.query;
      const { actor } = authOf(req);
      socket.on('message', () => undefined); // the viewer has nothing to say; ignore, bounded by maxPayload
      // No record, no video: the entry is written before the first byte is sent.
      try {
        await audited(actor.id, cameraId, stream);
      } catch (err) {
        req.log.error({ err, cameraId }, 'live view: the audit entry could not be written; view refused');
        socket.close(liveCloseCodes.unavailable, 'audit unavailable');
        return;
      }
      if (socket.readyState !== socket.OPEN) return;
      const detach = hub.attach(socketSink(socket), cameraId, stream, start);
      socket.on('close', detach);
    },
  });

  app.route({
    method: 'GET',
    url: LIVE_WALL_PATH,
    schema: {
      tags,
      description: "The wall's one WebSocket: channels subscribed per camera, each authorized and audited (see packages/contracts/src/live.ts). A plain GET describes it.",
      querystring: EmptyQuery,
      response: { 200: LiveWallInfo, ...errorResponses },
    },
    preHandler: sameOrigin,
    handler: async () => ({ websocketPath: LIVE_WALL_PATH, maxChannels: LIVE_MAX_CHANNELS }),
    wsHandler: (socket, req) => {
      const { actor } = authOf(req);
      serveWall(socket, {
        hub,
        log: req.log,
        // What the policy's scope check and the guard do for the single-camera route, for a page's tiles at once.
        authorize: async (cameraIds) => {
          // The socket outlives requests: a session signed out, revoked or locked since the upgrade opens no new view.
          const current = await auth.authenticate(req.cookies[SESSION_COOKIE]);
          if (!current || current.actor.id !== actor.id) return cameraIds.map(() => new DomainError('AUTH_REQUIRED'));
          if (current.session.locked) return cameraIds.map(() => new DomainError('SESSION_LOCKED'));
          const complexes = await cameras.complexesOf(cameraIds);
          const inScope = new Map<string, DomainError | null>();
          for (const complexId of new Set(complexes.values())) {
            inScope.set(complexId, await site.assertInScope(actor, complexId).then(() => null, (err: unknown) => asDomainError(err)));
          }
          return Promise.all(
            cameraIds.map(async (id) => {
              const complexId = complexes.get(id);
              if (!complexId) return new DomainError('CAMERA_NOT_FOUND');
              const outOfScope = inScope.get(complexId) ?? null;
              if (outOfScope) return outOfScope;
              return (await grants.canViewVideo(actor, id)) ? null : new DomainError('VIDEO_GRANT_REQUIRED');
            }),
          );
        },
        audit: async (views) => {
          // One transaction for the tiles a page opens together (17 separate appends cost ~70–300 ms here).
          await audit.appendMany(views.map((v) => ({ action: 'video.live_viewed' as const, actorId: actor.id, subjectType: 'camera', subjectId: v.cameraId, details: { stream: v.stream } })));
        },
      });
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

/** A scope check's refusal; anything else (the database failed) is thrown on. */
function asDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  throw err;
}
