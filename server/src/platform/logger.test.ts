import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createServices } from '../services.ts';
import { createTestEnv, type TestEnv } from '../testing/test-db.ts';
import { ManualClock } from './clock.ts';
import { formatLine, prettyDestination } from './log-format.ts';
import { createLogger } from './logger.ts';
import { loadOrCreateSecrets } from './secrets.ts';

/** Collects what a logger writes (JSON lines, or formatted lines). */
function sink(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('log lines on a terminal', () => {
  it('are short: time, level, module, message, then the fields', () => {
    const json = JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 1, 8, 5, 9), pid: 1, hostname: 'h', app: 'kuzet', module: 'media', cameraId: 'c-1', state: 'online', msg: 'camera state' });
    const out = formatLine(json);
    expect(out).toMatch(/^\d\d:\d\d:\d\d INFO  media camera state cameraId=c-1 state=online\n$/);
    expect(out).not.toContain('hostname');
  });

  it('show an error with its message, and its stack at error level', () => {
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' };
    expect(formatLine(JSON.stringify({ level: 50, time: 0, msg: 'request failed', err }))).toMatch(/ERROR request failed Error: boom\n {4}at f \(x\.ts:1:1\)\n$/);
    expect(formatLine(JSON.stringify({ level: 40, time: 0, msg: 'retry', err }))).toMatch(/WARN  retry Error: boom\n$/);
  });

  it('pass anything that is not JSON through', () => {
    expect(formatLine('plain words')).toBe('plain words\n');
  });

  it('keep credentials masked (redaction runs before formatting)', () => {
    const out = sink();
    const log = createLogger('info', prettyDestination(out.stream as unknown as NodeJS.WriteStream));
    log.info({ module: 'auth', password: 'hunter2-secret', user: { secret: 'totp-seed' } }, 'sign in');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toContain('auth sign in password=[redacted]');
    expect(out.lines[0]).not.toMatch(/hunter2|totp-seed/);
  });

  it('are JSON when written to a file or a pipe', () => {
    const out = sink();
    createLogger('info', out.stream).info({ module: 'x' }, 'hello');
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ level: 30, module: 'x', msg: 'hello' });
  });
});

describe('request logging', () => {
  const envs: TestEnv[] = [];
  afterAll(async () => {
    for (const e of envs) await e.cleanup();
  });

  async function requestLines(level: string): Promise<Record<string, unknown>[]> {
    const env = await createTestEnv();
    envs.push(env);
    const out = sink();
    const services = createServices({ config: env.config, db: env.handle.db, secrets: loadOrCreateSecrets(env.config.secretFile), clock: new ManualClock(Date.now()) });
    const app = await buildApp({ config: env.config, services, logger: createLogger(level, out.stream) });
    try {
      for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }); // refused
    } finally {
      await app.close();
    }
    return out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  it('writes no line per request at info', async () => {
    const lines = await requestLines('info');
    expect(lines.filter((l) => /request/.test(String(l.msg)) && l.msg !== 'request refused')).toEqual([]);
  });

  it('writes one line per request at debug, with method, url, status and time', async () => {
    const lines = (await requestLines('debug')).filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ level: 20, req: { method: 'GET', url: '/api/health' }, statusCode: 200 });
    expect(typeof lines[0]!.ms).toBe('number');
    expect(lines[3]).toMatchObject({ req: { url: '/api/v1/no-such-thing' }, statusCode: 404 });
  });
});
