import crypto from 'node:crypto';
import http from 'node:http';
import type { Camera } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { captureLines, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, freshSession, type TestApp } from '../../testing/test-app.ts';

/**
 * The console's camera event stream (SSE): a camera that is really removed is
 * announced to the clients of its own complex only, and a database failure is not
 * a removal — it is logged and the event retried.
 */
interface Client {
  events: { event: string; data: { id: string } }[];
  req: http.ClientRequest;
}

describe('camera events', { timeout: 60_000 }, () => {
  let t: TestApp;
  let base = '';
  let cookie = '';
  let other = '';
  let here: Camera;
  let there: Camera;
  const logs = captureLines();
  const clients: Client[] = [];

  const listen = (complexId: string) =>
    new Promise<Client>((resolve, reject) => {
      const req = http.get(`${base}/api/v1/complexes/${complexId}/cameras/events`, { headers: { cookie } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`events: ${res.statusCode}`));
        const c: Client = { events: [], req };
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          buf += d;
          const blocks = buf.split('\n\n');
          buf = blocks.pop() ?? '';
          for (const b of blocks) {
            const event = /^event: (.*)$/m.exec(b)?.[1];
            const data = /^data: (.*)$/m.exec(b)?.[1];
            if (event && data) c.events.push({ event, data: JSON.parse(data) as { id: string } });
          }
          // The snapshot is the first event: from then on the client is registered.
          if (c.events.length && !clients.includes(c)) {
            clients.push(c);
            resolve(c);
          }
        });
      });
      req.on('error', reject);
    });

  const camera = (complexId: string, name: string) =>
    t.services.cameras.create(null, complexId, {
      name, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
      mainUrl: 'rtsp://10.9.9.9/main', subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: false,
    });

  /** Events of one client about one camera, after the snapshot. */
  const about = (c: Client, id: string) => c.events.slice(1).filter((e) => e.data.id === id).map((e) => e.event);

  /** An event every client of the other complex sees after anything sent before it (SSE keeps order). */
  const barrier = async (c: Client) => {
    const n = about(c, there.id).length;
    await t.services.cameraEvents.changed(there.id);
    await waitUntil(() => about(c, there.id).length > n, 10_000, 'barrier event');
  };

  beforeAll(async () => {
    t = await createTestApp();
    other = crypto.randomUUID();
    await t.services.siteRepo.insertSite({
      districts: [],
      complexes: [{ id: other, districtId: t.districtId, name: 'Другой ЖК', address: 'Алматы', planWidth: 100, planHeight: 100, planSvg: null }],
      buildings: [],
      entrances: [],
      apartments: [],
      zones: [],
    });
    here = await camera(t.complexId, 'here');
    there = await camera(other, 'there');
    t.services.cameraEvents.useLogger(createLogger('debug', logs.stream));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    cookie = (await freshSession(t, 'admin')).cookie;
  });

  afterAll(async () => {
    for (const c of clients) c.req.destroy();
    await t?.close();
  });

  it('does not announce a removal when the database fails, logs it and sends the camera once it answers', async () => {
    const mine = await listen(t.complexId);
    const theirs = await listen(other);
    const get = vi.spyOn(t.services.cameras, 'get').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    await t.services.cameraEvents.changed(here.id);
    await waitUntil(() => about(mine, here.id).length > 0, 10_000, 'the retried camera event');
    expect(about(mine, here.id)).toEqual(['camera']);
    expect(get).toHaveBeenCalledTimes(2);
    get.mockRestore();
    await barrier(theirs);
    expect(about(theirs, here.id)).toEqual([]);
    expect(logs.lines.some((l) => l.includes('the database failed') && l.includes(here.id))).toBe(true);
  });

  it('announces a real removal only to clients of the camera\'s complex', async () => {
    const mine = await listen(t.complexId);
    const theirs = await listen(other);
    const admin = await freshSession(t, 'admin');
    await t.services.cameras.remove({ id: admin.userId, username: 'admin', displayName: '', role: 'admin', complexId: null, districtId: null }, here.id);
    await t.services.cameraEvents.changed(here.id);
    await waitUntil(() => about(mine, here.id).length > 0, 10_000, 'the removal');
    expect(about(mine, here.id)).toEqual(['removed']);
    await barrier(theirs);
    expect(about(theirs, here.id)).toEqual([]);
  });
});
