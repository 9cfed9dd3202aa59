import { ChangePasswordRequest, EmptyBody, EmptyQuery, LoginRequest, Ok, SessionInfo, TotpDisableRequest, TotpEnableRequest, TotpSetupResponse, UnlockRequest } from '@kuzet/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/config.ts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf, DEVICE_COOKIE, SESSION_COOKIE } from '../../platform/policy-hooks.ts';
import type { AuthService, RequestContext } from './auth.service.ts';

export function authRoutes(app: App, auth: AuthService, config: Config['auth']): void {
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: config.secureCookies };
  const ctx = (req: FastifyRequest): RequestContext => ({
    address: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    deviceCookie: req.cookies[DEVICE_COOKIE],
  });
  const tags = ['auth'];

  app.post('/api/v1/auth/login', { schema: { tags, body: LoginRequest, response: { 200: SessionInfo, ...errorResponses } } }, async (req, reply) => {
    const r = await auth.login(req.body, ctx(req));
    reply.setCookie(SESSION_COOKIE, r.token, { ...cookieBase, maxAge: r.sessionCookieMaxAge });
    reply.setCookie(DEVICE_COOKIE, r.deviceCookie, { ...cookieBase, maxAge: 365 * 24 * 3600 });
    return r.info;
  });

  app.get(
    '/api/v1/auth/session',
    { schema: { tags, querystring: EmptyQuery, response: { 200: SessionInfo, 204: z.null().describe('Nobody is signed in') } } },
    async (req, reply: FastifyReply) => {
      if (!req.auth) return reply.status(204).send(null);
      return auth.info(req.auth);
    },
  );

  app.post('/api/v1/auth/logout', { config: { allowLocked: true }, schema: { tags, body: EmptyBody, response: { 200: Ok, ...errorResponses } } }, async (req, reply) => {
    await auth.logout(authOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.post('/api/v1/auth/lock', { config: { allowLocked: true }, schema: { tags, body: EmptyBody, response: { 200: Ok, ...errorResponses } } }, async (req) => {
    await auth.lock(authOf(req));
    return { ok: true as const };
  });

  app.post(
    '/api/v1/auth/unlock',
    { config: { allowLocked: true }, schema: { tags, body: UnlockRequest, response: { 200: SessionInfo, ...errorResponses } } },
    async (req) => auth.unlock(authOf(req), req.body.password, ctx(req)),
  );

  app.post('/api/v1/auth/password', { schema: { tags, body: ChangePasswordRequest, response: { 200: Ok, ...errorResponses } } }, async (req) => {
    await auth.changePassword(authOf(req), req.body.currentPassword, req.body.newPassword);
    return { ok: true as const };
  });

  app.post('/api/v1/auth/totp/setup', { schema: { tags, body: EmptyBody, response: { 200: TotpSetupResponse, ...errorResponses } } }, async (req) =>
    auth.totpSetup(authOf(req)),
  );

  app.post('/api/v1/auth/totp/enable', { schema: { tags, body: TotpEnableRequest, response: { 200: Ok, ...errorResponses } } }, async (req) => {
    await auth.totpEnable(authOf(req), req.body.code);
    return { ok: true as const };
  });

  app.post('/api/v1/auth/totp/disable', { schema: { tags, body: TotpDisableRequest, response: { 200: Ok, ...errorResponses } } }, async (req) => {
    await auth.totpDisable(authOf(req), req.body.password);
    return { ok: true as const };
  });
}
