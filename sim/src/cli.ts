/**
 * `npx tsx sim/src/cli.ts --cameras 12 --port 8554 [--http-port 8555] [--host 127.0.0.1]
 *  [--cache DIR] [--loop-seconds 10]` — starts the demo camera set and prints its URLs.
 * Stops cleanly (no ffmpeg left behind) on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { demoCameras, startSimulator } from './index.ts';

function int(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cameras: { type: 'string' },
      port: { type: 'string' },
      'http-port': { type: 'string' },
      host: { type: 'string' },
      cache: { type: 'string' },
      'loop-seconds': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(
      'usage: kuzet sim [--cameras 12] [--port 8554] [--http-port 8555] [--host 127.0.0.1] [--cache DIR] [--loop-seconds 10]',
    );
    return;
  }
  const controller = new AbortController();
  const sim = startSimulator({
    cameras: demoCameras(int(values.cameras, 'cameras', 12)),
    rtspPort: int(values.port, 'port', 8554),
    httpPort: int(values['http-port'], 'http-port', 8555),
    host: values.host ?? '127.0.0.1',
    loopSeconds: int(values['loop-seconds'], 'loop-seconds', 10),
    signal: controller.signal,
    ...(values.cache ? { cacheDir: values.cache } : {}),
  });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    controller.abort();
    await (await sim.catch(() => undefined))?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const s = await sim;
  for (const c of s.cameras()) {
    const auth = c.auth ? ` (${c.auth.kind} auth, user ${c.auth.username})` : '';
    console.log(
      `${c.id.padEnd(12)} ${c.scene.padEnd(16)} ${c.codec}  ${s.url(c.id, 'main', false)}  ${s.url(c.id, 'sub', false)}${auth}`,
    );
  }
  console.log(
    `sim: RTSP on rtsp://${s.host}:${s.rtspPort}, control API on http://${s.host}:${s.httpPort} (GET /cameras, /sessions, /truth/<id>)`,
  );
}

main().catch((err: Error) => {
  console.error(`sim: ${err.message}`);
  process.exit(1);
});
