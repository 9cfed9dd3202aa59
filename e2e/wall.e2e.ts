import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';
import { camerasOf, nextStamp, readableStamp, saveLayout } from './live-helpers.ts';

/**
 * The live wall on `kuzet demo` with simulated cameras, in real Chromium: every tile
 * of a 4-tile grid and the full-screen view show the right camera's picture and it
 * advances, all over one WebSocket; a camera stopped at the simulator goes offline within 10 s and comes back
 * by itself.
 */
describe('the live wall', { timeout: 300_000 }, () => {
  let h: Harness;
  let stampIds: Map<string, number>;
  beforeAll(async () => {
    // Ten demo cameras: the tenth (sim id entrance-3) is the H.265 one.
    h = await startHarness({ simCameras: 10 });
    // The simulator answers once its scenes are encoded (cached after the first run).
    let sim: { id: string; stampId: number }[] | null = null;
    for (const deadline = Date.now() + 240_000; !sim && Date.now() < deadline; ) {
      sim = await fetch(`${h.simApi}/cameras`)
        .then((r) => r.json() as Promise<{ id: string; stampId: number }[]>)
        .catch(() => null);
      if (!sim) await new Promise((r) => setTimeout(r, 500));
    }
    if (!sim) throw new Error('the simulator never answered');
    stampIds = new Map(sim.map((c) => [c.id, c.stampId]));
  }, 300_000);
  afterAll(async () => h?.close());

  const simIdOf = (mainUrl: string) => /\/cam\/([^/]+)\//.exec(mainUrl)![1]!;

  it('plays every tile of a 4-tile grid and full screen: the stamps advance', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    const cameras = (await camerasOf(page)).filter((c) => simIdOf(c.mainUrl) !== 'entrance-3').slice(0, 4);
    const layout = await saveLayout(page, 'e2e', 4, cameras.map((c) => c.id));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
    await page.goto(`${h.url}/monitoring?layout=${layout}`);
    for (let i = 0; i < 4; i++) {
      await expect.poll(() => page.getByTestId(`tile-${i}`).getAttribute('data-state'), { timeout: 120_000, interval: 500 }).toBe('playing');
    }
    for (let i = 0; i < 4; i++) {
      const expected = stampIds.get(simIdOf(cameras[i]!.mainUrl));
      const a = await readableStamp(page, `[data-testid="tile-video-${i}"]`);
      expect(a?.id, `tile ${i} shows camera ${cameras[i]!.name}`).toBe(expected);
      const b = await nextStamp(page, `[data-testid="tile-video-${i}"]`, a!);
      expect(b?.id).toBe(expected);
      expect(b!.frame, `tile ${i} advances`).not.toBe(a!.frame);
    }
    await page.getByTestId('tile-0').click();
    await page.getByTestId('fullscreen').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('fullscreen').getAttribute('data-state'), { timeout: 60_000, interval: 300 }).toBe('playing');
    await page.waitForTimeout(300); // a decoded frame, not just the init segment's size
    expect(await page.evaluate(() => (document.querySelector('[data-testid="fullscreen-video"]') as HTMLVideoElement).videoWidth)).toBeGreaterThan(640);
    const f1 = await readableStamp(page, '[data-testid="fullscreen-video"]');
    expect(f1?.id).toBe(stampIds.get(simIdOf(cameras[0]!.mainUrl)));
    const f2 = await nextStamp(page, '[data-testid="fullscreen-video"]', f1!);
    expect(f2!.frame).not.toBe(f1!.frame);
    // Four tiles and the full-screen view: one video connection for the page (beside the alert feed every page has).
    expect(sockets.filter((s) => s !== '/api/v1/alerts/live')).toEqual(['/api/v1/live']);
    expect(errors).toEqual([]);
  });

  it('turns a stopped camera offline within 10 s and back to playing by itself', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    const cameras = (await camerasOf(page)).filter((c) => simIdOf(c.mainUrl) !== 'entrance-3').slice(0, 4);
    const layout = await saveLayout(page, 'e2e-offline', 4, cameras.map((c) => c.id));
    await page.goto(`${h.url}/monitoring?layout=${layout}`);
    await expect.poll(() => page.getByTestId('tile-1').getAttribute('data-state'), { timeout: 120_000 }).toBe('playing');
    const victim = simIdOf(cameras[1]!.mainUrl);
    const stoppedAt = Date.now();
    await fetch(`${h.simApi}/cameras/${victim}/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'offline' }) });
    await expect.poll(() => page.getByTestId('tile-1').getAttribute('data-state'), { timeout: 10_000, interval: 200 }).toBe('offline');
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(await page.getByTestId('tile-0').getAttribute('data-state')).toBe('playing');
    await fetch(`${h.simApi}/cameras/${victim}/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'none' }) });
    await expect.poll(() => page.getByTestId('tile-1').getAttribute('data-state'), { timeout: 60_000, interval: 500 }).toBe('playing');
    expect(errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
  });

  it('plays an H.265 camera through the on-demand transcoder', async () => {
    const { page, errors } = await h.newPage();
    await signIn(page, h.url, 'operator');
    const hevc = (await camerasOf(page)).find((c) => simIdOf(c.mainUrl) === 'entrance-3')!;
    const layout = await saveLayout(page, 'e2e-hevc', 1, [hevc.id]);
    await page.goto(`${h.url}/monitoring?layout=${layout}`);
    await expect.poll(() => page.getByTestId('tile-0').getAttribute('data-state'), { timeout: 120_000, interval: 500 }).toBe('playing');
    const a = await readableStamp(page, '[data-testid="tile-video-0"]');
    expect(a?.id).toBe(stampIds.get('entrance-3'));
    const b = await nextStamp(page, '[data-testid="tile-video-0"]', a!);
    expect(b!.frame).not.toBe(a!.frame);
    expect(errors).toEqual([]);
  });
});
