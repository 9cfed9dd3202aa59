import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';

// Issue 9 in the console: the demo's 4,000 residents are seeded on first start; the
// search box finds a look-alike first, the card opens, and an operator sees the IIN masked.
describe('«Жители»: search and cards (real Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('the inspector types «Akhmetova», gets Ахметова first, opens her card and her apartment', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'inspector');
    await page.goto(`${h.url}/residents`);
    await page.getByTestId('people-search').fill('Akhmetova');
    await page.getByTestId('people-search').press('Enter');
    const first = page.getByTestId('people-results').locator('li').first();
    await expect.poll(() => first.textContent()).toContain('Ахметова Айгерим Нурлановна');
    await first.getByRole('button').click();
    const card = page.getByTestId('person-card');
    await card.waitFor();
    expect(await page.getByTestId('person-iin').textContent()).toMatch(/\d{12}/);
    await card.getByRole('button', { name: /Блок 1/ }).click();
    await page.getByTestId('apartment-card').waitFor();
    expect(await page.getByTestId('apartment-card').textContent()).toContain('Ахметова Айгерим Нурлановна');
    expect(errors).toEqual([]);
  });

  it('the operator sees the IIN masked', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    await page.goto(`${h.url}/residents`);
    await page.getByTestId('people-search').fill('блок 3 кв 45');
    const results = page.getByTestId('people-results');
    await expect.poll(() => results.locator('li').count()).toBeGreaterThan(1);
    await results.getByRole('button', { name: /Сейтжанов/ }).click();
    await page.getByTestId('person-card').waitFor();
    expect(await page.getByTestId('person-iin').textContent()).toMatch(/^\d\d•{8}\d\d/);
    expect(errors).toEqual([]);
  });
});
