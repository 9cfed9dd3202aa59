/**
 * Acceptance (issue 7, line 3): a B-frame stream served by an independent RTSP server
 * (GStreamer's) and ingested by RtspClient → Fmp4Muxer gives fMP4 in which ffprobe
 * decodes every frame sent, in presentation order, in both muxer modes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFrames, decodeErrors, makeTempDir, requireFfmpeg } from '../codec/testing.ts';
import { type BframeServer, ingestToFmp4, type Ingested, startBframeServer } from './bframes-testing.ts';
import { parseFmp4 } from './parser.ts';

const FRAMES = 50;
const tmp = makeTempDir('bframes-interop');

describe('B-frames from GStreamer RTSP server', { timeout: 90_000 }, () => {
  let server: BframeServer;
  beforeAll(async () => {
    requireFfmpeg();
    server = await startBframeServer(FRAMES);
  }, 60_000);
  afterAll(() => {
    server?.stop();
    tmp.cleanup();
  });

  describe.each(['h264', 'h265'] as const)('%s', (codec) => {
    let got: Ingested;
    beforeAll(async () => {
      got = await ingestToFmp4(server.url(codec), FRAMES);
    }, 60_000);

    it('arrives in decode order with presentation timestamps (really B-frames)', () => {
      expect(got.error?.reason ?? 'ended').toBe('ended'); // the server says BYE after the last frame
      expect(got.frames).toBe(FRAMES);
      const back = got.pts.filter((p, i) => i > 0 && p < (got.pts[i - 1] as number)).length;
      expect(back).toBeGreaterThan(FRAMES / 4);
      expect(got.reorderDepth).toBeGreaterThan(0);
    });

    it.each(['frame', 'gop'] as const)('%s mode: ffprobe decodes every frame sent, in order', async (mode) => {
      const bytes = Buffer.concat([got.init, ...got.fragments[mode]]);
      const parsed = parseFmp4(bytes);
      if (!parsed.ok) throw new Error(parsed.error);
      const samples = parsed.file.samples;
      expect(samples).toHaveLength(FRAMES);
      for (let i = 1; i < samples.length; i++) expect(samples[i]!.dts).toBeGreaterThan(samples[i - 1]!.dts);
      expect(samples.every((s) => s.cto >= 0)).toBe(true);
      const file = join(tmp.dir, `${codec}-${mode}.mp4`);
      writeFileSync(file, bytes);
      const probe = await countFrames(file);
      expect(probe.count).toBe(FRAMES);
      const sorted = [...got.pts].sort((a, b) => a - b);
      const shift = (probe.pts[0] as number) - (sorted[0] as number);
      expect(probe.pts).toEqual(sorted.map((p) => p + shift)); // every picture, shown at its own time
      expect(await decodeErrors(file)).toBe('');
    });
  });
});
