/**
 * The storm's clients, in their own process so that their work cannot delay the
 * bench's live viewer: `--clients` signed-in admins, each requesting a fixed mix
 * (camera list, audit log page, uptime report, camera detail) in turn, as fast as
 * the server answers. With `--mix search` they use the residents' search box instead,
 * as people type into it: a demo resident's surname letter by letter from the third
 * (`submitted=false`), then the whole name in Latin submitted (audited), a phone typed
 * in groups, «блок N кв M». Prints "READY" once every client is signed in, starts on a
 * "go" line on stdin, and prints "RESULT <json>" after `--seconds`.
 */
import fs from 'node:fs';
import http, { Agent } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string' },
    seconds: { type: 'string' },
    password: { type: 'string' },
    complex: { type: 'string' },
    camera: { type: 'string' },
    mix: { type: 'string', default: 'api' },
  },
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

const apiMix = [
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

const LAT: Record<string, string> = { а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', і: 'i', к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ы: 'y', ь: '', ъ: '', э: 'e', ю: 'yu', я: 'ya' };
const latin = (t: string) => [...t.toLowerCase()].map((c) => LAT[c] ?? c).join('');

/** The search box as typed: keystrokes of a surname, then a submitted search, a phone, an apartment. */
async function searchMix(): Promise<{ kind: string; path: string }[]> {
  const names: string[] = [];
  for (let offset = 0; offset < 1000; offset += 200) {
    const r = await request('GET', `/api/v1/complexes/${values.complex}/people?limit=200&offset=${offset}`, { cookie: cookies[0]! });
    if (r.status !== 200) throw new Error(`people list: ${r.status} ${r.body.slice(0, 200)}`);
    names.push(...(JSON.parse(r.body) as { items: { name: string }[] }).items.map((x) => x.name));
  }
  if (!names.length) throw new Error('the demo has no residents to search for');
  const at = (q: string, submitted: boolean) => `/api/v1/complexes/${values.complex}/people/search?q=${encodeURIComponent(q)}&limit=20&submitted=${submitted}`;
  const out: { kind: string; path: string }[] = [];
  for (let i = 0; i < 50; i++) {
    const [last = '', first = ''] = names[(i * 37) % names.length]!.split(' ');
    for (let n = 3; n <= last.length; n++) out.push({ kind: 'search keystroke', path: at(last.slice(0, n), false) });
    out.push({ kind: 'search submitted', path: at(latin(`${last} ${first}`), true) });
    out.push({ kind: 'search phone', path: at(`8 70${i % 10} ${String(100 + i)} ${String(10 + (i % 90))}`, false) });
    out.push({ kind: 'search apartment', path: at(`блок ${1 + (i % 4)} кв ${1 + i}`, false) });
  }
  return out;
}
const mix = values.mix === 'search' ? await searchMix() : apiMix;
process.stdout.write('READY\n');

const lines = readline.createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.on('line', (l) => l.trim() === 'go' && resolve()));

const result: LoadResult = { seconds: SECONDS, requests: 0, ok: 0, shed: 0, errors: 0, errorSamples: [], latenciesMs: [], byKind: {}, shedReasons: {} };
for (const m of mix) result.byKind[m.kind] ??= { n: 0, shed: 0, latenciesMs: [] };
const started = performance.now();
const end = started + SECONDS * 1000;

async function client(i: number) {
  let k = Math.floor((i * mix.length) / CLIENTS) % mix.length;
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
