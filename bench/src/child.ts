import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

/** A child process of the benchmark whose stdout lines are kept and can be awaited. */
export interface Proc {
  child: ChildProcess;
  lines: string[];
  waitFor(prefix: string, ms: number): Promise<string>;
}

export function start(cmd: string, args: string[], input = false): Proc {
  const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    if (lines.length > 10_000) lines.splice(0, 5_000);
    for (const w of [...waiters]) {
      if (!l.startsWith(w.prefix)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(l);
    }
  });
  child.stderr!.on('data', () => undefined);
  return {
    child,
    lines,
    waitFor: (prefix, ms) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no "${prefix}" within ${ms} ms`)), ms);
        child.once('exit', (code) => reject(new Error(`${cmd} exited (${code}) before "${prefix}": ${lines.slice(-3).join(' | ')}`)));
        waiters.push({
          prefix,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      }),
  };
}

export async function stop(...procs: ChildProcess[]): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGTERM');
          setTimeout(() => p.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
}

/** Sends "stats" on stdin and parses the `STATS {json}` answer. */
export async function stats(p: Proc): Promise<Record<string, number>> {
  const before = p.lines.length;
  p.child.stdin!.write('stats\n');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const l = p.lines.slice(before).find((x) => x.startsWith('STATS '));
    if (l) return JSON.parse(l.slice(6)) as Record<string, number>;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no stats');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
