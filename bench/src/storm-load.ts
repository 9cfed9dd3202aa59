/**
 * The storm's clients, in their own process so that their work cannot delay the
 * bench's live viewer: `--clients` signed-in admins, each requesting a fixed mix
 * (camera list, audit log page, uptime report, camera detail) in turn, as fast as
 * the server answers. Prints "READY" once every client is signed in, starts on a
 * "go" line on stdin, and prints "RESULT <json>" after `--seconds`.
 */
import fs from 'node:fs';
import http, { Agent } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { url: { type: 'string' }, clients: { type: 'string' }, seconds: { type: 'string' }, password: { type: 'string' }, complex: { type: 'string' }, camera: { type: 'string' } },
});
const base = values.url!;
const CLIENTS = Number(values.clients ?? 32);
const SECONDS = Number(values.seconds ?? 60);

export interface LoadResult {
  seconds: number;
  requests: number;
  ok: number;
  shed: number;
  errors: number;
  errorSamples: string[];
  latenciesMs: number[];
  byKind: Record<string, { n: number; shed: number; latenciesMs: number[] }>;
  /** 503s by the reason the server gave (queue_full, wait_too_long, event_loop_delay). */
  shedReasons: Record<string, number>;
}

const mix = [
  { kind: 'camera list', path: `/api/v1/complexes/${values.complex}/cameras?limit=50` },
  { kind: 'audit log page', path: '/api/v1/audit?limit=50' },
  { kind: 'uptime report', path: `/api/v1/complexes/${values.complex}/cameras/uptime?days=7` },
  { kind: 'camera detail', path: `/api/v1/cameras/${values.camera}` },
];

// Plain node:http with keep-alive: one connection per client, no client-side queueing.
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

type Reply = { status: number; body: string; headers: http.IncomingHttpHeaders };

function request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signIn(): Promise<string> {
  const body = JSON.stringify({ username: 'admin', password: values.password });
  const r = await request('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body);
  if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${r.body}`);
  const set = r.headers['set-cookie'];
  return (Array.isArray(set) ? set : [set ?? '']).map((c) => c.split(';')[0]).join('; ');
}

const cookies: string[] = [];
for (let i = 0; i < CLIENTS; i++) cookies.push(await signIn());
process.stdout.write('READY\n');

const lines = readline.createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.on('line', (l) => l.trim() === 'go' && resolve()));

const result: LoadResult = { seconds: SECONDS, requests: 0, ok: 0, shed: 0, errors: 0, errorSamples: [], latenciesMs: [], byKind: {}, shedReasons: {} };
for (const m of mix) result.byKind[m.kind] = { n: 0, shed: 0, latenciesMs: [] };
const started = performance.now();
const end = started + SECONDS * 1000;

async function client(i: number) {
  let k = i % mix.length;
  while (performance.now() < end) {
    const m = mix[k]!;
    k = (k + 1) % mix.length;
    const t = performance.now();
    let status = 0;
    let text = '';
    let retryAfter = 1;
    try {
      const r = await request('GET', m.path, { cookie: cookies[i]! });
      status = r.status;
      text = r.body;
      retryAfter = Number(r.headers['retry-after'] ?? 1) || 1;
    } catch (err) {
      text = String(err);
    }
    const ms = performance.now() - t;
    const kind = result.byKind[m.kind]!;
    result.requests++;
    kind.n++;
    result.latenciesMs.push(ms);
    kind.latenciesMs.push(ms);
    if (status >= 200 && status < 300) result.ok++;
    else if (status === 503) {
      result.shed++;
      kind.shed++;
      const reason = String((JSON.parse(text) as { error?: { details?: { reason?: string } } }).error?.details?.reason ?? 'unknown');
      result.shedReasons[reason] = (result.shedReasons[reason] ?? 0) + 1;
      // A well-behaved client told to come back later (Retry-After) waits that long.
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
    } else {
      result.errors++;
      if (result.errorSamples.length < 5) result.errorSamples.push(`${m.kind}: ${status} ${text.slice(0, 200)}`);
    }
  }
}

await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
result.seconds = (performance.now() - started) / 1000;
// Through a file: a line of ~0.5 MB (every latency) did not always arrive whole on the pipe.
const file = path.join(os.tmpdir(), `kuzet-storm-load-${process.pid}.json`);
fs.writeFileSync(file, JSON.stringify(result));
process.stdout.write(`RESULT ${file}\n`);
agent.destroy();
process.exit(0);
