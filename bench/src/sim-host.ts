/**
 * The benchmark's cameras: N simulated 1080p 4 Mbps H.264 cameras (+ 640×360 sub
 * streams) from four shared clips, in their own process so their CPU is counted apart.
 * Prints "READY <port>" when serving.
 */
import { parseArgs } from 'node:util';
import { startSimulator, type SimCamera } from '@kuzet/sim';

const { values } = parseArgs({ options: { cameras: { type: 'string' }, cache: { type: 'string' } } });
const n = Number(values.cameras ?? 100);
const scenes = ['yard-day', 'parking-day', 'entrance-day', 'perimeter-night'];
const cameras: SimCamera[] = Array.from({ length: n }, (_, i) => ({ id: `b${i}`, scene: scenes[i % scenes.length]!, codec: 'h264', main: '1080p' }));
const sim = await startSimulator({
  cameras,
  httpPort: false,
  loopSeconds: 10,
  ...(values.cache ? { cacheDir: values.cache } : {}),
  log: (l) => process.stderr.write(`${l}\n`),
});
process.stdout.write(`READY ${sim.rtspPort}\n`);
const stop = () => void sim.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
