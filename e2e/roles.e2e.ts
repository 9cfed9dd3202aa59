import { permissions, roles, type Permission, type Role } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

const usernames: Record<Role, string> = {
  admin: 'admin',
  district_chief: 'chief',
  inspector: 'inspector',
  operator: 'operator',
  partner: 'partner',
  resident: 'resident',
};

const menus: [string, Permission][] = [
  ['monitoring', 'monitoring.view'],
  ['map', 'site.read'],
  ['cameras', 'cameras.read'],
  ['residents', 'residents.view'],
  ['appeals', 'appeals.view'],
  ['incidents', 'incidents.view'],
  ['prevention', 'prevention.view'],
  ['analytics', 'analytics.view'],
];

describe('every role sees only its menus (real Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  for (const role of roles) {
    it(`${role}`, async () => {
      const { page, errors } = await h.newPage();
      await signIn(page, h.url, usernames[role]);
      for (const [menu, permission] of menus) {
        const visible = await page.getByTestId(`nav-${menu}`).isVisible();
        expect(visible, `${role} / ${menu}`).toBe((permissions[permission] as readonly Role[]).includes(role));
      }
      expect(errors).toEqual([]);
    });
  }
});
