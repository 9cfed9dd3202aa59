/**
 * `npm run bench -- lossy [--seconds 300] [--loss 2] [--size 1080p] [--seed 1] [--transport udp|tcp] [--corrupt 1] [--jumps 1]`
 *
 * Issue 7's target for damaged streams: with 2 % random RTP loss over UDP for 5
 * minutes the camera is online or degraded (never offline) ≥ 99 % of the time. One
 * simulated camera ingested by the media engine's StreamSession (the class the media
 * workers run, with the product's watchdogs), its status sampled every 200 ms.
 *
 * - `--transport udp` (default, the issue's target line): the session's transport is
 *   'udp'; the simulator itself drops `--loss` % of the RTP datagrams it sends
 *   (seeded: SimCamera.udpLossPercent / udpLossSeed), from the first packet on.
 * - `--transport tcp`: RTP over TCP interleaved through the lossy proxy
 *   (sim/src/testing/lossy-proxy.ts): packets dropped, payloads corrupted
 *   (`--corrupt`), timestamps jumping (`--jumps`); clean until the camera is up.
 *
 * Prints the share of time online / degraded / offline / connecting, frames delivered
 * and damaged, the loss the engine saw, the time to the first picture, and what the
 * simulator or proxy did; writes bench/results/lossy-<transport>-<time>.json.
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
    starts: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds ?? 300);
const LOSS = Number(values.loss ?? 2);
const CORRUPT = Number(values.corrupt ?? 1);
const JUMPS = Number(values.jumps ?? 1);
const SIZE = (values.size ?? '1080p') as '1080p' | '720p' | '360p';
const SEED = Number(values.seed ?? 1);
const TRANSPORT = values.transport ?? 'udp';
const STARTS = Number(values.starts ?? 0);
if (!['1080p', '720p', '360p'].includes(SIZE) || !(SECONDS > 0) || (TRANSPORT !== 'udp' && TRANSPORT !== 'tcp')) {
  console.error('usage: npm run bench -- lossy [--seconds 300] [--loss 2] [--size 1080p|720p|360p] [--seed 1] [--transport udp|tcp] [--corrupt 1] [--jumps 1] [--starts 0]');
  process.exit(1);
}

const UDP = TRANSPORT === 'udp';
const sim = await startSimulator({
  // Over UDP the simulator drops the datagrams itself, from the start (the first picture is part of the measure).
  cameras: [{ id: 'lossy', scene: 'yard-day', codec: 'h264', main: SIZE, ...(UDP ? { udpLossPercent: LOSS, udpLossSeed: SEED } : {}) }],
  httpPort: false,
  loopSeconds: 10,
  ...(values.cache ? { cacheDir: values.cache } : {}),
  log: (l) => process.stderr.write(`${l}\n`),
});
const proxy = UDP ? null : await startLossyProxy({ target: { host: sim.host, port: sim.rtspPort }, lossPercent: LOSS, corruptPercent: CORRUPT, jumpPercent: JUMPS, seed: SEED });
const url = proxy ? proxy.url(sim.url('lossy', 'main')) : sim.url('lossy', 'main');
const log = (level: string, msg: string, fields: Record<string, unknown>) => {
  if (level !== 'info') process.stderr.write(`${level}: ${msg} ${JSON.stringify(fields)}\n`);
};
// UDP client ports from a fixed range, as the product's KUZET_RTP_PORTS would give.
let offlines = 0;
const net = { transport: UDP ? 'udp' : 'tcp', rtpPorts: UDP ? { min: 41000, max: 41999 } : null } as const;

/** `--starts N`: N fresh sessions one after another, each stopped at its first picture (time to first picture through the loss). */
async function firstPictures(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    // Spread the starts over the 2 s GOP (golden-ratio steps): started right after the
    // previous one's first picture, a session would begin at that same keyframe.
    await new Promise((r) => setTimeout(r, ((i * 0.618) % 1) * 2000));
    const s = new StreamSession('lossy', 'main', url, () => undefined, log, defaultTimings, { ...net });
    const t = Date.now();
    const got = new Promise<void>((resolve) => s.subscribe({ id: 1, init: () => undefined, fragment: () => resolve() }));
    s.start();
    await Promise.race([got, new Promise((r) => setTimeout(r, 120_000))]);
    times.push((Date.now() - t) / 1000);
    await s.stop();
  }
  return times;
}

const session = new StreamSession('lossy', 'main', url, () => void (session.status.state === 'offline' && offlines++), log, defaultTimings, { ...net });
let firstPictureAt = 0;
let inits = 0;
session.subscribe({ id: 1, init: () => void inits++, fragment: () => void (firstPictureAt ||= Date.now()) });
const sampler = setInterval(() => session.sample(Date.now()), 1000); // as the media worker does
const startedAt = Date.now();
session.start();

