import { describe, expect, it } from 'vitest';
import { Supervised } from './supervisor.ts';

const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitFor = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Supervised child process', () => {
  it('restarts a child that dies, and leaves none behind after stop', async () => {
    const lines: string[] = [];
    const s = new Supervised({
      name: 'looper',
      command: process.execPath,
      args: ['-e', 'console.log("up " + process.pid); setInterval(() => {}, 1000)'],
      backoffMs: 50,
      onLine: (l) => lines.push(l),
    });
    s.start();
    await waitFor(() => lines.length >= 1);
    const first = s.pid!;
    process.kill(first, 'SIGKILL');
    await waitFor(() => s.pid !== undefined && s.pid !== first && lines.length >= 2);
    expect(s.restarts).toBe(1);
    const second = s.pid!;
    await s.stop();
    expect(alive(first)).toBe(false);
    expect(alive(second)).toBe(false);
    expect(s.pid).toBeUndefined();
  });

  it('escalates to SIGKILL when the child ignores SIGTERM', async () => {
    const lines: string[] = [];
    const s = new Supervised({
      name: 'stubborn',
      command: process.execPath,
      args: ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'],
      killTimeoutMs: 200,
      onLine: (l) => lines.push(l),
    });
    s.start();
    await waitFor(() => lines.includes('ready'));
    const pid = s.pid!;
    await s.stop();
    expect(alive(pid)).toBe(false);
  });
});
