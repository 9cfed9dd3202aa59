import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@kuzet/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from '../media/media.service.ts';
import { DetectionService } from './detection.service.ts';
import type { DetectionReport, ZoneSpec } from './detection.types.ts';

/**
 * Tamper and the scenes that must not look like it (or like motion), on the simulator: a
 * camera covered, defocused and turned in turn is reported once per fault with its cause
 * (after ≥ 3 s, ended when healed); headlights sweeping a yard and a camera switching to
 * infrared raise nothing at all.
 */
const WATCH: ZoneSpec = {
  id: 'all', kind: 'include', polygon: [[0, 0.1], [1, 0.1], [1, 1], [0, 1]], sensitivity: 5, minObjectSize: 0.004, schedule: { kind: 'always' }, cooldownSeconds: 0, enabled: true,
};
const FAULT_MS = 9000;
const HEAL_MS = 9000;

describe('tamper and light changes on simulated cameras', { timeout: 300_000 }, () => {
  let t: TestApp;
  let sim: Simulator;
  let media: MediaService;
  let detection: DetectionService;
  const reports: DetectionReport[] = [];
  const ids: Record<string, string> = {};
  const faults: { cause: string; at: number; healedAt: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    sim = await startSimulator({
      cameras: [
        { id: 'tamper', scene: 'quiet-night', codec: 'h264', main: '360p', tamper: true },
        { id: 'lights', scene: 'headlights-night', codec: 'h264', main: '360p' },
        { id: 'ir', scene: 'ir-switch', codec: 'h264', main: '360p' },
      ],
      httpPort: false,
      loopSeconds: 12,
      cacheDir: path.join(os.tmpdir(), 'kuzet-sim-test-cache'),
      log: () => undefined,
    });
    for (const name of ['tamper', 'lights', 'ir']) {
      const c = await t.services.cameras.create(null, t.complexId, {
        name: `det-${name}`, type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
        mainUrl: sim.url(name, 'main'), subUrl: sim.url(name, 'sub'), username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
      });
      ids[name] = c.id;
    }
    const log = createLogger('silent');
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, log, { workers: 1 });
    await media.start();
    detection = new DetectionService({ media, sink: { report: (r) => reports.push(r) }, log });
    detection.start();
    for (const name of ['tamper', 'lights', 'ir']) detection.setCameraConfig(ids[name]!, { enabled: true, zones: [WATCH] });
    await waitUntil(async () => (await t.services.cameras.get(ids.tamper!)).status.some((s) => s.stream === 'sub' && s.state === 'online'), 30_000, 'sub stream online');
    await new Promise((r) => setTimeout(r, 12_000)); // references learned (and a whole loop of the light scenes)
    for (const [kind, cause] of [['cover', 'covered'], ['defocus', 'defocused'], ['turn', 'turned']] as const) {
      sim.setFault('tamper', { kind });
      const at = (await sim.pictureSwitch('tamper'))!;
      await new Promise((r) => setTimeout(r, Math.max(0, at + FAULT_MS - Date.now())));
      sim.setFault('tamper', { kind: 'none' });
      const healedAt = (await sim.pictureSwitch('tamper'))!;
      faults.push({ cause, at, healedAt });
      await new Promise((r) => setTimeout(r, Math.max(0, healedAt + HEAL_MS - Date.now())));
    }
  }, 300_000);

  afterAll(async () => {
    await detection?.stop();
    await media?.stop();
    await sim?.stop();
    await t?.close();
  });

  it('reports covered, defocused and turned once each, after ≥ 3 s, and their end', () => {
    const mine = reports.filter((r) => r.cameraId === ids.tamper);
    const starts = mine.filter((r) => r.kind === 'tamper' && r.phase === 'start');
    expect(starts.map((s) => s.cause)).toEqual(faults.map((f) => f.cause));
    starts.forEach((s, i) => {
      const f = faults[i]!;
      // Started at the fault (give or take a keyframe), told no sooner than 3 s later.
      expect(Math.abs(s.startedAt - f.at)).toBeLessThanOrEqual(2500);
      const end = mine.find((r) => r.eventKey === s.eventKey && r.phase === 'end');
      expect(end, `${f.cause} ended`).toBeDefined();
      expect(end!.endedAt! - f.healedAt).toBeLessThanOrEqual(3000);
      expect(end!.endedAt!).toBeGreaterThanOrEqual(f.at + 3000);
    });
    // A tampered picture is not motion.
    expect(mine.filter((r) => r.kind === 'motion')).toEqual([]);
  });

  it('raises nothing for headlights sweeping the yard or the infrared switch', () => {
    expect(reports.filter((r) => r.cameraId === ids.lights || r.cameraId === ids.ir)).toEqual([]);
  });
});
