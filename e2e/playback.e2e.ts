import { decodeStamp, type CameraTruth, type StampValue } from '@kuzet/sim';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Harness } from './harness.ts';
import { camerasOf } from './live-helpers.ts';

/**
 * Playback (issue 8, acceptance 4) on `kuzet demo` with two simulated cameras recording, in
 * real Chromium: (a) the timeline shows a gap, with its reason, where the simulator stopped a
 * camera for a minute; (b) a seek to an arbitrary second shows that second's frame — the
 * simulator's stamp read from the pixels equals the frame the simulator sent at that wall
 * time (its ground truth); frame steps move one frame; (c) two cameras played together show
 * frames of the same moment. Also: a live tile's "10 s ago" opens the recording 10 s back.
 *
 * Segments of 7 s, not 10: the simulator's clips loop every 10 s, so with 10 s files a seek
 * that lands one file off would show the very same stamp and pass.
 */

interface Timeline {
  ranges: { start: string; end: string }[];
  gaps: { start: string; end: string; reason: string }[];
}

const FRAME_MS = 40;

/** The stamps of several videos drawn in one task (the same instant), decoded here. */
async function stampsOf(page: Page, selectors: string[]): Promise<(StampValue | null)[]> {
  const strips = await page.evaluate((sels) => {
    return sels.map((sel) => {
      const v = document.querySelector(sel) as HTMLVideoElement | null;
      if (!v || !v.videoWidth) return null;
      const rows = Math.ceil(v.videoHeight / 5);
      const c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      const g = c.getContext('2d', { willReadFrequently: true })!;
      g.drawImage(v, 0, 0);
      const d = g.getImageData(0, 0, c.width, rows).data;
      const gray = new Array<number>(c.width * rows);
      for (let i = 0; i < gray.length; i++) gray[i] = Math.round(0.299 * d[i * 4]! + 0.587 * d[i * 4 + 1]! + 0.114 * d[i * 4 + 2]!);
      return { width: c.width, height: c.height, gray };
    });
  }, selectors);
  return strips.map((s) => {
    if (!s) return null;
    const data = new Uint8Array(s.width * s.height);
    data.set(s.gray);
    return decodeStamp({ width: s.width, height: s.height, data });
  });
}

/** The loop frame the simulator sent at wall time `ms`. */
const loopFrameAt = (truth: CameraTruth, ms: number) =>
  (((Math.floor(((ms - truth.epochMs) * truth.fps) / 1000) % truth.loopFrames) + truth.loopFrames) % truth.loopFrames);

/** Frames between two loop positions, the short way round. */
const loopDistance = (truth: CameraTruth, a: number, b: number) => {
  const d = (((a - b) % truth.loopFrames) + truth.loopFrames) % truth.loopFrames;
  return Math.min(d, truth.loopFrames - d);
};

/** The wall time (ms) at which the simulator sent loop frame `frame`, nearest to `near`. */
const wallOfFrame = (truth: CameraTruth, frame: number, near: number) => {
  const loopMs = truth.loopFrames * FRAME_MS;
  const base = truth.epochMs + frame * FRAME_MS;
  return base + Math.round((near - base) / loopMs) * loopMs;
};

