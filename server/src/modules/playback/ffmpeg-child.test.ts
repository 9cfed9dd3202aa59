import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pump } from './ffmpeg-child.ts';

describe('pump', () => {
  it('stops quietly when the child exits before reading its input (EPIPE is not an unhandled rejection)', async () => {
    for (let round = 0; round < 5; round++) {
      // A child that never reads stdin and exits at once, like ffmpeg after its one frame.
      const child = spawn('/bin/sh', ['-c', 'exit 0'], { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdin.on('error', () => undefined);
      const big = Buffer.alloc(4 * 1024 * 1024, 1);
      const input = (async function* () {
        for (let i = 0; i < 8; i++) yield big;
      })();
      await expect(pump(input, child)).resolves.toBeUndefined();
    }
  });
});
