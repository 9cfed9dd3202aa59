import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn, startHarness, type Harness } from './harness.ts';
import { camerasOf } from './live-helpers.ts';

/**
 * The alert console (issue 10) on `kuzet demo` with simulated cameras, in real Chromium:
 * a camera stopped at the simulator raises an "offline" alert that appears live with the
 * badge in the menu; acknowledging it drops the badge; an alert raised while the console's
 * WebSocket is cut arrives once after it reconnects, and a reload shows nothing twice.
 */
describe('the alert console', { timeout: 400_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simCameras: 2 });
    let ready = false;
    for (const deadline = Date.now() + 240_000; !ready && Date.now() < deadline; ) {
      ready = await fetch(`${h.simApi}/cameras`).then((r) => r.ok, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    if (!ready) throw new Error('the simulator never answered');
  }, 300_000);
  afterAll(async () => h?.close());

  const fault = (simId: string, kind: string) =>
    fetch(`${h.simApi}/cameras/${simId}/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind }) });
  const simIdOf = (mainUrl: string) => /\/cam\/([^/]+)\//.exec(mainUrl)![1]!;
  const rows = (page: Page, kind?: string) => page.locator(kind ? `[data-testid="alert-row"][data-kind="${kind}"]` : '[data-testid="alert-row"]');
  const rowIds = (page: Page) => rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')));
  const badge = async (page: Page) => {
    const b = page.getByTestId('alerts-badge');
    return (await b.count()) === 0 ? 0 : Number(await b.getAttribute('data-count'));
  };
  /** What the server holds (all statuses), read with the page's session. */
  const serverAlerts = (page: Page) =>
    page.evaluate(async () => {
      const complexes = (await (await fetch('/api/v1/complexes')).json()) as { items: { id: string }[] };
      const r = (await (await fetch(`/api/v1/complexes/${complexes.items[0]!.id}/alerts?status=all&limit=200`)).json()) as {
        items: { id: string; status: string; event: { kind: string } }[];
      };
      return r.items;
    });

  it('shows an offline camera live with the badge, acknowledges it, and delivers what a cut feed missed exactly once', async () => {
    const { page, errors } = await h.newPage({ allow: [/WebSocket/] });
    // The test cuts the console's feed at will: while `blocked`, every (re)connect is refused.
    let blocked = false;
    await page.routeWebSocket(/\/api\/v1\/alerts\/live/, (ws) => {
      if (blocked) void ws.close({ code: 1011, reason: 'cut by the test' });
      else ws.connectToServer();
    });
    await signIn(page, h.url, 'operator');
    await page.goto(`${h.url}/alerts`);
    await page.getByTestId('alerts-page').waitFor();
    await expect.poll(() => page.getByTestId('alert-connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    // Once per shift: the click that lets the browser play the alarm.
    await page.getByTestId('alert-sound-enable').click();
    expect(await page.getByTestId('alert-sound-banner').count()).toBe(0);

    // Both cameras online first (a fault on a camera still connecting proves nothing).
    const cameras = await camerasOf(page);
    expect(cameras.length).toBe(2);
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const complexes = (await (await fetch('/api/v1/complexes')).json()) as { items: { id: string }[] };
            const r = (await (await fetch(`/api/v1/complexes/${complexes.items[0]!.id}/cameras?limit=200`)).json()) as {
              items: { status: { stream: string; state: string }[] }[];
            };
            return r.items.every((c) => c.status.find((s) => s.stream === 'main')?.state === 'online');
          }),
        { timeout: 120_000, interval: 1000 },
      )
      .toBe(true);
    const before = (await serverAlerts(page)).length;

    const victim = simIdOf(cameras[0]!.mainUrl);
    const stoppedAt = Date.now();
    expect((await fault(victim, 'offline')).ok).toBe(true);
    await expect.poll(() => rows(page, 'offline').count(), { timeout: 60_000, interval: 250 }).toBe(1);
    const shownAfter = Date.now() - stoppedAt;
    expect(shownAfter, 'offline alert shown within 30 s of the camera stopping').toBeLessThan(30_000);
    await expect.poll(() => badge(page), { timeout: 5_000 }).toBe(1);
    const offlineRow = rows(page, 'offline').first();
    expect(await offlineRow.getAttribute('data-status')).toBe('new');

    // The badge is in the menu on every page.
    await page.getByTestId('nav-monitoring').click();
    await expect.poll(() => badge(page), { timeout: 5_000 }).toBe(1);
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alert-list').waitFor();

    // Acknowledge with the keyboard (the row is selected: the newest unacknowledged).
    await expect.poll(() => page.getByTestId('alert-detail').getAttribute('data-alert-id')).toBe(await offlineRow.getAttribute('data-alert-id'));
    await page.locator('body').press('a');
    await expect.poll(() => badge(page), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => rows(page, 'offline').first().getAttribute('data-status')).toBe('acknowledged');
    // Who and when: the action is in the alert's history.
    await expect.poll(() => page.getByTestId('alert-history').count()).toBe(1);

    // Cut the feed, bring the camera back: its "back online" alert is raised while the console cannot hear.
    blocked = true;
    await page.evaluate(() => (window as unknown as { kuzetAlertFeed: { drop: () => void } }).kuzetAlertFeed.drop());
    await expect.poll(() => page.getByTestId('alert-connection').getAttribute('data-state')).toBe('reconnecting');
    expect((await fault(victim, 'none')).ok).toBe(true);
    await expect
      .poll(async () => (await serverAlerts(page)).filter((a) => a.event.kind === 'online').length, { timeout: 120_000, interval: 1000 })
      .toBe(1);
    expect(await rows(page, 'online').count(), 'not shown while the feed is cut').toBe(0);
    blocked = false;
    // Reconnects by itself (backoff ≤ 30 s) with ?after=<last seq>: the missed alert once, nothing twice.
    await expect.poll(() => rows(page, 'online').count(), { timeout: 60_000, interval: 250 }).toBe(1);
    await expect.poll(() => page.getByTestId('alert-connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
    const ids = await rowIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await rows(page, 'offline').count()).toBe(1);
    expect(await badge(page)).toBe(1);

    // A reload resumes from the stored position: the same alerts, each once.
    await page.reload();
    await page.getByTestId('alert-list').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('alert-connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    const again = await rowIds(page);
    expect(new Set(again).size).toBe(again.length);
    expect(again.sort()).toEqual(ids.sort());
    expect((await serverAlerts(page)).length).toBe(before + 2);
    expect(errors).toEqual([]);
  });
});
