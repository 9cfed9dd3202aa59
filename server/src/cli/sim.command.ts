import { spawn } from 'node:child_process';
import { SIM_CLI } from '../modules/demo/simulator-process.ts';

/** `kuzet sim …`: the simulator in the foreground, its own arguments passed through. */
export function simCommand(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SIM_CLI, ...args], { stdio: 'inherit' });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}
