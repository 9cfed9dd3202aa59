import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { EmptyQuery, Health } from '@kuzet/contracts';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config/config.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { camerasRoutes } from './modules/cameras/cameras.routes.ts';
import { LiveHub } from './modules/live/live-hub.ts';
import { liveRoutes } from './modules/live/live.routes.ts';
import { playbackRoutes } from './modules/playback/playback.routes.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { preventionRoutes } from './modules/prevention/prevention.routes.ts';
import { recordingAdminRoutes } from './modules/recording/recording-admin.routes.ts'; // retention helper
import { peopleImportRoutes } from './modules/people-import/import.routes.ts';
import { siteRoutes } from './modules/site/site.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { alertsRoutes } from './modules/alerts/alerts.routes.ts'; // issue 10, alerts helper
import { eventsRoutes } from './modules/events/events.routes.ts';
import { incidentsRoutes } from './modules/incidents/incidents.routes.ts';
import { zonesRoutes } from './modules/zones/zones.routes.ts';
import { errorHandler } from './platform/error-handler.ts';
import { DomainError } from './platform/errors.ts';
import { RequestLogController } from './platform/logger.ts';
import { LoadShedder, registerLoadShedding, shedLimitsOf } from './platform/load-shedder.ts';
import { registerPolicyHooks } from './platform/policy-hooks.ts';
import type { Services } from './services.ts';

export const VERSION = '0.1.0';

export interface AppOptions {
  config: Config;
  services: Services;
  logger: FastifyBaseLogger;
  /** The live video hub; without one (tests, KUZET_MEDIA=off) live views report the camera offline. */
  hub?: LiveHub;
  /** Load shedding; by default one with the configured limits, watching this thread's event loop. */
  shedder?: LoadShedder;
}

/** The Fastify app: used by `kuzet start` and by the tests (inject). */
export async function buildApp({ config, services, logger, hub, shedder }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLogController(), // request lines at debug, not two info lines each
    bodyLimit: config.http.bodyLimit,
    genReqId: () => crypto.randomUUID(),
    exposeHeadRoutes: false,
    forceCloseConnections: true, // SSE streams would otherwise hold shutdown open
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: false, // the post's box is often reached over plain HTTP on the LAN
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Kuzet API', version: VERSION, description: 'The API of a Kuzet post server.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kuzet_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false });

  // Before the policy hooks: a refused request must not cost a session lookup first.
  const shed = shedder ?? new LoadShedder(shedLimitsOf(config.api));
  shed.start();
  app.addHook('onClose', async () => shed.stop());
  registerLoadShedding(app, shed);
  registerPolicyHooks(app, services.auth, {
    complexOf: async (p) =>
      p.eventId
        ? services.events.complexOf(p.eventId)
        : p.alertId
          ? services.alerts.complexOf(p.alertId)
          : p.incidentId
            ? services.incidents.complexOf(p.incidentId)
            : p.cameraId
        ? services.cameras.complexOf(p.cameraId)
        : p.recordId
          ? services.prevention.complexOf(p.recordId)
          : p.roundId
            ? services.visits.complexOf(p.roundId)
            : p.personId || p.apartmentId ? services.people.complexOf(p) : services.site.complexOf(p),
    assertInScope: (actor, complexId) => services.site.assertInScope(actor, complexId),
    inScope: async (actor, complexId) => (await services.site.scopeOf(actor))?.includes(complexId) ?? false,
  });

  app.get('/api/health', { schema: { tags: ['system'], querystring: EmptyQuery, response: { 200: Health } } }, async () => ({ status: 'ok' as const, version: VERSION }));
  authRoutes(app, services.auth, config.auth);
  usersRoutes(app, services.users, services.auth);
  auditRoutes(app, services.audit, services.site);
  siteRoutes(app, services.site);
  peopleRoutes(app, services.people, services.peopleSearch, services.places);
  preventionRoutes(app, services.prevention, services.visits);
  peopleImportRoutes(app, services.peopleImport);
  camerasRoutes(app, {
    cameras: services.cameras,
    grants: services.cameraGrants,
    history: services.cameraHistory,
    site: services.site,
    events: services.cameraEvents,
  });
  recordingAdminRoutes(app, { holds: services.holds, health: services.recordingHealth }); // holds, health (retention helper)
  playbackRoutes(app, services.playback);
  services.playback.start();
  app.addHook('onClose', async () => services.playback.stop());
  await liveRoutes(app, {
    hub: hub ?? new LiveHub(null, logger as unknown as import('pino').Logger),
    grants: services.cameraGrants,
    audit: services.audit,
    layouts: services.layouts,
    cameras: services.cameras,
    site: services.site,
    auth: services.auth,
  });
  // Detection zones, events, alerts, incidents (issue 10, alerts helper); after liveRoutes (the WebSocket plugin).
  zonesRoutes(app, services.zones);
  eventsRoutes(app, services.events);
  incidentsRoutes(app, services.incidents);
  await alertsRoutes(app, { alerts: services.alerts, site: services.site, auth: services.auth });
  app.addHook('onClose', async () => services.alerts.close());

  const webDir = config.http.webDir;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (request.method === 'GET' && !url.startsWith('/api') && hasWeb && !path.extname(url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return errorHandler(new DomainError('NOT_FOUND'), request, reply);
  });
  return app;
}
