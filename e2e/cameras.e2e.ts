import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

/**
 * `kuzet demo` with simulated cameras: the registry shows them, their status comes
 * live over server-sent events (the badges change without a reload), and the map
 * draws them with their view cones.
 */
describe('cameras in the console', { timeout: 240_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simCameras: 3 });
  }, 240_000);
  afterAll(async () => h?.close());

  it('shows the demo cameras going online, live', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    await page.getByTestId('nav-cameras').click();
    // Say what the page showed instead when the table does not come (an error, the empty state, a spinner).
    await page
      .getByTestId('cameras-table')
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        throw new Error(`no camera table; the page says: ${(await page.locator('body').innerText()).slice(0, 600)}`, { cause: err });
      });
    await expect.poll(() => page.locator('[data-testid^="camera-row-"]').count(), { timeout: 20_000 }).toBe(3);
    // First start encodes the scenes (cached afterwards); the badges turn online without a reload.
    await expect
      .poll(() => page.locator('[data-testid$="-main"][data-state="online"]').count(), { timeout: 180_000, interval: 1000 })
      .toBe(3);
    expect(await page.getByTestId('nav-monitoring').isVisible()).toBe(true);
    await page.getByTestId('nav-map').click();
    await expect.poll(() => page.locator('[data-testid^="map-camera-"]').count()).toBe(3);
    expect(errors).toEqual([]);
  });
});