describe('playback of recorded footage', { timeout: 360_000 }, () => {
  let h: Harness;
  let page: Page;
  let errors: string[];
  const cams: { id: string; simId: string; truth: CameraTruth }[] = [];
  let stoppedAt = 0;
  let healedAt = 0;

  const timeline = (cameraId: string) =>
    page.evaluate(async (id) => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const r = await fetch(`/api/v1/cameras/${id}/recordings/timeline?from=${from}&to=${to}`);
      if (!r.ok) throw new Error(`timeline ${r.status}: ${await r.text()}`);
      return (await r.json()) as Timeline;
    }, cameraId);
  const recordedSince = async (cameraId: string, since: number) => {
    const t = await timeline(cameraId);
    return t.ranges.reduce((n, r) => n + Math.max(0, Date.parse(r.end) - Math.max(since, Date.parse(r.start))), 0);
  };
  const fault = (simId: string, kind: string) =>
    fetch(`${h.simApi}/cameras/${simId}/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind }) });
  const paneShown = async (i: number) => Number(await page.getByTestId(`pane-${i}`).getAttribute('data-shown'));

  beforeAll(async () => {
    h = await startHarness({ simCameras: 2, env: { KUZET_RECORDING_SEGMENT_SECONDS: '7' } });
    let sim: { id: string }[] | null = null;
    for (const deadline = Date.now() + 240_000; !sim && Date.now() < deadline; ) {
      sim = await fetch(`${h.simApi}/cameras`)
        .then((r) => r.json() as Promise<{ id: string }[]>)
        .catch(() => null);
      if (!sim) await new Promise((r) => setTimeout(r, 500));
    }
    if (!sim) throw new Error('the simulator never answered');
    // A media request for footage not recorded (yet) answers 404: the player's "nothing here", not a failure.
    ({ page, errors } = await h.newPage({ allow: [/status of 404 \(Not Found\)/] }));
    await signIn(page, h.url, 'inspector');
    for (const c of await camerasOf(page)) {
      const simId = /\/cam\/([^/]+)\//.exec(c.mainUrl)![1]!;
      const truth = (await (await fetch(`${h.simApi}/truth/${simId}`)).json()) as CameraTruth;
      cams.push({ id: c.id, simId, truth });
    }
    if (cams.length !== 2) throw new Error(`expected the demo's two cameras, got ${cams.length}`);
    // Both cameras record for a while before anything is checked.
    for (const deadline = Date.now() + 120_000; ; ) {
      const least = Math.min(...(await Promise.all(cams.map((c) => recordedSince(c.id, 0)))));
      if (least > 25_000) break;
      if (Date.now() > deadline) throw new Error(`the cameras recorded only ${least} ms in 2 minutes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Camera B goes away for a minute; (b) and (c) run on the footage before, meanwhile.
    stoppedAt = Date.now();
    if (!(await fault(cams[1]!.simId, 'offline')).ok) throw new Error('the simulator refused the fault');
  }, 360_000);

  afterAll(async () => h?.close());

  it('(b) a seek to an arbitrary second shows that second\'s frame; frame steps move one frame', async () => {
    const a = cams[0]!;
    const t = await timeline(a.id);
    const range = t.ranges.find((r) => Date.parse(r.end) - Date.parse(r.start) > 15_000) ?? t.ranges[0]!;
    // A whole second well inside the footage, not on a file boundary.
    const second = Math.floor((Date.parse(range.start) + 9_300) / 1000) * 1000;
    await page.goto(`${h.url}/playback?cameras=${a.id}&at=${new Date(second).toISOString()}`);
    await expect.poll(() => page.getByTestId('pane-0').getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    await expect.poll(() => paneShown(0), { timeout: 15_000 }).toBeGreaterThan(second - FRAME_MS - 1);
    const shown = await paneShown(0);
    expect(shown).toBeLessThanOrEqual(second);
    const [stamp] = await stampsOf(page, ['[data-testid="pane-video-0"]']);
    expect(stamp?.id).toBe(a.truth.stampId);
    // The frame the camera sent at that second (arrival on loopback: a frame or two later).
    expect(loopDistance(a.truth, stamp!.frame, loopFrameAt(a.truth, second))).toBeLessThanOrEqual(2);
    // The Almaty date and time over the picture.
    await expect.poll(() => page.getByTestId('pane-time-0').textContent()).toContain(
      new Intl.DateTimeFormat('ru-RU', { timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(shown),
    );

    // One frame forward, one back: the stamp moves by one.
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await stampsOf(page, ['[data-testid="pane-video-0"]']))[0]?.frame, { timeout: 10_000 }).toBe((stamp!.frame + 1) % a.truth.loopFrames);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await stampsOf(page, ['[data-testid="pane-video-0"]']))[0]?.frame, { timeout: 10_000 }).toBe(stamp!.frame);

    // Another second, typed: 12 s earlier (outside what the first request brought).
    const other = second - 12_000 >= Date.parse(range.start) ? second - 12_000 : second + 4_000;
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(other);
    await page.getByTestId('pb-goto').fill(clock);
    await page.getByTestId('pb-goto').press('Enter');
    await expect.poll(async () => Math.abs((await paneShown(0)) - other), { timeout: 20_000 }).toBeLessThan(FRAME_MS + 1);
    await page.waitForTimeout(200);
    const [second2] = await stampsOf(page, ['[data-testid="pane-video-0"]']);
    expect(loopDistance(a.truth, second2!.frame, loopFrameAt(a.truth, other))).toBeLessThanOrEqual(2);

    // The other camera too (its own clock, its own files).
    const b = cams[1]!;
    const secondB = Math.floor((stoppedAt - 5_300) / 1000) * 1000;
    await page.goto(`${h.url}/playback?cameras=${b.id}&at=${new Date(secondB).toISOString()}`);
    await expect.poll(() => page.getByTestId('pane-0').getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    await expect.poll(async () => Math.abs((await paneShown(0)) - secondB), { timeout: 15_000 }).toBeLessThan(FRAME_MS + 1);
    const [stampB] = await stampsOf(page, ['[data-testid="pane-video-0"]']);
    expect(stampB?.id).toBe(b.truth.stampId);
    expect(loopDistance(b.truth, stampB!.frame, loopFrameAt(b.truth, secondB)), `camera B at ${secondB}: frame ${stampB!.frame}, sent ${loopFrameAt(b.truth, secondB)}`).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('(c) two cameras played together show frames of the same moment', async () => {
    const [a, b] = [cams[0]!, cams[1]!];
    // Both recorded here (before camera B was stopped; B may have started recording later than A).
    const firsts = await Promise.all([a, b].map(async (c) => Date.parse((await timeline(c.id)).ranges[0]!.start)));
    const start = Math.max(stoppedAt - 25_000, ...firsts.map((f) => f + 1_000));
    expect(stoppedAt - start).toBeGreaterThan(8_000);
    await page.goto(`${h.url}/playback?cameras=${a.id},${b.id}&at=${new Date(start).toISOString()}`);
    for (const i of [0, 1]) await expect.poll(() => page.getByTestId(`pane-${i}`).getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    await page.getByTestId('pb-play').click();
    await expect.poll(() => page.getByTestId('pane-0').getAttribute('data-state')).toBe('playing');
    await page.waitForTimeout(1500);
    /** The wall times (simulator truth) of the two frames drawn in one task. */
    const pair = async () => {
      const [sa, sb] = await stampsOf(page, ['[data-testid="pane-video-0"]', '[data-testid="pane-video-1"]']);
      const clock = Number(await page.getByTestId('pb-clock').getAttribute('data-clock'));
      expect(sa?.id).toBe(a.truth.stampId);
      expect(sb?.id).toBe(b.truth.stampId);
      return { clock, wa: wallOfFrame(a.truth, sa!.frame, clock), wb: wallOfFrame(b.truth, sb!.frame, clock) };
    };
    const playing: string[] = [];
    let worst = 0;
    for (let i = 0; i < 4; i++) {
      const p = await pair();
      if (p.clock > stoppedAt - 4_000) break;
      worst = Math.max(worst, Math.abs(p.wa - p.wb));
      playing.push(`${p.wa - p.wb} ms`);
      await page.waitForTimeout(500);
    }
    expect(playing.length).toBeGreaterThan(0);
    // While playing (one master clock, followers corrected): frames of the same second.
    expect(worst, `A − B while playing: ${playing.join(', ')}`).toBeLessThan(1000);
    // Paused, both show the clock's moment: the same frame time within two frames.
    await page.getByTestId('pb-play').click();
    await page.goto(`${h.url}/playback?cameras=${a.id},${b.id}&at=${new Date(start + 3_000).toISOString()}`);
    for (const i of [0, 1]) await expect.poll(() => page.getByTestId(`pane-${i}`).getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    await page.waitForTimeout(500);
    const still = await pair();
    expect(Math.abs(still.wa - still.wb), `paused: A at ${still.wa - still.clock} ms, B at ${still.wb - still.clock} ms of the clock`).toBeLessThanOrEqual(2 * FRAME_MS);
    expect(Math.abs(still.wa - still.clock)).toBeLessThanOrEqual(3 * FRAME_MS);
    console.log(`sync A − B while playing: ${playing.join(', ')}; paused: ${still.wa - still.wb} ms`);
    expect(errors).toEqual([]);
  });

  it('(a) the timeline shows the gap, with why, where the camera was stopped for a minute', async () => {
    const b = cams[1]!;
    const wait = stoppedAt + 60_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    healedAt = Date.now();
    expect((await fault(b.simId, 'none')).ok).toBe(true);
    // Recording resumes by itself.
    await expect.poll(() => recordedSince(b.id, healedAt), { timeout: 60_000, interval: 1000 }).toBeGreaterThan(3_000);
    const mid = stoppedAt + 30_000;
    await page.goto(`${h.url}/playback?cameras=${b.id}&at=${new Date(mid).toISOString()}`);
    const gap = page.locator('[data-testid="track-0"] [data-testid="timeline-gap"][data-reason="camera_offline"]');
    await expect.poll(() => gap.count(), { timeout: 20_000 }).toBe(1);
    const gapStart = Number(await gap.getAttribute('data-start'));
    const gapEnd = Number(await gap.getAttribute('data-end'));
    expect(gapStart).toBeGreaterThan(stoppedAt - 3_000);
    expect(gapStart).toBeLessThan(stoppedAt + 5_000);
    expect(gapEnd).toBeGreaterThan(healedAt - 1_000);
    expect(gapEnd).toBeLessThan(healedAt + 30_000);
    expect(await gap.getAttribute('title')).toContain('Камера была недоступна');
    // The picture says so too.
    await expect.poll(() => page.getByTestId('pane-0').getAttribute('data-state'), { timeout: 15_000 }).toBe('gap');
    await expect.poll(() => page.getByTestId('pane-no-footage').textContent()).toContain('Камера была недоступна');
    // Zoomed to a minute around the playhead the gap fills the track.
    await page.getByRole('button', { name: '1 минута' }).click();
    const [track, box] = [await page.getByTestId('track-0').boundingBox(), await gap.boundingBox()];
    expect(box!.width).toBeGreaterThan(track!.width * 0.8);
    // Playing from inside the gap jumps to where footage resumes.
    await page.getByTestId('pb-play').click();
    await expect.poll(() => page.getByTestId('pane-0').getAttribute('data-state'), { timeout: 20_000 }).toBe('playing');
    await expect.poll(() => paneShown(0), { timeout: 10_000 }).toBeGreaterThan(gapEnd - 1_000);
    expect(errors).toEqual([]);
  });

  it('opens the recording 10 s back from a live tile', async () => {
    const a = cams[0]!;
    const layout = await page.evaluate(async (id) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
      const layoutId = crypto.randomUUID();
      await fetch(`/api/v1/me/layouts/${layoutId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ name: 'e2e-playback', grid: 1, cells: [id] }),
      });
      return layoutId;
    }, a.id);
    await page.goto(`${h.url}/monitoring?layout=${layout}`);
    await page.getByTestId('tile-0').hover();
    const clicked = Date.now();
    await page.getByTestId('tile-ago-0').click();
    await page.waitForURL(/\/playback\?cameras=/);
    await expect.poll(() => page.getByTestId('pane-0').getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    await expect.poll(async () => Math.abs((await paneShown(0)) - (clicked - 10_000)), { timeout: 15_000 }).toBeLessThan(1_500);
    const [stamp] = await stampsOf(page, ['[data-testid="pane-video-0"]']);
    expect(stamp?.id).toBe(a.truth.stampId);

    // A bookmark with a note at this moment: listed, and marked on the timeline.
    await page.getByTestId('pb-bookmark-note').fill('e2e: a person at the gate');
    await page.getByTestId('pb-bookmark-add').click();
    await expect.poll(() => page.getByTestId('pb-bookmark').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('pb-bookmark').textContent()).toContain('e2e: a person at the gate');
    expect(await page.locator('.tl-bookmark').count()).toBe(1);
    // A JPEG of the shown moment: the inspector may export (the route itself is the playback API's to test).
    await expect.poll(() => page.getByTestId('pane-snapshot-0').isVisible()).toBe(true);
    expect(errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
  });
});
