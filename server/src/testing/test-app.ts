import crypto from 'node:crypto';
import type { Role } from '@kuzet/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { DemoService } from '../modules/demo/demo.service.ts';
import { ManualClock } from '../platform/clock.ts';
import type { LoadShedder } from '../platform/load-shedder.ts';
import { createLogger } from '../platform/logger.ts';
import { loadOrCreateSecrets } from '../platform/secrets.ts';
import { createServices, type Services } from '../services.ts';
import type { AlertsOptions } from '../modules/alerts/alerts.service.ts';
import { createTestEnv, type TestEnv } from './test-db.ts';

export const TEST_PASSWORD = 'test-password-123';

export interface SignedIn {
  cookie: string;
  csrf: string;
  userId: string;
}

export interface TestApp {
  env: TestEnv;
  app: FastifyInstance;
  services: Services;
  clock: ManualClock;
  complexId: string;
  districtId: string;
  /** Signs in as the demo user of a role (admin, chief, inspector, operator, partner, resident). */
  signIn(role: Role): Promise<SignedIn>;
  login(username: string, password: string, extra?: Record<string, unknown>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const demoUsernames: Record<Role, string> = {
  admin: 'admin',
  district_chief: 'chief',
  inspector: 'inspector',
  operator: 'operator',
  partner: 'partner',
  resident: 'resident',
};

/** A real app on a fresh database with the demo complex, driven by fastify.inject. */
export async function createTestApp(opts: { env?: Record<string, string>; shedder?: LoadShedder; alerts?: AlertsOptions } = {}): Promise<TestApp> {
  const env = await createTestEnv(opts.env);
  const clock = new ManualClock(Date.now());
  const secrets = loadOrCreateSecrets(env.config.secretFile);
  const services = createServices({ config: env.config, db: env.handle.db, secrets, clock, ...(opts.alerts ? { alerts: opts.alerts } : {}) });
  await new DemoService(env.handle.db, services).seed(TEST_PASSWORD);
  const app = await buildApp({ config: env.config, services, logger: createLogger('silent'), ...(opts.shedder ? { shedder: opts.shedder } : {}) });
  await app.ready();
  const complex = (await services.siteRepo.complexes(null))[0]!;
  const sessions = new Map<Role, SignedIn>();
  const login: TestApp['login'] = (username, password, extra = {}, headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password, ...extra },
      headers: { 'x-forwarded-for': '127.0.0.1', ...headers },
      remoteAddress: headers['x-test-address'] ?? '127.0.0.1',
    });
  return {
    env,
    app,
    services,
    clock,
    complexId: complex.id,
    districtId: complex.districtId,
    login,
    async signIn(role) {
      const cached = sessions.get(role);
      if (cached) return cached;
      const res = await login(demoUsernames[role], TEST_PASSWORD);
      if (res.statusCode !== 200) throw new Error(`sign-in as ${role} failed: ${res.statusCode} ${res.body}`);
      const body = res.json() as { csrfToken: string; user: { id: string } };
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const s = { cookie, csrf: body.csrfToken, userId: body.user.id };
      sessions.set(role, s);
      return s;
    },
    async close() {
      await app.close();
      await env.cleanup();
    },
  };
}

export function randomUuid(): string {
  return crypto.randomUUID();
}

let fresh = 0;
/** A new user of a role, signed in: for calls with side effects on the caller's own account. */
export async function freshSession(t: TestApp, role: Role) {
  fresh++;
  const username = `fresh-${role.replace('_', '-')}-${fresh}`;
  const password = `fresh-password-${fresh}`;
  const district = role === 'admin' || role === 'district_chief';
  await t.services.users.createSystem({
    username,
    displayName: username,
    password,
    role,
    complexId: district ? null : t.complexId,
    districtId: district ? t.districtId : null,
    language: 'ru',
  });
  const res = await t.login(username, password);
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.body}`);
  const body = res.json() as { csrfToken: string; user: { id: string } };
  return {
    cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    csrf: body.csrfToken,
    userId: body.user.id,
    username,
    password,
    role,
  };
}
