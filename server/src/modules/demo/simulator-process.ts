import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { Supervised } from '../../platform/supervisor.ts';

export const SIM_CLI = path.resolve(import.meta.dirname, '../../../../sim/src/cli.ts');

export function simulatorArgs(config: Config): string[] {
  return [
    '--import',
    'tsx',
    SIM_CLI,
    '--cameras',
    String(config.sim.cameras),
    '--port',
    String(config.sim.port),
    '--http-port',
    String(config.sim.port + 1),
    '--cache',
    config.sim.cacheDir,
    '--loop-seconds',
    String(config.sim.loopSeconds),
  ];
}

/**
 * The demo complex's cameras: the simulator as a supervised child process (as real
 * cameras would be separate devices), restarted if it dies, stopped with the server.
 */
export function startSimulatorProcess(config: Config, log: Logger): Supervised {
  const sim = new Supervised({
    name: 'sim',
    command: process.execPath,
    args: simulatorArgs(config),
    // the simulator prefixes its own lines with "sim: " for a bare terminal; the module field says it here
    onLine: (line, stream) => log[stream === 'stderr' ? 'warn' : 'info']({ module: 'sim' }, line.replace(/^sim: /, '')),
    onExit: (code, signal) => log.info({ module: 'sim', code, signal }, 'simulator exited'),
  });
  sim.start();
  return sim;
}
