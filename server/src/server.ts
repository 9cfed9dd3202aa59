import { describeFfmpeg, processFfmpeg } from '@kuzet/ffmpeg';
import { buildApp } from './app.ts';
import type { Config } from './config/config.ts';
import { DEMO_RESIDENTS, DemoService, type DemoLogin } from './modules/demo/demo.service.ts';
import { startSimulatorProcess } from './modules/demo/simulator-process.ts';
import { LiveHub } from './modules/live/live-hub.ts';
import { MediaService } from './modules/media/media.service.ts';
import { ErasureJob } from './modules/people/erasure.job.ts';
import { DetectionService } from './modules/detection/detection.service.ts';
import { MotionTrigger } from './modules/recording/motion-trigger.ts';
import { RecordingService } from './modules/recording/recording.service.ts';
import type { Supervised } from './platform/supervisor.ts';
import { createLogger } from './platform/logger.ts';
import { openRuntime } from './runtime.ts';
import { RetentionRepository } from './modules/recording/retention.repository.ts'; // retention helper
import { RetentionService } from './modules/recording/retention.service.ts'; // retention helper

/** `kuzet start` / `kuzet demo`: the post server until SIGINT/SIGTERM. */
export async function startServer(config: Config, opts: { demo: boolean }): Promise<void> {
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  const runtime = await openRuntime(config);
  const { services } = runtime;
  services.cameraEvents.useLogger(logger.child({ module: 'camera-events' }));
  // Issue 10 (alerts helper): events (the detector's DetectionSink) and alerts report failures here.
  services.events.useLogger(logger.child({ module: 'events' }));
  services.alerts.useLogger(logger.child({ module: 'alerts' }));
  services.events.start(); // hourly: snapshots past their camera's retention
  let logins: DemoLogin[] = [];
  let generated = false;
  let sim: Supervised | null = null;
  if (opts.demo) {
    const seeded = await new DemoService(runtime.handle.db, services).seed(config.demoPassword, { simPort: config.sim.port, count: config.sim.cameras }, DEMO_RESIDENTS);
    if (config.sim.cameras > 0) sim = startSimulatorProcess(config, logger);
    if (seeded) {
      logins = seeded.logins;
      generated = seeded.generatedPassword;
    }
  }
  // Probed once here so the live transcoder knows its ffmpeg without waiting when a viewer comes.
  const ffmpeg = await processFfmpeg();
  if (ffmpeg.ok) logger.info({ module: 'platform' }, describeFfmpeg(ffmpeg.info));
  else logger.warn({ module: 'platform' }, `no usable ffmpeg (${ffmpeg.reason}): H.265 cameras cannot be watched live; ${ffmpeg.fix}`);
  const media = config.media.enabled
    ? new MediaService(services.cameras, services.cameraHistory, services.cameraEvents, logger.child({ module: 'media' }), { workers: config.media.workers ?? undefined, rtpPorts: config.media.rtpPorts })
    : null;
  const hub = new LiveHub(media, logger.child({ module: 'live' }));
  const app = await buildApp({ config, services, logger, hub });
  await media?.start();
  // After media: recovers what an unclean stop left, then the workers start recording.
  // Without a detector, cameras set to record on motion record continuously (nothing would start them).
  const detectionOn = !!media && config.detection.enabled && ffmpeg.ok;
  const recording = new RecordingService({ db: runtime.handle.db, cameras: services.cameras, media, config: config.recordings, events: services.recordingEvents, log: logger.child({ module: 'recording' }), motionDetected: detectionOn });
  await recording.start();
  // Detection (issue 10): the detector's reports are stored as events (→ alerts) and drive recording on motion.
  const motionTrigger = media ? new MotionTrigger(media) : null;
  // The detector decodes keyframes with ffmpeg: without one it would only respawn and fail.
  if (media && config.detection.enabled && !ffmpeg.ok) logger.warn({ module: 'detection' }, `motion and tamper detection are off: no usable ffmpeg (${ffmpeg.reason}); ${ffmpeg.fix}`);
  const detection =
    media && detectionOn
      ? new DetectionService({
          media,
          sink: {
            report: (r) => {
              services.events.report(r);
              motionTrigger?.report(r);
            },
          },
          log: logger.child({ module: 'detection' }),
          onWorkerLost: () => void services.events.closeOrphans().catch((err: unknown) => logger.warn({ err }, 'closing orphaned events failed')),
        })
      : null;
  // Events a killed server left open end at their last sample before the detector starts anew.
  const orphans = await services.events.closeOrphans();
  if (orphans) logger.info({ module: 'detection' }, `${orphans} detection events left open by the last run were closed`);
  detection?.start();
  // Every camera's zones now, and each change later (zones edited, cameras added or removed).
  if (detection) await services.zones.useDetector(detection);
  // Retention (issue 8, retention helper): by age, quota and the free-space floor, every minute and on a full disk.
  const retention = new RetentionService(new RetentionRepository(runtime.handle.db), services.recordingEvents, services.clock, logger.child({ module: 'retention' }), {
    root: config.recordings.dir,
    quotaBytes: config.recordings.quotaBytes,
    freeFloor: config.recordings.freeFloor,
  }, services.retentionGate);
  retention.start();
  // The daily erasure of residents whose retention period is over (and once a minute after start).
  const erasure = new ErasureJob(services.people, logger.child({ module: 'people' }));
  erasure.start();
  const prune = setInterval(() => void services.auth.prune().catch((err: unknown) => logger.warn({ err }, 'prune failed')), 10 * 60_000);
  prune.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    clearInterval(prune);
    await detection?.stop();
    motionTrigger?.stop();
    services.events.stop();
    await services.events.settled(); // the detector's last reports stored
    await erasure.stop();
    await retention.stop(); // retention helper
    services.recordingHealth.close(); // retention helper
    await hub.stop();
    await recording.stop(); // before media: open files closed, fdatasync'ed and indexed (server_down)
    await media?.stop();
    await sim?.stop();
    services.cameraEvents.close();
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.http.port, host: config.http.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const lines = [``, `  Kuzet post server is running: http://localhost:${port}`, `  Data: ${config.dataDir} (${runtime.handle.kind})`];
  if (logins.length) {
    lines.push(`  Demo complex seeded. Sign in with:`);
    for (const l of logins) lines.push(`    ${l.username.padEnd(10)} (${l.role})`);
    lines.push(generated ? `  Password for all demo users (shown once): ${logins[0]!.password}` : `  Password: the value of KUZET_DEMO_PASSWORD`);
  }
  if (sim) lines.push(`  Simulated cameras: ${config.sim.cameras} on rtsp://127.0.0.1:${config.sim.port} (first start encodes the scenes: up to a minute)`);
  if (!logins.length && (await services.users.countAll()) === 0) {
    lines.push(`  No users yet: create an administrator with  npx kuzet user add admin --role admin`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}
