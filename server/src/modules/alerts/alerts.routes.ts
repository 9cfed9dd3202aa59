import { can, AcknowledgeAlertRequest, Alert, AlertAssignees, AlertIdParams, AlertList, AlertListQuery, AlertsLiveQuery, AssignAlertRequest, ComplexIdParams, DismissAlertRequest, EmptyQuery, EscalateAlertRequest, EscalateAlertResponse } from '@kuzet/contracts';
import websocketPlugin from '@fastify/websocket';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf, SESSION_COOKIE } from '../../platform/policy-hooks.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { SiteService } from '../site/site.service.ts';
import { serveAlertFeed } from './alerts.live.ts';
import type { AlertsService } from './alerts.service.ts';

export interface AlertRouteDeps {
  alerts: AlertsService;
  site: SiteService;
  auth: AuthService;
  /** Ping interval of the feed (default 20 s). */
  pingMs?: number;
}

const LiveInfo = z.strictObject({ websocketPath: z.string(), complexId: z.string(), seq: z.number().int() });

/** The alert console: list, one alert, the live feed (WebSocket), the actions. */
export async function alertsRoutes(app: App, deps: AlertRouteDeps): Promise<void> {
  const { alerts, site, auth } = deps;
  if (!app.hasDecorator('websocketServer')) await app.register(websocketPlugin, { options: { maxPayload: 64 * 1024 } });
  const tags = ['alerts'];

  app.get(
    '/api/v1/complexes/:complexId/alerts',
    { schema: { tags, description: 'Alerts newest first (open: new, acknowledged, assigned), the unacknowledged count and the feed seq to connect the live feed with.', params: ComplexIdParams, querystring: AlertListQuery, response: { 200: AlertList, ...errorResponses } } },
    async (req) => alerts.list(req.params.complexId, req.query),
  );

  app.get(
    '/api/v1/complexes/:complexId/alerts/assignees',
    { schema: { tags, description: 'Who an alert can be assigned to: the complex\'s active operators and inspectors (names only).', params: ComplexIdParams, querystring: EmptyQuery, response: { 200: AlertAssignees, ...errorResponses } } },
    async (req) => alerts.assignees(req.params.complexId),
  );

  /** The complex of the feed: the query's (in scope), or the caller's only one. */
  const feedComplex = async (actor: Parameters<SiteService['scopeOf']>[0], complexId: string | undefined): Promise<string> => {
    if (complexId) {
      await site.assertInScope(actor, complexId);
      return complexId;
    }
    const scope = await site.scopeOf(actor);
    if (scope?.length === 1) return scope[0]!;
    throw new DomainError('VALIDATION_FAILED', { field: 'complexId' }, 'Name the complex of the alert feed (?complexId=…): your account covers several.');
  };

  app.route({
    method: 'GET',
    url: '/api/v1/alerts/live',
    schema: {
      tags,
      description: 'The live alert feed. A WebSocket upgrade replays feed rows with seq > after, sends caught-up, then follows (see packages/contracts/src/alerts.ts); a plain GET describes it.',
      querystring: AlertsLiveQuery,
      response: { 200: LiveInfo, ...errorResponses },
    },
    // A refused upgrade's socket is outside the HTTP server's keep-alive handling: end it, or it lingers (and holds shutdown).
    onResponse: async (req, reply) => {
      if (reply.statusCode >= 400 && req.headers.upgrade?.toLowerCase() === 'websocket') req.raw.socket?.destroy();
    },
    preHandler: async (req) => {
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
      await feedComplex(authOf(req).actor, req.query.complexId);
    },
    handler: async (req) => {
      const complexId = await feedComplex(authOf(req).actor, req.query.complexId);
      return { websocketPath: `/api/v1/alerts/live?complexId=${complexId}`, complexId, seq: await alerts.currentSeq(complexId) };
    },
    wsHandler: async (socket, req) => {
      const { actor } = authOf(req);
      // The client may go while the complex is looked up: a socket closed by then gets no feed (its close event is gone).
      let closed = false;
      socket.once('close', () => (closed = true));
      const complexId = await feedComplex(actor, req.query.complexId).catch((err: unknown) => {
        socket.close(1008, err instanceof DomainError ? err.code : 'refused');
        return null;
      });
      if (complexId === null || closed || socket.readyState !== socket.OPEN) return;
      const cookie = req.cookies[SESSION_COOKIE];
      serveAlertFeed(socket, {
        alerts,
        complexId,
        after: req.query.after,
        pingMs: deps.pingMs ?? 20_000,
        log: req.log,
        // The socket outlives the request: a session signed out or revoked since ends the feed.
        stillSignedIn: async () => {
          const current = await auth.authenticate(cookie);
          if (!current || current.actor.id !== actor.id || current.session.locked || !can(current.actor.role, 'alerts.view')) return false;
          return site.assertInScope(current.actor, complexId).then(() => true, () => false);
        },
      });
    },
  });

  app.get(
    '/api/v1/alerts/:alertId',
    { schema: { tags, params: AlertIdParams, querystring: EmptyQuery, response: { 200: Alert, ...errorResponses } } },
    async (req) => alerts.get(req.params.alertId),
  );
  app.post(
    '/api/v1/alerts/:alertId/acknowledge',
    { schema: { tags, params: AlertIdParams, body: AcknowledgeAlertRequest, response: { 200: Alert, ...errorResponses } } },
    async (req) => alerts.acknowledge(authOf(req).actor, req.params.alertId, req.body?.note),
  );
  app.post(
    '/api/v1/alerts/:alertId/assign',
    { schema: { tags, params: AlertIdParams, body: AssignAlertRequest, response: { 200: Alert, ...errorResponses } } },
    async (req) => alerts.assign(authOf(req).actor, req.params.alertId, req.body.userId, req.body.note),
  );
  app.post(
    '/api/v1/alerts/:alertId/dismiss',
    { schema: { tags, params: AlertIdParams, body: DismissAlertRequest, response: { 200: Alert, ...errorResponses } } },
    async (req) => alerts.dismiss(authOf(req).actor, req.params.alertId, req.body.reason, req.body.note),
  );
  app.post(
    '/api/v1/alerts/:alertId/escalate',
    { schema: { tags, description: 'Turns the alert into an incident of the journal (linked to the alert and its event).', params: AlertIdParams, body: EscalateAlertRequest, response: { 200: EscalateAlertResponse, ...errorResponses } } },
    async (req) => alerts.escalate(authOf(req).actor, req.params.alertId, req.body),
  );
}
