/**
 * `npm run bench -- lossy [--seconds 300] [--loss 2] [--corrupt 1] [--jumps 1] [--size 1080p] [--seed 1] [--transport tcp]`
 *
 * Issue 7's target for damaged streams: with 2 % random RTP loss for 5 minutes the
 * camera is online or degraded (never offline) ≥ 99 % of the time. One simulated
 * camera behind the lossy proxy (sim/src/testing/lossy-proxy.ts: RTP over TCP
 * interleaved, packets dropped, payloads corrupted, timestamps jumping), ingested by
 * the media engine's StreamSession (the class the media workers run, with the
 * product's watchdogs), its status sampled every 200 ms. Prints the share of time
 * online / degraded / offline / connecting, frames delivered and damaged, the loss the
 * engine saw, and what the proxy did; writes bench/results/lossy-<time>.json.
 *
 * `--transport udp` is the place for the issue's UDP variant (the simulator would drop
 * the share of UDP datagrams itself, the proxy only sees TCP); it needs the camera
 * transport setting of issue 7 item 1 in StreamSession and says so until then.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '@kuzet/sim';
import { startLossyProxy } from '@kuzet/sim/lossy-proxy';
import { defaultTimings, StreamSession } from '../../server/src/modules/media/stream-session.ts';
import { median } from './proc.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    loss: { type: 'string' },
    corrupt: { type: 'string' },
    jumps: { type: 'string' },
    size: { type: 'string' },
    seed: { type: 'string' },
    transport: { type: 'string' },
    cache: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds ?? 300);
const LOSS = Number(values.loss ?? 2);
const CORRUPT = Number(values.corrupt ?? 1);
const JUMPS = Number(values.jumps ?? 1);
const SIZE = (values.size ?? '1080p') as '1080p' | '720p' | '360p';
const SEED = Number(values.seed ?? 1);
const TRANSPORT = values.transport ?? 'tcp';
if (TRANSPORT !== 'tcp') {
  console.error(`--transport ${TRANSPORT}: not yet — StreamSession connects over TCP until the camera transport setting (issue 7 item 1) lands`);
  process.exit(2);
}
if (!['1080p', '720p', '360p'].includes(SIZE) || !(SECONDS > 0)) {
  console.error('usage: npm run bench -- lossy [--seconds 300] [--loss 2] [--corrupt 1] [--jumps 1] [--size 1080p|720p|360p] [--seed 1]');
  process.exit(1);
}

const sim = await startSimulator({
  cameras: [{ id: 'lossy', scene: 'yard-day', codec: 'h264', main: SIZE }],
  httpPort: false,
  loopSeconds: 10,
  ...(values.cache ? { cacheDir: values.cache } : {}),
  log: (l) => process.stderr.write(`${l}\n`),
});
const proxy = await startLossyProxy({ target: { host: sim.host, port: sim.rtspPort }, lossPercent: LOSS, corruptPercent: CORRUPT, jumpPercent: JUMPS, seed: SEED });
const session = new StreamSession('lossy', 'main', proxy.url(sim.url('lossy', 'main')), () => undefined, (level, msg, fields) => {
  if (level !== 'info') process.stderr.write(`${level}: ${msg} ${JSON.stringify(fields)}\n`);
}, defaultTimings);
let inits = 0;
session.subscribe({ id: 1, init: () => void inits++, fragment: () => undefined });
const sampler = setInterval(() => session.sample(Date.now()), 1000); // as the media worker does
const startedAt = Date.now();
session.start();

// Start-up (until the first whole keyframe) is printed apart: the target is about a running stream.
const startBy = Date.now() + 180_000;
while (session.status.state !== 'online' && session.status.state !== 'degraded') {
  if (Date.now() > startBy) throw new Error(`the camera did not come online within 180 s (${session.status.state} ${session.status.reason ?? ''})`);
  await new Promise((r) => setTimeout(r, 100));
}
const startupSeconds = (Date.now() - startedAt) / 1000;
const initsAtStart = inits;
const proxyAtStart = { ...proxy.stats };
const framesAtStart = session.frames;
const damagedAtStart = session.damagedFrames;
console.log(`lossy: 1 camera ${SIZE} H.264, RTP over TCP through the lossy proxy: ${LOSS} % loss, ${CORRUPT} % corrupted, timestamp jumps after ${JUMPS} % of frames, ${SECONDS} s, seed ${SEED}`);

const ms: Record<string, number> = { online: 0, degraded: 0, offline: 0, connecting: 0 };
const losses: number[] = [];
const sizes = new Set<string>();
const reasons = new Set<string>();
const t0 = Date.now();
let last = t0;
while (last - t0 < SECONDS * 1000) {
  await new Promise((r) => setTimeout(r, 200));
  const now = Date.now();
  const s = session.status;
  ms[s.state] = (ms[s.state] ?? 0) + (now - last);
  last = now;
  if (s.lossPercent !== null) losses.push(s.lossPercent);
  if (s.width) sizes.add(`${s.width}×${s.height}`);
  if (s.reason) reasons.add(s.reason);
}
const total = last - t0;
const pct = (x: number) => Math.round((x / total) * 10_000) / 100;
const frames = session.frames - framesAtStart;
const damaged = session.damagedFrames - damagedAtStart;
const p = proxy.stats;
const summary = {
  seconds: SECONDS,
  size: SIZE,
  transport: TRANSPORT,
  rates: { lossPercent: LOSS, corruptPercent: CORRUPT, jumpPercent: JUMPS, seed: SEED },
  timePercent: { online: pct(ms.online!), degraded: pct(ms.degraded!), offline: pct(ms.offline!), connecting: pct(ms.connecting!) },
  upPercent: pct(ms.online! + ms.degraded!),
  offlineReasons: [...reasons],
  frames,
  framesPerSecond: Math.round((frames / (total / 1000)) * 10) / 10,
  damagedFrames: damaged,
  damagedPercent: frames ? Math.round((damaged / frames) * 1000) / 10 : 0,
  lossSeen: { median: losses.length ? median(losses) : null, max: losses.length ? Math.max(...losses) : null },
  resolutions: [...sizes],
  newInitSegments: inits - initsAtStart,
  startupSeconds,
  proxy: {
    rtpPackets: p.rtpPackets - proxyAtStart.rtpPackets,
    dropped: p.dropped - proxyAtStart.dropped,
    corrupted: p.corrupted - proxyAtStart.corrupted,
    corruptedParameterSets: p.corruptedParameterSets - proxyAtStart.corruptedParameterSets,
    jumps: p.jumps - proxyAtStart.jumps,
    connections: p.connections,
  },
};
const tp = summary.timePercent;
console.log(`  time online       ${tp.online.toFixed(2)} %`);
console.log(`  time degraded     ${tp.degraded.toFixed(2)} %`);
console.log(`  time offline      ${tp.offline.toFixed(2)} %${reasons.size ? ` (${[...reasons].join(', ')})` : ''}`);
console.log(`  time connecting   ${tp.connecting.toFixed(2)} %`);
console.log(`  online or degraded ${summary.upPercent.toFixed(2)} % (target ≥ 99 %)`);
console.log(`  frames delivered  ${frames} (${summary.framesPerSecond}/s), damaged ${damaged} (${summary.damagedPercent} %)`);
console.log(`  loss seen (10 s)  median ${summary.lossSeen.median ?? '—'} %, max ${summary.lossSeen.max ?? '—'} %`);
console.log(`  resolution        ${[...sizes].join(', ') || '—'}; new init segments ${summary.newInitSegments}`);
console.log(`  start-up          first picture after ${startupSeconds.toFixed(1)} s (a whole keyframe is needed); RTSP connections ${p.connections}, ${p.connections - proxyAtStart.connections} of them during the measure`);
console.log(`  proxy             ${summary.proxy.rtpPackets} RTP packets: ${summary.proxy.dropped} dropped, ${summary.proxy.corrupted} corrupted (${summary.proxy.corruptedParameterSets} with parameter sets), ${summary.proxy.jumps} timestamp jumps`);

const out = path.resolve(import.meta.dirname, '../results');
fs.mkdirSync(out, { recursive: true });
const file = path.join(out, `lossy-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(summary, null, 2));
console.log(`  results           ${path.relative(process.cwd(), file)}`);

clearInterval(sampler);
await session.stop();
await proxy.close();
await sim.stop();
