import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locate } from '@kuzet/ffmpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../index.ts';
import { memoryLog } from '../testing/fixtures.ts';
import type { SimCamera } from '../types.ts';
import { planEncoding } from './encoder-check.ts';
import { SCENE_FILTERS, sceneGraph } from './filtergraph.ts';
import { sceneIds } from './catalog.ts';

const dir = mkdtempSync(join(tmpdir(), 'kuzet-encoder-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const found = locate('ffmpeg');
if (!found.ok) throw new Error(`these tests need an ffmpeg (${found.reason}): ${found.fix}`);
const real = found.path;

/** An ffmpeg that hides some of its encoders or filters from the listings (a smaller build). */
function crippled(name: string, hide: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\ncase "$2" in -encoders|-filters) "${real}" "$@" | grep -v -w '${hide}';; *) exec "${real}" "$@";; esac\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

const cameras: SimCamera[] = [
  { id: 'a', scene: 'quiet-day', codec: 'h264', main: '360p' },
  { id: 'b', scene: 'quiet-night', codec: 'h265', main: '360p' },
];

describe('which ffmpeg renders the scenes, and whether it can', () => {
  it('names every filter the scene graphs use in SCENE_FILTERS', () => {
    const used = new Set<string>();
    for (const scene of sceneIds()) {
      const graph = sceneGraph({ scene, codec: 'h264', main: '1080p', stampId: 1, loopSeconds: 2 });
      for (const part of graph.split(/[,;\n]/)) {
        const m = /^(?:\[[^\]]*\])*([a-z_]+)(?:=|\[|$)/.exec(part.trim());
        if (m) used.add(m[1]!);
      }
    }
    expect([...used].sort()).toEqual([...SCENE_FILTERS].sort());
  });

  it('keeps H.265 cameras when the ffmpeg has libx265', async () => {
    const plan = await planEncoding(cameras);
    expect(plan.cameras.map((c) => c.codec)).toEqual(['h264', 'h265']);
    expect(plan.notes[0]).toMatch(/^sim: scenes are rendered by ffmpeg \S+ \((env|system|packaged): /);
  });

  it('serves H.265 cameras as H.264 and says so when the ffmpeg lacks libx265', async () => {
    const plan = await planEncoding(cameras, { env: { KUZET_FFMPEG: crippled('no-x265', 'libx265') } });
    expect(plan.cameras.map((c) => c.codec)).toEqual(['h264', 'h264']);
    expect(plan.notes[1]).toContain('has no libx265: camera(s) b serve H.264 instead of H.265');
    expect(cameras[1]!.codec).toBe('h265'); // the caller's list is not changed
  });

  it('stops with what to install when a filter or libx264 is missing', async () => {
    await expect(planEncoding(cameras, { env: { KUZET_FFMPEG: crippled('no-cellauto', 'cellauto') } })).rejects.toThrow(
      /lacks the filter\(s\) cellauto .*apt-get install -y ffmpeg/,
    );
    await expect(planEncoding(cameras, { env: { KUZET_FFMPEG: crippled('no-x264', 'libx264') } })).rejects.toThrow(/has no libx264 encoder/);
    await expect(planEncoding(cameras, { env: { KUZET_FFMPEG: join(dir, 'missing') } })).rejects.toThrow(
      /cannot render the camera scenes: KUZET_FFMPEG=.*missing is not an executable file/,
    );
  });

  it('a simulator on such an ffmpeg comes up with the H.265 camera on H.264', async () => {
    const log = memoryLog();
    const sim = await startSimulator({
      cameras,
      loopSeconds: 2,
      httpPort: false,
      cacheDir: join(dir, 'cache'),
      log: log.log,
      ffmpeg: { env: { KUZET_FFMPEG: crippled('no-x265-sim', 'libx265') } },
    });
    try {
      expect(sim.cameras().map((c) => c.codec)).toEqual(['h264', 'h264']);
      expect(log.lines.join('\n')).toContain('camera(s) b serve H.264 instead of H.265');
    } finally {
      await sim.stop();
    }
  });
});
