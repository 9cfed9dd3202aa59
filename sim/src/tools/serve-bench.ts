/**
 * What serving costs the simulator: N cameras (1080p 4 Mbps H.264 main streams from a few
 * shared clips) played over RTSP/TCP by a trivial reader in a child process that only
 * counts bytes. CPU of each process is utime+stime from /proc/<pid>/stat over the window.
 *
 *   npx tsx sim/src/tools/serve-bench.ts [--cameras 10,100] [--seconds 10] [--warmup 3] [--cache DIR]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator } from '../index.ts';
import type { SimCamera } from '../types.ts';

const SCENES = ['yard-day', 'entrance-day', 'parking-day', 'perimeter-night'];
const TICK = 100; // getconf CLK_TCK on Linux

function cpuTicks(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14 and 15)
}

/** The reader: DESCRIBE/SETUP/PLAY per URL over TCP, then counts bytes. Plain JS so it starts fast. */
const READER = `
import { connect } from 'node:net';
const urls = process.argv.slice(1);
let bytes = 0;
const open = (url) => new Promise((resolve, reject) => {
  const u = new URL(url.replace(/^rtsp:/, 'http:'));
  const s = connect(Number(u.port), u.hostname);
  let buf = '', cseq = 0, step = 0, session = '', base = url + '/';
  const send = (m, target, extra = '') => s.write(m + ' ' + target + ' RTSP/1.0\\r\\nCSeq: ' + (++cseq) + '\\r\\n' + extra + '\\r\\n');
  s.on('error', reject);
  s.on('data', (d) => {
    if (step === 3) { bytes += d.length; return; }
    buf += d.toString('latin1');
    const end = buf.indexOf('\\r\\n\\r\\n');
    if (end < 0) return;
    const head = buf.slice(0, end);
    const len = Number((/content-length: *(\\d+)/i.exec(head) || [0, 0])[1]);
    if (buf.length < end + 4 + len) return;
    const rest = buf.length - end - 4 - len;
    buf = '';
    if (!/^RTSP\\/1.0 200/.test(head)) return reject(new Error(url + ': ' + head.split('\\r\\n')[0]));
    if (step === 0) { base = (/content-base: *(\\S+)/i.exec(head) || [0, base])[1]; step = 1; send('SETUP', base + 'trackID=0', 'Transport: RTP/AVP/TCP;unicast;interleaved=0-1\\r\\n'); }
    else if (step === 1) { session = /session: *([^;\\r]+)/i.exec(head)[1]; step = 2; send('PLAY', url, 'Session: ' + session + '\\r\\n'); }
    else { step = 3; bytes += rest; resolve(); }
  });
  send('DESCRIBE', url);
});
await Promise.all(urls.map(open));
process.stdout.write('ready\\n');
process.stdin.on('data', () => { process.stdout.write(JSON.stringify({ bytes }) + '\\n'); });
`;

async function run(
  n: number,
  seconds: number,
  warmup: number,
  cacheDir: string | undefined,
): Promise<Record<string, number>> {
  const cameras: SimCamera[] = Array.from({ length: n }, (_, i) => ({
    id: `bench-${i}`,
    scene: SCENES[i % SCENES.length] as string,
    codec: 'h264',
    main: '1080p',
  }));
  const sim = await startSimulator({
    cameras,
    httpPort: false,
    log: (l) => console.error(l),
    ...(cacheDir ? { cacheDir } : {}),
  });
  const reader = spawn(
    process.execPath,
    ['--input-type=module', '-e', READER, ...cameras.map((c) => sim.url(c.id, 'main'))],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  reader.stdout.on('data', (d: Buffer) => {
    lines.push(...d.toString().split('\n').filter(Boolean));
    wake?.();
  });
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) await new Promise<void>((r) => (wake = r));
    return lines.shift() as string;
  };
  try {
    if ((await nextLine()) !== 'ready') throw new Error('reader failed');
    await new Promise((r) => setTimeout(r, warmup * 1000));
    reader.stdin.write('x');
    const b0 = (JSON.parse(await nextLine()) as { bytes: number }).bytes;
    const s0 = cpuTicks('self');
    const r0 = cpuTicks(reader.pid as number);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const s1 = cpuTicks('self');
    const r1 = cpuTicks(reader.pid as number);
    const t1 = performance.now();
    reader.stdin.write('x');
    const b1 = (JSON.parse(await nextLine()) as { bytes: number }).bytes;
    const wall = (t1 - t0) / 1000;
    return {
      cameras: n,
      seconds: Number(wall.toFixed(2)),
      simCpuPct: Number((((s1 - s0) / TICK / wall) * 100).toFixed(2)),
      readerCpuPct: Number((((r1 - r0) / TICK / wall) * 100).toFixed(2)),
      mbitPerSecond: Number((((b1 - b0) * 8) / wall / 1e6).toFixed(1)),
      sessions: sim.allSessions().reduce((s, x) => s + x.playing, 0),
    };
  } finally {
    reader.kill();
    await sim.stop();
  }
}

const { values } = parseArgs({
  options: {
    cameras: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    cache: { type: 'string' },
  },
});
const counts = (values.cameras ?? '10,100').split(',').map(Number);
const results: Array<Record<string, number>> = [];
for (const n of counts) {
  const r = await run(n, Number(values.seconds ?? 10), Number(values.warmup ?? 3), values.cache);
  results.push(r);
  console.log(JSON.stringify(r));
}
const [lo, hi] = [results[0], results[results.length - 1]];
if (lo && hi && hi.cameras !== lo.cameras) {
  const per = ((hi.simCpuPct ?? 0) - (lo.simCpuPct ?? 0)) / ((hi.cameras ?? 0) - (lo.cameras ?? 0));
  console.log(JSON.stringify({ simCpuPctPerCamera: Number(per.toFixed(4)) }));
}
