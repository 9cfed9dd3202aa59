import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, openFromMenu, signIn, startHarness, type Harness } from './harness.ts';

describe('the console in real Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('shows the site plan: buildings, zones, pan/zoom, a building with its apartments', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'inspector');
    await openFromMenu(page, h.url, 'map', '/map', 'site-plan');
    const plan = page.getByTestId('site-plan');
    await expect.poll(() => page.locator('[data-testid^="building-"]').count()).toBe(6);
    expect(await page.locator('[data-testid^="zone-"]').count()).toBeGreaterThanOrEqual(5);
    const before = await plan.getAttribute('viewBox');
    await page.getByTestId('map-zoom-in').click();
    await expect.poll(() => plan.getAttribute('viewBox')).not.toBe(before);
    await page.getByTestId('map-fit').click();
    await page.locator('[data-testid^="building-"]').first().click();
    await page.getByTestId('building-panel').waitFor();
    await expect.poll(() => page.getByTestId('apartments-table').locator('tbody tr').count()).toBeGreaterThan(5);
    if (process.env.KUZET_SCREENSHOT) await page.screenshot({ path: path.resolve(import.meta.dirname, '../docs/screenshot-map.png') });
    expect(errors).toEqual([]);
  });

  it('lets an admin create a user and see it in the access log', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'admin');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-users').click();
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId('users-new').click();
    await page.getByTestId('create-username').fill('e2e.officer');
    await page.getByTestId('create-displayName').fill('Дежурный Е2Е');
    await page.getByTestId('create-password').fill('e2e-officer-password');
    await page.getByTestId('create-role').selectOption('district_chief');
    await page.getByTestId('create-submit').click();
    await expect.poll(() => page.getByTestId('users-table').innerText()).toContain('e2e.officer');
    await page.getByTestId('settings-tab-audit').click();
    await page.getByTestId('audit-table').waitFor();
    await expect.poll(() => page.getByTestId('audit-table').locator('tbody tr').count()).toBeGreaterThan(3);
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verify-result').waitFor();
    expect(errors).toEqual([]);
  });

  it('switches language ru → kk → en for every label', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    expect(await page.getByTestId('nav-monitoring').innerText()).toBe('Мониторинг');
    expect(await page.getByTestId('nav-settings').innerText()).toBe('Настройки');
    await page.getByTestId('lang-kk').click();
    await expect.poll(() => page.getByTestId('nav-settings').innerText()).toBe('Баптаулар');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('nav-settings').innerText()).toBe('Settings');
    expect(errors).toEqual([]);
  });

  it('locks the screen and unlocks with the password', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    await page.getByTestId('lock-now').click();
    await page.getByTestId('lock-screen').waitFor();
    await page.getByTestId('lock-password').fill(DEMO_PASSWORD);
    await page.getByTestId('lock-submit').click();
    await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
    await page.getByTestId('nav-map').click();
    await page.getByTestId('site-plan').waitFor();
    expect(errors).toEqual([]);
  });

  it('says what is wrong on a bad password', async () => {
    const { page, errors } = await h.newPage({ allow: [/Failed to load resource: the server responded with a status of 401/] });
    await page.goto(h.url);
    await page.getByTestId('login-username').fill('operator');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toMatch(/парол/i);
    expect(errors).toEqual([]);
  });

  it('renders the API document at /api/docs without errors', async () => {
    const { page, errors } = await h.newPage();
    await page.goto(`${h.url}/api/docs`);
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(20);
    expect(errors).toEqual([]);
  });
});
