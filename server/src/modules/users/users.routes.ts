import { CreateUserRequest, EmptyBody, EmptyQuery, Ok, ResetPasswordRequest, UpdateUserRequest, User, UserIdParams, UserListQuery, UserPage } from '@kuzet/contracts';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { UsersService } from './users.service.ts';

export function usersRoutes(app: App, users: UsersService, auth: AuthService): void {
  const tags = ['users'];
  app.get('/api/v1/users', { schema: { tags, querystring: UserListQuery, response: { 200: UserPage, ...errorResponses } } }, async (req) =>
    users.list(authOf(req).actor, req.query),
  );
  app.post('/api/v1/users', { schema: { tags, body: CreateUserRequest, response: { 201: User, ...errorResponses } } }, async (req, reply) => {
    const user = await users.create(authOf(req).actor, req.body);
    return reply.status(201).send(user);
  });
  app.get('/api/v1/users/:userId', { schema: { tags, params: UserIdParams, querystring: EmptyQuery, response: { 200: User, ...errorResponses } } }, async (req) =>
    users.get(authOf(req).actor, req.params.userId),
  );
  app.patch(
    '/api/v1/users/:userId',
    { schema: { tags, params: UserIdParams, body: UpdateUserRequest, response: { 200: User, ...errorResponses } } },
    async (req) => users.update(authOf(req).actor, req.params.userId, req.body),
  );
  app.post(
    '/api/v1/users/:userId/password',
    { schema: { tags, params: UserIdParams, body: ResetPasswordRequest, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      await users.resetPassword(authOf(req).actor, req.params.userId, req.body.newPassword);
      return { ok: true as const };
    },
  );
  app.post('/api/v1/users/:userId/unlock', { schema: { tags, params: UserIdParams, body: EmptyBody, response: { 200: Ok, ...errorResponses } } }, async (req) => {
    const actor = authOf(req).actor;
    const row = await users.assertCanManage(actor, req.params.userId);
    await auth.unlockAccount(actor, row);
    return { ok: true as const };
  });
}
