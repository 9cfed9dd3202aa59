import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServerProcess, type ServerProcess } from '../testing/cli-process.ts';

/**
 * Acceptance 6 of issue 7: on a machine with Node and npm but no ffmpeg, `kuzet demo`
 * (what `npm start` runs) brings the demo cameras online with the ffmpeg an npm package
 * ships. The system's ffmpeg is hidden: PATH holds only a link to node, KUZET_FFMPEG is
 * unset (baseEnv drops KUZET_*). Ten cameras (six clips, the H.265 one included) with
 * 2 s loops in a private scene cache, so the cold encode stays short.
 */
const PASSWORD = 'demo-password-42';
const dirs: string[] = [];
let server: ServerProcess | null = null;
afterAll(async () => {
  await server?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const tmp = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};

interface CameraView {
  name: string;
  mainUrl: string;
  status: { stream: string; state: string; codec: string | null }[];
}

describe('a machine without a system ffmpeg', () => {
  it('npm start (kuzet demo) brings the demo cameras online with the packaged ffmpeg', async () => {
    const bin = tmp('kuzet-bare-path-');
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    server = await startServerProcess(['demo'], {
      PATH: bin,
      KUZET_DATA_DIR: tmp('kuzet-bare-data-'),
      KUZET_SIM_CACHE: tmp('kuzet-bare-cache-'),
      KUZET_DEMO_PASSWORD: PASSWORD,
      KUZET_SIM_CAMERAS: '10',
      KUZET_SIM_LOOP_SECONDS: '2',
      KUZET_SIM_PORT: String(await freePort()),
      KUZET_LOG_LEVEL: 'info',
    });
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const complexes = (await (await fetch(`${server.url}/api/v1/complexes`, { headers: { cookie } })).json()) as { items: { id: string }[] };
    const complexId = complexes.items[0]!.id;

    // The first start encodes the scenes, then the engine connects: poll the registry as the console does.
    let cameras: CameraView[] = [];
    const online = (c: CameraView) => c.status.find((s) => s.stream === 'main')?.state === 'online';
    const deadline = Date.now() + 240_000;
    for (;;) {
      const r = await fetch(`${server.url}/api/v1/complexes/${complexId}/cameras?limit=50`, { headers: { cookie } });
      cameras = ((await r.json()) as { items: CameraView[] }).items;
      if (cameras.length === 10 && cameras.every(online)) break;
      if (server.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `cameras not online: ${cameras.filter((c) => !online(c)).map((c) => `${c.name}: ${JSON.stringify(c.status)}`).join('; ')}\n${server.output().slice(-4000)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const out = server.output();
    expect(out).toMatch(/"module":"sim".*scenes are rendered by ffmpeg \S+ \(packaged: [^;]*@ffmpeg-installer[^;]*; libx264 yes, libx265 yes\)/);
    expect(out).not.toContain('ENOENT');
    // The H.265 camera is there as H.265 (the packaged build has libx265).
    const h265 = cameras.find((c) => c.mainUrl.includes('/cam/entrance-3/'));
    expect(h265?.status.find((s) => s.stream === 'main')?.codec).toMatch(/^(h265|hevc|hvc1|hev1)/i);
  });
});
