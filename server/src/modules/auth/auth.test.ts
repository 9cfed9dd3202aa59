import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freshSession, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { totp } from './totp.ts';

const codeOf = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

describe('auth: CSRF, throttling, TOTP, screen lock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('refuses a state-changing request without the CSRF token, and with a wrong one', async () => {
    const s = await freshSession(t, 'admin');
    const body = { name: 'Зона', kind: 'yard', polygon: [[1, 1], [20, 1], [20, 20]] };
    const url = `/api/v1/complexes/${t.complexId}/zones`;
    const none = await t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie }, payload: body });
    expect([none.statusCode, codeOf(none)]).toEqual([403, 'CSRF_INVALID']);
    const wrong = await t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': `${s.csrf}x` }, payload: body });
    expect([wrong.statusCode, codeOf(wrong)]).toEqual([403, 'CSRF_INVALID']);
    const ok = await t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: body });
    expect(ok.statusCode).toBe(201);
    // A read needs no token.
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/complexes', headers: { cookie: s.cookie } });
    expect(read.statusCode).toBe(200);
  });

  it('sets the session cookie httpOnly and SameSite=Strict', async () => {
    const res = await t.login('operator', TEST_PASSWORD);
    const c = res.cookies.find((x) => x.name === 'kuzet_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Strict');
  });

  it('refuses the 21st wrong password in a minute, the same way for an unknown account; window and admin unlock restore it', async () => {
    const victim = await freshSession(t, 'operator');
    const addr = { 'x-test-address': '10.0.0.1' };
    for (let i = 0; i < 20; i++) {
      const r = await t.login(victim.username, 'wrong-password', {}, addr);
      expect([r.statusCode, codeOf(r)]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
    }
    const r21 = await t.login(victim.username, 'wrong-password', {}, addr);
    expect([r21.statusCode, codeOf(r21)]).toEqual([429, 'AUTH_THROTTLED']);
    // Even the right password is refused while throttled…
    const right = await t.login(victim.username, victim.password, {}, addr);
    expect([right.statusCode, codeOf(right)]).toEqual([429, 'AUTH_THROTTLED']);
    // …and an account that does not exist answers exactly alike.
    for (let i = 0; i < 20; i++) await t.login('no-such-user', 'wrong-password', {}, addr);
    const ghost = await t.login('no-such-user', 'wrong-password', {}, addr);
    expect(ghost.statusCode).toBe(r21.statusCode);
    expect(ghost.json()).toMatchObject({ error: { code: 'AUTH_THROTTLED', message: (r21.json() as { error: { message: string } }).error.message } });

    // After the window, the right password works.
    t.clock.advance(61_000);
    expect((await t.login(victim.username, victim.password, {}, addr)).statusCode).toBe(200);

    // Throttle again, then an admin unlock restores it at once.
    for (let i = 0; i < 20; i++) await t.login(victim.username, 'wrong-password', {}, addr);
    expect((await t.login(victim.username, victim.password, {}, addr)).statusCode).toBe(429);
    const admin = await freshSession(t, 'admin');
    const unlock = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${victim.userId}/unlock`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: {},
    });
    expect(unlock.statusCode).toBe(200);
    expect((await t.login(victim.username, victim.password, {}, addr)).statusCode).toBe(200);
  });

  it('lets a browser that signed in before through while a stranger is throttled (no lockout of the duty officer)', async () => {
    const officer = await freshSession(t, 'operator');
    const device = officer.cookie.split('; ').find((c) => c.startsWith('kuzet_device='))!;
    for (let i = 0; i < 21; i++) await t.login(officer.username, 'guess', {}, { 'x-test-address': '10.0.0.9' });
    expect((await t.login(officer.username, officer.password, {}, { 'x-test-address': '10.0.0.9' })).statusCode).toBe(429);
    const fromPost = await t.login(officer.username, officer.password, {}, { cookie: device, 'x-test-address': '10.0.0.10' });
    expect(fromPost.statusCode).toBe(200);
  });

  it('throttles per address across accounts', async () => {
    const addr = { 'x-test-address': '10.0.0.77' };
    for (let i = 0; i < 100; i++) await t.login(`spray-${i}`, 'wrong-password', {}, addr);
    const r = await t.login('spray-final', 'wrong-password', {}, addr);
    expect(codeOf(r)).toBe('AUTH_THROTTLED');
  });

  it('requires the TOTP code once enabled', async () => {
    const s = await freshSession(t, 'inspector');
    const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const setup = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: h, payload: {} });
    const { secret, otpauthUrl } = setup.json() as { secret: string; otpauthUrl: string };
    expect(otpauthUrl).toContain(`secret=${secret}`);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: h, payload: { code: '000000' } });
    expect(codeOf(bad)).toBe('AUTH_TOTP_INVALID');
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: h, payload: { code: totp(secret, t.clock.now()) } });
    expect(en.statusCode).toBe(200);

    const without = await t.login(s.username, s.password);
    expect([without.statusCode, codeOf(without)]).toEqual([401, 'AUTH_TOTP_REQUIRED']);
    expect(without.cookies.find((c) => c.name === 'kuzet_session')).toBeUndefined();
    const wrong = await t.login(s.username, s.password, { totpCode: '123456' === totp(secret, t.clock.now()) ? '654321' : '123456' });
    expect(codeOf(wrong)).toBe('AUTH_TOTP_INVALID');
    const withCode = await t.login(s.username, s.password, { totpCode: totp(secret, t.clock.now()) });
    expect(withCode.statusCode).toBe(200);
    expect((withCode.json() as { user: { totpEnabled: boolean } }).user.totpEnabled).toBe(true);
  });

  it('locks the screen: every call but unlock/logout answers 423 until the password is given', async () => {
    const s = await freshSession(t, 'operator');
    const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/lock', headers: h, payload: {} })).statusCode).toBe(200);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/complexes', headers: h });
    expect([blocked.statusCode, codeOf(blocked)]).toEqual([423, 'SESSION_LOCKED']);
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: h });
    expect((session.json() as { locked: boolean }).locked).toBe(true);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/unlock', headers: h, payload: { password: 'nope' } });
    expect(codeOf(wrong)).toBe('AUTH_PASSWORD_WRONG');
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/unlock', headers: h, payload: { password: s.password } });
    expect(ok.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/complexes', headers: h })).statusCode).toBe(200);
  });

  it('ends a session on logout and after it expires', async () => {
    const s = await freshSession(t, 'operator');
    const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h, payload: {} })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/complexes', headers: h })).statusCode).toBe(401);
    const s2 = await freshSession(t, 'operator');
    t.clock.advance(25 * 3600_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/complexes', headers: { cookie: s2.cookie } })).statusCode).toBe(401);
  });

  it('keeps an inspector inside their complex', async () => {
    const s = await freshSession(t, 'inspector');
    const other = crypto.randomUUID();
    await t.services.siteRepo.insertSite({
      districts: [],
      complexes: [{ id: other, districtId: t.districtId, name: 'Другой ЖК', address: 'Алматы', planWidth: 100, planHeight: 100, planSvg: null }],
      buildings: [],
      entrances: [],
      apartments: [],
      zones: [],
    });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/complexes/${other}/site-plan`, headers: { cookie: s.cookie } });
    expect([res.statusCode, codeOf(res)]).toEqual([403, 'OUT_OF_SCOPE']);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/complexes', headers: { cookie: s.cookie } });
    expect((list.json() as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([t.complexId]);
    const chief = await freshSession(t, 'district_chief');
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/complexes', headers: { cookie: chief.cookie } });
    expect((all.json() as { items: unknown[] }).items).toHaveLength(2);
  });
});
