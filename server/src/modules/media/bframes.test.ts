import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFmp4 } from '@kuzet/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test support of the media package (not part of its API): GStreamer's RTSP server with B-frames.
import { startBframeServer, type BframeServer } from '../../../../packages/media/src/fmp4/bframes-testing.ts';
import { createLogger } from '../../platform/logger.ts';
import { H265Transcoder } from '../live/transcoder.ts';
import { captureLines, run, waitUntil } from '../../testing/media-helpers.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { MediaService } from './media.service.ts';

/**
 * A camera that sends B-frames (GStreamer's RTSP server, x264 with 2 B-frames), through
 * the whole engine (MediaService → worker → StreamSession, per-frame fragments as the
 * live hub gets them): decode times increase, composition offsets are written, and
 * ffprobe decodes every frame the camera sent.
 */
const FRAMES = 50;

describe('media engine with a B-frame camera', { timeout: 120_000 }, () => {
  let t: TestApp;
  let gst: BframeServer;
  /** A longer run for the transcoder: each new run of the camera (a new init) restarts ffmpeg. */
  let gst265: BframeServer;
  let media: MediaService;
  let cameraId = '';
  let camera265 = '';

  beforeAll(async () => {
    t = await createTestApp();
    gst = await startBframeServer(FRAMES);
    gst265 = await startBframeServer(FRAMES * 6);
    const c = await t.services.cameras.create(null, t.complexId, {
      name: 'bframes', type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
      mainUrl: gst.url('h264'), subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
    });
    cameraId = c.id;
    const c265 = await t.services.cameras.create(null, t.complexId, {
      name: 'bframes-265', type: 'yard', buildingId: null, entranceId: null, zoneId: null, position: null, direction: null, fieldOfView: null,
      mainUrl: gst265.url('h265'), subUrl: null, username: null, password: null, recordingPolicy: 'continuous', retentionDays: 30, enabled: true,
    });
    camera265 = c265.id;
    media = new MediaService(t.services.cameras, t.services.cameraHistory, t.services.cameraEvents, createLogger('warn', captureLines().stream), {
      workers: 1,
      timings: { backoffStartMs: 200, backoffMaxMs: 1000, stallMs: 3000, keyframeMs: 5000, connectMs: 3000 },
    });
    await media.start();
  }, 120_000);

  afterAll(async () => {
    await media?.stop();
    gst?.stop();
    gst265?.stop();
    await t?.close();
  });

  it('delivers per-frame fMP4 with increasing decode times and composition offsets that ffprobe decodes frame for frame', async () => {
    let init: Uint8Array | null = null;
    let inits = 0;
    const frags: Uint8Array[] = [];
    // Subscribed before the first frame: the camera's whole first run (it says BYE after FRAMES
    // frames and the engine reconnects; the second init marks the next run).
    const unsub = media.subscribe(cameraId, 'main', {
      onInit: (_c, d) => {
        inits++;
        init ??= new Uint8Array(d);
      },
      onFragment: (d) => void (inits === 1 && frags.push(new Uint8Array(d))),
    });
    await waitUntil(() => inits > 1 || frags.length >= FRAMES, 30_000, 'the first run of the camera');
    unsub();
    expect(frags).toHaveLength(FRAMES);
    const file = Buffer.concat([init!, ...frags]);
    const parsed = parseFmp4(file);
    if (!parsed.ok) throw new Error(parsed.error);
    const samples = parsed.file.samples;
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.dts).toBeGreaterThan(samples[i - 1]!.dts);
    expect(samples.some((s) => s.cto > 0)).toBe(true);
    expect(samples.every((s) => s.cto >= 0)).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuzet-bframes-'));
    const mp4 = path.join(dir, 'live.mp4');
    fs.writeFileSync(mp4, file);
    const probe = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'json', mp4]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(probe.code, probe.stderr).toBe(0);
    const stream = (JSON.parse(probe.stdout.toString()) as { streams: { nb_read_frames: string }[] }).streams[0]!;
    expect(Number(stream.nb_read_frames)).toBe(FRAMES);
  });

  it('an H.265 B-frame camera transcoded for the browser keeps every frame at its own time, in order', async () => {
    const source = { subscribe: (consumer: Parameters<MediaService['subscribe']>[2]) => media.subscribe(camera265, 'main', consumer) };
    const transcoder = new H265Transcoder(source, createLogger('warn', captureLines().stream), 60_000);
    const out: { pts: number; data: Uint8Array }[] = [];
    let init: Uint8Array | null = null;
    const unsub = transcoder.subscribe({ onInit: (_c, d) => (init ??= new Uint8Array(d)), onFragment: (d, m) => void out.push({ pts: m.pts, data: new Uint8Array(d) }) });
    try {
      await waitUntil(() => out.length >= 30, 30_000, '30 transcoded frames');
    } finally {
      unsub();
      await transcoder.stop();
    }
    const first = out.slice(0, 30);
    // ffmpeg outputs in presentation order; each output frame carries the camera time of the input it stands for.
    for (let i = 1; i < first.length; i++) expect(first[i]!.pts - first[i - 1]!.pts).toBe(3600);
    const parsed = parseFmp4(Buffer.concat([init!, ...first.map((f) => f.data)]));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.file.samples.every((s) => s.cto === 0)).toBe(true); // the H.264 it made has no B-frames
  });
});