// Start-up (until the first picture) is printed apart: the target is about a running stream.
const startBy = Date.now() + 180_000;
while (session.status.state !== 'online' && session.status.state !== 'degraded') {
  if (Date.now() > startBy) throw new Error(`the camera did not come online within 180 s (${session.status.state} ${session.status.reason ?? ''})`);
  await new Promise((r) => setTimeout(r, 100));
}
const startupSeconds = (Date.now() - startedAt) / 1000;
const firstPictureSeconds = firstPictureAt ? (firstPictureAt - startedAt) / 1000 : null;
const initsAtStart = inits;
const offlinesAtStart = offlines;
const proxyAtStart = proxy ? { ...proxy.stats } : null;
const simAtStart = sim.udpStats('lossy');
const framesAtStart = session.frames;
const damagedAtStart = session.damagedFrames;
console.log(
  UDP
    ? `lossy: 1 camera ${SIZE} H.264, RTP over UDP, the simulator dropping ${LOSS} % of the RTP datagrams at random (seed ${SEED}), ${SECONDS} s`
    : `lossy: 1 camera ${SIZE} H.264, RTP over TCP through the lossy proxy: ${LOSS} % loss, ${CORRUPT} % corrupted, timestamp jumps after ${JUMPS} % of frames, ${SECONDS} s, seed ${SEED}`,
);

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
const p = proxy ? { ...proxy.stats } : undefined;
const u = sim.udpStats('lossy');
// The main session is done; the fresh starts run after it, so its own first picture was a cold start.
clearInterval(sampler);
await session.stop();
const starts = STARTS > 0 ? await firstPictures(STARTS) : [];
const summary = {
  seconds: SECONDS,
  size: SIZE,
  transport: TRANSPORT,
  rates: UDP ? { lossPercent: LOSS, seed: SEED } : { lossPercent: LOSS, corruptPercent: CORRUPT, jumpPercent: JUMPS, seed: SEED },
  timePercent: { online: pct(ms.online!), degraded: pct(ms.degraded!), offline: pct(ms.offline!), connecting: pct(ms.connecting!) },
  upPercent: pct(ms.online! + ms.degraded!),
  offlineReasons: [...reasons],
  frames,
  framesPerSecond: Math.round((frames / (total / 1000)) * 10) / 10,
  damagedFrames: damaged,
  damagedPercent: frames ? Math.round((damaged / frames) * 1000) / 10 : 0,
  lossSeen: { median: losses.length ? Math.round(median(losses) * 100) / 100 : null, max: losses.length ? Math.max(...losses) : null },
  resolutions: [...sizes],
  newInitSegments: inits - initsAtStart,
  startupSeconds,
  firstPictureSeconds,
  firstPictureOverStarts: starts.length ? { starts: starts.length, median: median(starts), max: Math.max(...starts), all: starts } : null,
  simulator: UDP ? { rtpDatagramsSent: u.sent - simAtStart.sent, dropped: u.dropped - simAtStart.dropped, droppedBeforeMeasure: simAtStart.dropped } : null,
  proxy:
    p && proxyAtStart
      ? {
          rtpPackets: p.rtpPackets - proxyAtStart.rtpPackets,
          dropped: p.dropped - proxyAtStart.dropped,
          corrupted: p.corrupted - proxyAtStart.corrupted,
          corruptedParameterSets: p.corruptedParameterSets - proxyAtStart.corruptedParameterSets,
          jumps: p.jumps - proxyAtStart.jumps,
          connections: p.connections,
        }
      : null,
  wentOffline: offlines - offlinesAtStart,
  wentOfflineBeforeFirstPicture: offlinesAtStart,
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
console.log(`  went offline      ${summary.wentOffline} times (${offlinesAtStart} before the first picture)`);
console.log(`  first picture     after ${firstPictureSeconds?.toFixed(1) ?? '—'} s (online after ${startupSeconds.toFixed(1)} s), the loss on from the start`);
if (starts.length) console.log(`  first picture     over ${starts.length} fresh sessions: median ${median(starts).toFixed(1)} s, max ${Math.max(...starts).toFixed(1)} s`);
if (summary.proxy && p) {
  console.log(`  RTSP connections  ${p.connections}, ${summary.proxy.connections - (proxyAtStart?.connections ?? 0)} of them during the measure`);
  console.log(`  proxy             ${summary.proxy.rtpPackets} RTP packets: ${summary.proxy.dropped} dropped, ${summary.proxy.corrupted} corrupted (${summary.proxy.corruptedParameterSets} with parameter sets), ${summary.proxy.jumps} timestamp jumps`);
}
if (summary.simulator) {
  const s = summary.simulator;
  const sent = s.rtpDatagramsSent + s.dropped;
  console.log(`  simulator         ${sent} RTP datagrams: ${s.dropped} dropped (${sent ? ((s.dropped / sent) * 100).toFixed(2) : '—'} %)`);
}

const out = path.resolve(import.meta.dirname, '../results');
fs.mkdirSync(out, { recursive: true });
const file = path.join(out, `lossy-${TRANSPORT}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(summary, null, 2));
console.log(`  results           ${path.relative(process.cwd(), file)}`);

await proxy?.close();
await sim.stop();
