import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateList, listXlsx } from '../server/src/modules/people-import/testdata/list-generator.ts';
import { signIn, startHarness, type Harness } from './harness.ts';

// Issue 9, the console's import page in real Chromium: upload an XLSX, watch it checked,
// read the bad rows, confirm, and see the registry's export offered.
describe('«Жители» → import (real Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('uploads a list, shows the report filtered by status, and writes it on confirmation', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'inspector');
    await page.goto(`${h.url}/residents`);
    await page.getByTestId('residents-import-link').click();
    await page.getByTestId('people-import-page').waitFor();
    const apartments = Array.from({ length: 40 }, (_, i) => ({ buildingName: 'Блок 2', entranceNumber: 1, number: String(i + 1) }));
    const file = await listXlsx(generateList(apartments, 400, 0.05, 5));
    await page.getByTestId('import-file').setInputFiles({ name: 'list.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByTestId('import-preview').click();
    await page.locator('[data-testid="import-job"][data-state="ready"]').waitFor();
    const counts = await page.getByTestId('import-counts').textContent();
    expect(counts).toContain('400');
    await page.getByTestId('import-status-filter').selectOption('invalid');
    // The unfiltered page (new and invalid rows) stays while the filtered one loads: wait for the new rows to go.
    await expect.poll(() => page.locator('[data-testid="import-rows"] tbody tr[data-status="new"]').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="import-rows"] tbody tr[data-status="invalid"]').count(), { timeout: 20_000 }).toBe(20);
    expect(await page.locator('[data-testid="import-rows"] tbody tr').count()).toBe(20);
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-result').waitFor();
    expect(await page.getByTestId('import-result').textContent()).toContain('380');
    expect(await page.getByTestId('people-export').getAttribute('href')).toContain('/people/export');
    expect(errors).toEqual([]);
  }, 120_000);

  it('the operator is offered the export (IIN masked by the server) but not the import', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    await page.goto(`${h.url}/residents`);
    await page.getByTestId('residents-export-link').waitFor();
    expect(await page.getByTestId('residents-import-link').count()).toBe(0);
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), (await page.getByTestId('residents-export-link').getAttribute('href'))!);
    expect(csv.split('\r\n')[0]).toContain('Фамилия;Имя;Отчество;ИИН');
    expect(csv).toMatch(/=""\d{2}•{8}\d{2}""/);
    expect(csv).not.toMatch(/=""\d{12}""/);
    expect(errors).toEqual([]);
  }, 120_000);
});
