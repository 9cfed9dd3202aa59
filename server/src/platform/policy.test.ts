import { can, roles, routePolicy, type Role, type RouteKey, type RoutePolicy } from '@kuzet/contracts';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freshSession, type TestApp } from '../testing/test-app.ts';
import { fillPath, routeSamples } from '../testing/route-samples.ts';
import { attachPolicy } from './policy-hooks.ts';

const keys = Object.keys(routePolicy) as RouteKey[];

function expectedAllowed(policy: RoutePolicy, role: Role | 'anonymous'): boolean {
  if (policy.scope === 'public') return true;
  if (role === 'anonymous') return false;
  return policy.permission === null || can(role, policy.permission);
}

describe('the policy table is enforced on every route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('covers exactly the routes the server registers (OpenAPI)', () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const registered = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(registered.sort()).toEqual([...keys].sort());
    expect(Object.keys(routeSamples).sort()).toEqual([...keys].sort());
  });

  it('refuses to start with an /api route missing from the table', async () => {
    const app = Fastify();
    app.addHook('onRoute', attachPolicy);
    expect(() => app.get('/api/v1/not-in-the-table', async () => ({}))).toThrow(/missing from the policy table/);
    expect(() => app.get('/outside-the-api', async () => ({}))).not.toThrow();
    await app.close();
  });

  for (const key of keys) {
    it(`${key}: every role answers as the table says`, async () => {
      const [method, route] = key.split(' ') as [string, string];
      const policy = routePolicy[key] as RoutePolicy;
      const sample = routeSamples[key];
      for (const role of [...roles, 'anonymous'] as const) {
        const self =
          role === 'anonymous'
            ? { cookie: '', csrf: '', userId: '', username: 'nobody', password: 'nobody-password', role: 'resident' as Role }
            : await freshSession(t, role);
        const ctx = { t, self };
        const params = sample.params ? await sample.params(ctx) : {};
        const body = sample.body ? await sample.body(ctx) : undefined;
        const res = await t.app.inject({
          method: method as 'GET',
          url: fillPath(route, params),
          query: sample.query,
          headers: { ...(self.cookie ? { cookie: self.cookie, 'x-csrf-token': self.csrf } : {}) },
          ...(body !== undefined ? { payload: body as object } : {}),
        });
        const code = res.statusCode >= 400 ? (res.json() as { error: { code: string } }).error.code : 'OK';
        const allowed = expectedAllowed(policy, role);
        const label = `${key} as ${role}: ${res.statusCode} ${code}`;
        if (allowed && role === 'anonymous') {
          // A public route: whatever it answers, it is not a refusal for want of a session or a role.
          expect(['AUTH_REQUIRED', 'FORBIDDEN'], label).not.toContain(code);
        } else if (allowed) {
          expect(res.statusCode, label).toBe(sample.status);
        } else if (role === 'anonymous') {
          expect([res.statusCode, code], label).toEqual([401, 'AUTH_REQUIRED']);
        } else {
          expect([res.statusCode, code], label).toEqual([403, 'FORBIDDEN']);
        }
      }
    });
  }
});
