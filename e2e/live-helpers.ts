import { decodeStamp, type StampValue } from '@kuzet/sim';
import type { Page } from 'playwright-core';

/** Reads the simulator's stamp (camera id, frame number) from the pixels a <video> shows. */
export async function stampOf(page: Page, selector: string): Promise<StampValue | null> {
  const strip = await page.evaluate((sel) => {
    const v = document.querySelector(sel) as HTMLVideoElement | null;
    if (!v || !v.videoWidth) return null;
    const rows = Math.min(v.videoHeight, Math.ceil(v.videoHeight / 5));
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(v, 0, 0);
    const d = g.getImageData(0, 0, c.width, rows).data;
    const gray = new Array<number>(c.width * rows);
    for (let i = 0; i < gray.length; i++) gray[i] = Math.round(0.299 * d[i * 4]! + 0.587 * d[i * 4 + 1]! + 0.114 * d[i * 4 + 2]!);
    return { width: c.width, height: c.height, rows, gray };
  }, selector);
  if (!strip) return null;
  // The stamp sits in the top rows; the rest of the frame is left black.
  const data = new Uint8Array(strip.width * strip.height);
  data.set(strip.gray);
  return decodeStamp({ width: strip.width, height: strip.height, data });
}

/**
 * The stamp once it is readable: the first frames after a (re)start can be too soft to
 * read (an encoder's first frames, a transcoder warming up), so poll briefly.
 */
export async function readableStamp(page: Page, selector: string, ms = 15_000): Promise<StampValue | null> {
  const until = Date.now() + ms;
  for (;;) {
    const s = await stampOf(page, selector);
    if (s || Date.now() > until) return s;
    await page.waitForTimeout(200);
  }
}

/** Reads the stamp until it shows a frame other than `from` (the picture advances), or gives up. */
export async function nextStamp(page: Page, selector: string, from: StampValue, ms = 5000): Promise<StampValue | null> {
  const until = Date.now() + ms;
  for (;;) {
    await page.waitForTimeout(200);
    const s = await stampOf(page, selector);
    if ((s && s.frame !== from.frame) || Date.now() > until) return s;
  }
}

/** Saves a wall layout for the signed-in user through the API, from inside the page. */
export async function saveLayout(page: Page, name: string, grid: number, cells: (string | null)[]): Promise<string> {
  return page.evaluate(
    async ({ name, grid, cells }) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
      const id = crypto.randomUUID();
      const r = await fetch(`/api/v1/me/layouts/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ name, grid, cells }),
      });
      if (!r.ok) throw new Error(`layout: ${r.status} ${await r.text()}`);
      return id;
    },
    { name, grid, cells },
  );
}

export async function camerasOf(page: Page): Promise<{ id: string; name: string; mainUrl: string }[]> {
  return page.evaluate(async () => {
    const complexes = (await (await fetch('/api/v1/complexes')).json()) as { items: { id: string }[] };
    const r = (await (await fetch(`/api/v1/complexes/${complexes.items[0]!.id}/cameras?limit=200`)).json()) as { items: { id: string; name: string; mainUrl: string }[] };
    return r.items;
  });
}
