import type { Config } from '../config/config.ts';
import { checkChromium, checkDataDir, checkDatabase, checkFfmpeg, checkFfprobe, checkGstreamer, checkNode, checkPorts, type Check } from './doctor/checks.ts';

const MARK = { ok: '✓', fail: '✗', warn: '!' } as const;
const NEED = { server: 'the server', demo: 'the demo', optional: 'optional', tests: 'tests only' } as const;

export function formatCheck(c: Check): string {
  const head = `${MARK[c.status]} ${c.name.padEnd(16)} ${c.detail}`;
  return c.status === 'ok' ? head : `${head}\n  ${' '.repeat(16)} → ${c.fix ?? 'see README.md'} [${NEED[c.need]}]`;
}

/**
 * `kuzet doctor`: what this machine has for the server, the demo and the tests, one line
 * each with what to do. Exit 1 when something the server or the demo needs is missing;
 * what only the tests need is a warning (!).
 */
export async function doctorCommand(config: Config): Promise<number> {
  // Independent checks run at once (each spawns a tool or opens a socket); printed in this order.
  const checks: Check[] = (
    await Promise.all([
      checkNode(),
      checkFfmpeg(),
      checkFfprobe(),
      checkDatabase(config),
      checkDataDir(config),
      checkPorts(config),
      checkChromium(),
      checkGstreamer(),
    ])
  ).flat();
  process.stdout.write(checks.map(formatCheck).join('\n') + '\n');
  const failed = checks.filter((c) => c.status === 'fail');
  const warned = checks.filter((c) => c.status === 'warn');
  process.stdout.write(
    failed.length
      ? `\n${failed.length} problem(s) the server or the demo cannot run with (✗), ${warned.length} warning(s) (!).\n`
      : `\nReady: the server and the demo have what they need${warned.length ? `; ${warned.length} warning(s) (!) for the tests or later` : ''}.\n`,
  );
  return failed.length ? 1 : 0;
}
