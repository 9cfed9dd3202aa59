/** Shared by the sim test files: one cache dir for all of them (clips are reused between files and runs). */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_CACHE = process.env.KUZET_SIM_TEST_CACHE || join(tmpdir(), 'kuzet-sim-test-cache');

/** Collects log lines instead of printing them; tests assert on progress lines. */
export function memoryLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}
