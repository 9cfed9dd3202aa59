import { can, publicPrefixes, routePolicy, type RoutePolicy } from '@kuzet/contracts';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AuthService, Authenticated } from '../modules/auth/auth.service.ts';
import { DomainError } from './errors.ts';

export const SESSION_COOKIE = 'kuzet_session';
export const DEVICE_COOKIE = 'kuzet_device';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /** Routes a locked session may still call. */
    allowLocked?: boolean;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function policyKey(method: string, url: string): string {
  return `${method} ${url}`;
}

/** Routes under /api must be in the policy table; the server refuses to start otherwise. */
export function attachPolicy(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (!route.url.startsWith('/api') || publicPrefixes.some((p) => route.url.startsWith(p))) return;
  for (const m of methods) {
    if (m === 'HEAD' || m === 'OPTIONS') continue;
    const policy = (routePolicy as Record<string, RoutePolicy>)[policyKey(m, route.url)];
    if (!policy) throw new Error(`Route ${m} ${route.url} is missing from the policy table (packages/contracts/src/policy.ts)`);
    route.config = { ...(route.config ?? {}), policy };
  }
}

/** Authentication, permission, screen lock and CSRF: before the body is even parsed. */
export interface ScopeChecker {
  /** The complex that a route's params point at; throws the *_NOT_FOUND error when nothing is there. */
  complexOf(params: Record<string, string | undefined>): Promise<string>;
  assertInScope(actor: Authenticated['actor'], complexId: string): Promise<void>;
  /** True when the complex is in the actor's (limited) scope — and so exists: scopes are read from the complexes table. */
  inScope?(actor: Authenticated['actor'], complexId: string): Promise<boolean>;
}

export function registerPolicyHooks(app: FastifyInstance, auth: AuthService, scope: ScopeChecker): void {
  app.decorateRequest('auth', null);
  app.addHook('onRoute', attachPolicy);
  app.addHook('onRequest', async (request) => {
    const policy = request.routeOptions.config.policy;
    if (!policy) return;
    request.auth = await auth.authenticate(request.cookies[SESSION_COOKIE]);
    if (policy.scope === 'public') return;
    const a = request.auth;
    if (!a) throw new DomainError('AUTH_REQUIRED');
    if (a.session.locked && !request.routeOptions.config.allowLocked) throw new DomainError('SESSION_LOCKED');
    if (policy.permission && !can(a.actor.role, policy.permission)) throw new DomainError('FORBIDDEN');
    if (STATE_CHANGING.has(request.method) && !auth.checkCsrf(a, headerOf(request, 'x-csrf-token'))) {
      throw new DomainError('CSRF_INVALID');
    }
  });
  app.addHook('preHandler', async (request) => {
    const policy = request.routeOptions.config.policy;
    if (policy?.scope !== 'complex' || !request.auth) return;
    const params = request.params as Record<string, string | undefined>;
    // Every request of a complex's pages comes here: settle the common case in one query.
    if (params.complexId && scope.inScope && (await scope.inScope(request.auth.actor, params.complexId))) return;
    const complexId = await scope.complexOf(params);
    await scope.assertInScope(request.auth.actor, complexId);
  });
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The signed-in actor of a route that the policy already guarded. */
export function authOf(request: FastifyRequest): Authenticated {
  if (!request.auth) throw new DomainError('AUTH_REQUIRED');
  return request.auth;
}
