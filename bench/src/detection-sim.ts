/**
 * The detection benchmark's cameras, in their own process (their CPU is counted apart):
 * `--spec <json file: SimCamera[]> [--loop 10] [--cache dir]`. Prints `READY <rtspPort> <httpPort>`;
 * the benchmark drives tamper faults and reads the truth over the HTTP API.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator, type SimCamera } from '@kuzet/sim';

const { values } = parseArgs({ options: { spec: { type: 'string' }, loop: { type: 'string' }, cache: { type: 'string' } } });
const cameras = JSON.parse(fs.readFileSync(values.spec ?? '', 'utf8')) as SimCamera[];
const sim = await startSimulator({
  cameras,
  httpPort: 0,
  loopSeconds: Number(values.loop ?? 10),
  ...(values.cache ? { cacheDir: values.cache } : {}),
  log: (l) => process.stderr.write(`${l}\n`),
});
process.stdout.write(`READY ${sim.rtspPort} ${sim.httpPort}\n`);
const stop = (): void => void sim.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
