import { polygonProblem } from '@kuzet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { DemoService } from '../demo/demo.service.ts';
import { demoZonesFor, PLAYGROUND_ZONE_POLYGON, STAMP_FREE_PICTURE } from './demo-zones.ts';

describe('demo detection zones', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('every demo camera gets zones that keep out of the frame stamp; seeding twice changes nothing', async () => {
    await new DemoService(t.env.handle.db, t.services).seed(TEST_PASSWORD, { simPort: 8554, count: 12 });
    const configs = (await t.services.zones.allConfigs()).filter((c) => c.zones.length);
    expect(configs).toHaveLength(12);
    const cams = await t.services.cameras.allOfComplex(t.complexId);
    const byName = new Map(cams.map((c) => [c.name, c.id]));
    const zonesOf = (name: string) => configs.find((c) => c.cameraId === byName.get(name))!.zones;
    expect(zonesOf('Детская площадка')[0]!.schedule).toEqual({ kind: 'window', from: '23:00', to: '06:00', days: [1, 2, 3, 4, 5, 6, 7] });
    // The playground camera (yard-3, scene playground-night) watches the playground, not the path behind it.
    expect(zonesOf('Детская площадка')[0]!.polygon).toEqual(PLAYGROUND_ZONE_POLYGON);
    expect(zonesOf('Северный двор, обзор')[0]!.schedule).toMatchObject({ kind: 'window', from: '22:00', to: '06:00' });
    expect(zonesOf('Периметр, северо-запад')[0]!.schedule).toEqual({ kind: 'always' });
    expect(zonesOf('Блок 1, подъезд 2')[0]!.schedule).toEqual({ kind: 'always' });
    // The stamp strip (x < 0.5375, y < 0.0667) is outside every default zone.
    for (const c of configs) for (const z of c.zones) expect(z.polygon.some(([x, y]) => x < 0.5375 && y > 0 && y < 0.0667)).toBe(false);
    const before = JSON.stringify(await t.services.zones.allConfigs());
    await new DemoService(t.env.handle.db, t.services).seed(TEST_PASSWORD, { simPort: 8554, count: 12 });
    expect(JSON.stringify(await t.services.zones.allConfigs())).toBe(before);
  });

  it('the playground camera gets the playground polygon 23:00–06:00', () => {
    const z = demoZonesFor('yard-3', 'playground').zones[0]!;
    expect(z.polygon).toEqual(PLAYGROUND_ZONE_POLYGON);
    expect(z.schedule).toMatchObject({ from: '23:00', to: '06:00' });
    expect(polygonProblem(PLAYGROUND_ZONE_POLYGON)).toBeNull();
    expect(polygonProblem(STAMP_FREE_PICTURE)).toBeNull();
  });
});
