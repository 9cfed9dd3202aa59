import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTestCamera } from '../../testing/cameras.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { RecordingService, type RecordingMedia } from './recording.service.ts';

/** A camera set to record on motion, on a server without a detector (detection off, no ffmpeg): it records continuously. */
describe('recording on motion without a detector', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-motion-fallback-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks the media engine for continuous recording instead of waiting for motion that nobody reports', async () => {
    const cam = { id: await aTestCamera(t, { name: 'Подвал', type: 'entrance', recordingPolicy: 'motion', enabled: true }) };
    const asked: { cameraId: string; motion: boolean }[] = [];
    const media: RecordingMedia = {
      setRecording: async (cameraId, spec) => void asked.push({ cameraId, motion: !!spec?.motion }),
      onRecording: () => () => undefined,
    };
    const config = { ...t.env.config.recordings, dir };
    for (const motionDetected of [false, true]) {
      asked.length = 0;
      const rec = new RecordingService({ db: t.env.handle.db, cameras: t.services.cameras, media, config, events: t.services.recordingEvents, log: pino({ level: 'silent' }), motionDetected });
      await rec.start();
      expect(rec.modeOf(cam.id)).toBe(motionDetected ? 'motion' : 'continuous');
      expect(asked.find((a) => a.cameraId === cam.id)).toEqual({ cameraId: cam.id, motion: motionDetected });
      await rec.stop();
    }
  });
});
