import { can, roles, routePolicy, type RouteKey, type RoutePolicy } from '@kuzet/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillPath, routeSamples } from '../testing/route-samples.ts';
import { createTestApp, freshSession, type TestApp } from '../testing/test-app.ts';

/**
 * Walks the OpenAPI document as an admin with a valid session and CSRF token: for
 * every route one valid request succeeds, and bad input of every kind gets the
 * expected 4xx and error code — never a 500.
 */
interface Operation {
  parameters?: { in: string; name: string; schema?: { type?: string } }[];
  requestBody?: unknown;
}

const keys = Object.keys(routePolicy) as RouteKey[];
const withBody = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function wrongValue(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'not-a-number';
  if (typeof v === 'boolean') return 'yes';
  if (Array.isArray(v)) return 'not-an-array';
  return 'not-an-object';
}

describe('OpenAPI walk: every route, valid and invalid input', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await createTestApp();
    doc = t.app.swagger() as typeof doc;
  });
  afterAll(async () => t?.close());

  it('serves the document at /api/docs/json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys((res.json() as typeof doc).paths).length).toBeGreaterThanOrEqual(10);
  });

  for (const key of keys) {
    it(key, async () => {
      const [method, route] = key.split(' ') as [string, string];
      const op = doc.paths[route.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      expect(op, `${key} is in the OpenAPI document`).toBeDefined();
      const sample = routeSamples[key];
      // As an admin, or — for the few actions an admin may not take (alerts.act, incidents.create) — the first role that may.
      const permission = (routePolicy[key] as RoutePolicy).permission;
      const role = !permission || can('admin', permission) ? 'admin' : (roles.find((r) => can(r, permission)) ?? 'admin');
      const self = await freshSession(t, role);
      const ctx = { t, self };
      const params = sample.params ? await sample.params(ctx) : {};
      const validBody = sample.body ? await sample.body(ctx) : undefined;
      const headers = { cookie: self.cookie, 'x-csrf-token': self.csrf };
      const call = (o: { url?: string; query?: Record<string, string>; payload?: unknown; raw?: string }): Promise<LightMyRequestResponse> =>
        t.app.inject({
          method: method as 'GET',
          url: o.url ?? fillPath(route, params),
          query: o.query ?? sample.query,
          headers: o.raw !== undefined || o.payload !== undefined ? { ...headers, 'content-type': 'application/json' } : headers,
          ...(o.raw !== undefined ? { payload: o.raw } : o.payload !== undefined ? { payload: JSON.stringify(o.payload) } : {}),
        });
      const cases: { name: string; res: LightMyRequestResponse; status: number; code: string | RegExp }[] = [];
      const expectCase = async (name: string, p: Promise<LightMyRequestResponse>, status: number, code: string | RegExp) =>
        cases.push({ name, res: await p, status, code });

      // Bad input first: the valid call may end the session (logout) or change the password.
      const queryParams = (op!.parameters ?? []).filter((p) => p.in === 'query');
      if (method === 'GET' || !withBody.has(method)) {
        await expectCase('unknown query field', call({ query: { ...(sample.query ?? {}), zzUnknown: '1' } }), 400, 'VALIDATION_FAILED');
        const numeric = queryParams.find((p) => p.schema?.type === 'integer' || p.schema?.type === 'number');
        if (numeric) await expectCase(`wrong type in ${numeric.name}`, call({ query: { ...(sample.query ?? {}), [numeric.name]: 'abc' } }), 400, 'VALIDATION_FAILED');
      }
      if (withBody.has(method)) {
        const body = (validBody ?? {}) as Record<string, unknown>;
        await expectCase('unknown body field', call({ payload: { ...body, zzUnknown: 1 } }), 400, 'VALIDATION_FAILED');
        await expectCase('body of the wrong type', call({ payload: ['not', 'an', 'object'] }), 400, 'VALIDATION_FAILED');
        for (const [field, value] of Object.entries(body)) {
          await expectCase(`wrong type in ${field}`, call({ payload: { ...body, [field]: wrongValue(value) } }), 400, 'VALIDATION_FAILED');
        }
        await expectCase('malformed JSON', call({ raw: '{"username": "adm' }), 400, 'MALFORMED_JSON');
        await expectCase('oversized body', call({ raw: JSON.stringify({ filler: 'x'.repeat((sample.bodyLimit ?? 256 * 1024) + 44 * 1024) }) }), 413, 'BODY_TOO_LARGE');
      }
      const idParams = Object.keys(params);
      if (idParams.length) {
        const wrong = Object.fromEntries(idParams.map((k) => [k, 'not-a-uuid']));
        await expectCase('malformed id', call({ url: fillPath(route, wrong), payload: validBody }), 400, 'VALIDATION_FAILED');
        for (const k of idParams) {
          const unknown = { ...params, [k]: crypto.randomUUID() };
          if (sample.unknownIdCreates) await expectCase(`new ${k}`, call({ url: fillPath(route, unknown), payload: validBody }), sample.status, 'OK');
          else await expectCase(`unknown ${k}`, call({ url: fillPath(route, unknown), payload: validBody }), 404, new RegExp(`^(${sample.unknownIdCode})$`));
        }
      }
      await expectCase('valid request', call({ payload: validBody }), sample.status, 'OK');

      expect(cases.length, 'valid and invalid requests were made').toBeGreaterThanOrEqual(2);
      for (const c of cases) {
        const code = c.res.statusCode >= 400 ? (c.res.json() as { error: { code: string } }).error.code : 'OK';
        const label = `${key} — ${c.name}: got ${c.res.statusCode} ${code} ${c.res.statusCode >= 400 ? c.res.body.slice(0, 200) : ''}`;
        expect(c.res.statusCode, label).toBeLessThan(500);
        expect(c.res.statusCode, label).toBe(c.status);
        if (typeof c.code === 'string') expect(code, label).toBe(c.code);
        else expect(code, label).toMatch(c.code);
        if (c.res.statusCode >= 400) expect((c.res.json() as { requestId?: string }).requestId, label).toBeTruthy();
      }
    });
  }
});
