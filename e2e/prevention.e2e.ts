import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreventionList, SitePlan, VisitRound } from '@kuzet/contracts';
import { DEMO_PASSWORD, signIn, startHarness, type Harness } from './harness.ts';

// Issue 9, acceptance 4: due check-ins of the preventive registry appear in the inspector's
// day list; the coverage view shows the right percentages for a round recorded on the
// phone form (one outcome recorded offline and sent when the network returns).
describe('prevention in real Chromium', () => {
  let h: Harness;
  let api: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  let complexId: string;
  let plan: SitePlan;
  beforeAll(async () => {
    h = await startHarness();
    const login = await fetch(`${h.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'inspector', password: DEMO_PASSWORD }),
    });
    const session = (await login.json()) as { csrfToken: string; user: { id: string; complexId: string } };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    api = async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(`${h.url}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': session.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    complexId = session.user.complexId;
    plan = await api<SitePlan>('GET', `/api/v1/complexes/${complexId}/site-plan`);
  });
  afterAll(async () => h?.close());

  it("shows the check-ins due today and overdue in the inspector's day list", async () => {
    const inspector = await api<{ user: { id: string } }>('GET', '/api/v1/auth/session');
    // "Today" is the server's Almaty date; the dates below are set relative to it.
    const { today } = await api<PreventionList>('GET', `/api/v1/complexes/${complexId}/prevention/day-list`);
    const shift = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const apt = (
      await api<{ items: { id: string }[] }>('GET', `/api/v1/buildings/${plan.buildings[0]!.id}/apartments?limit=1`)
    ).items[0]!.id;
    const people = [
      ['Дауренов', 'Ерасыл', 0],
      ['Гребенщиков', 'Павел', -3],
      ['Мухамеджанов', 'Талгат', 5],
    ] as const;
    for (const [lastName, firstName, due] of people) {
      const p = await api<{ id: string }>('POST', `/api/v1/complexes/${complexId}/people`, {
        lastName,
        firstName,
        consent: 'law_enforcement',
        source: 'e2e',
        residencies: [{ apartmentId: apt, relation: 'tenant' }],
      });
      await api('POST', `/api/v1/complexes/${complexId}/prevention/records`, {
        personId: p.id,
        categoryCode: due < 0 ? 'parole' : 'official_warning',
        basis: 'e2e',
        startsOn: shift(-60),
        firstDueOn: shift(due),
        inspectorId: inspector.user.id,
        periodicity: 'monthly',
      });
    }

    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'inspector');
    await page.getByTestId('nav-prevention').click();
    await page.getByTestId('day-list').waitFor();
    // The demo's own registry records are in the list too: look at this test's people.
    const rows = page.getByTestId('day-list-row').filter({ hasText: /Дауренов|Гребенщиков|Мухамеджанов/ });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain('Гребенщиков Павел');
    expect(await rows.nth(0).getAttribute('data-overdue')).toBe('true');
    expect(await rows.nth(0).innerText()).toContain('Условно-досрочное');
    expect(await rows.nth(1).innerText()).toContain('Дауренов Ерасыл');
    expect(await rows.nth(1).getAttribute('data-overdue')).toBe('false');
    if (process.env.KUZET_SCREENSHOT)
      await page.screenshot({ path: path.join(process.env.KUZET_SCREENSHOT, 'prevention-day-list.png') });
    expect(await page.getByTestId('day-list').innerText()).not.toContain('Мухамеджанов');

    // Recording today's check-in takes the person off today's list.
    await rows.nth(1).getByTestId('record-check-in').click();
    await page.getByTestId('check-in-save').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.nth(0).innerText()).toContain('Гребенщиков Павел');
    expect(errors).toEqual([]);
  });

  it('records a round on the phone form (one outcome offline) and shows its coverage', async () => {
    const building = plan.buildings[0]!;
    const entrance = building.entrances[0]!;
    const { page, context, errors } = await h.newPage({
      allow: [/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/],
    });
    await signIn(page, h.url, 'inspector');
    await page.getByTestId('nav-prevention').click();
    await page.getByTestId('tab-rounds').click();
    await page.getByTestId('new-round-form').waitFor();
    await page.getByTestId('round-name').fill('Обход e2e');
    await page.getByTestId('round-date').fill('2026-12-01');
    await page.getByTestId(`round-entrance-${building.name}-${entrance.number}`).check();
    await page.getByTestId('round-submit').click();
    await page.getByRole('link', { name: 'Обход e2e' }).click();
    await page.getByTestId('round-detail').waitFor();
    await page.getByTestId('open-stairs').click();

    // On the stairs: a phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page
      .getByTestId('stairs-form')
      .waitFor()
      .catch(async (e: unknown) => {
        // Say where the console was and what it showed: a bare timeout tells nothing.
        const shown = await page
          .locator('body')
          .innerText()
          .catch((err: unknown) => String(err));
        throw new Error(
          `the phone form did not open at ${page.url()} (errors: ${errors.join('; ')}): ${shown.slice(0, 600)}`,
          { cause: e },
        );
      });
    const apts = page.locator(`[data-testid^="stairs-apt-${entrance.number}-"]`);
    await expect.poll(() => apts.count()).toBe(entrance.apartmentCount);
    const record = async (i: number, outcome: 'visited' | 'no_answer' | 'refused', problem?: string) => {
      await apts.nth(i).click();
      await page.getByTestId(`outcome-${outcome}`).click();
      if (problem) await page.getByTestId('stairs-problems').fill(problem);
      await page.getByTestId('stairs-save').click();
      await page.getByTestId('stairs-apartment').waitFor({ state: 'detached' });
    };
    await record(0, 'visited', 'Не работает домофон');
    await record(1, 'visited');
    await record(2, 'no_answer');
    await expect.poll(() => page.getByTestId('outbox-status').innerText()).toBe('Всё отправлено.');

    // The signal drops: the half-typed draft survives closing the apartment, the outcome waits in the outbox.
    await context.setOffline(true);
    await apts.nth(3).click();
    await page.getByTestId('outcome-refused').click();
    await page.getByTestId('stairs-problems').fill('Собака без намордника');
    await page.getByRole('button', { name: 'Отмена' }).click();
    await apts.nth(3).click();
    expect(await page.getByTestId('stairs-problems').inputValue()).toBe('Собака без намордника');
    await page.getByTestId('stairs-save').click();
    await record(4, 'visited');
    await expect.poll(() => page.getByTestId('outbox-status').innerText()).toContain('Ждут отправки: 2');
    if (process.env.KUZET_SCREENSHOT)
      await page.screenshot({ path: path.join(process.env.KUZET_SCREENSHOT, 'prevention-stairs-offline.png') });
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 }).toBe('Всё отправлено.');

    // Coverage: 3 visited of the entrance's apartments; 1 no answer and 1 refused beside it.
    const expected = `${Math.round((3 / entrance.apartmentCount) * 100)} %`;
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByRole('link', { name: /Обход e2e/ }).click();
    const row = page.getByTestId(`coverage-entrance-${building.name}-${entrance.number}`);
    await row.waitFor();
    expect(await row.getByTestId('coverage-percent').innerText()).toBe(expected);
    expect((await row.locator('td').allInnerTexts()).slice(2)).toEqual([
      '3',
      '1',
      '1',
      String(entrance.apartmentCount),
    ]);
    expect(await page.getByTestId('coverage-total').getByTestId('coverage-percent').innerText()).toBe(expected);

    // The same round on the site plan.
    await page.getByTestId('nav-map').click();
    await page.getByTestId('coverage-round').waitFor();
    const rounds = await api<{ items: VisitRound[] }>('GET', `/api/v1/complexes/${complexId}/visit-rounds`);
    await page.getByTestId('coverage-round').selectOption(rounds.items.find((r) => r.name === 'Обход e2e')!.id);
    const mark = page.getByTestId(`coverage-mark-${building.name}`);
    await mark.waitFor();
    expect(await mark.getAttribute('data-coverage')).toBe(String(Math.round((3 / entrance.apartmentCount) * 100)));
    expect(
      await page
        .getByTestId('coverage-panel')
        .getByTestId('coverage-total')
        .getByTestId('coverage-percent')
        .innerText(),
    ).toBe(expected);
    if (process.env.KUZET_SCREENSHOT)
      await page.screenshot({ path: path.join(process.env.KUZET_SCREENSHOT, 'prevention-map-coverage.png') });
    expect(errors).toEqual([]);
  });
});
