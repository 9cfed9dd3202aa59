/**
 * @kuzet/sim — a real RTSP server on loopback serving N synthetic cameras.
 * startSimulator() renders (or loads from cache) the scene clips, precomputes their RTP
 * packets, then serves every camera from those shared buffers.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CameraRuntime, FRAME_MS, mulberry32 } from './camera.ts';
import { HttpApi } from './http-api.ts';
import { packetizeAnnexB, type PacketizedClip } from './media/packetizer.ts';
import { RtspServer } from './rtsp-server.ts';
import type { MediaSession } from './streamer.ts';
import type { LocateOptions } from '@kuzet/ffmpeg';
import { SceneCache, defaultCacheDir } from './scenes/cache.ts';
import { planEncoding } from './scenes/encoder-check.ts';
import { sceneIds } from './scenes/catalog.ts';
import { MAIN_SIZES, SUB_SIZE, type ClipSpec, type MainSize } from './scenes/filtergraph.ts';
import type { CameraTruth } from './scenes/truth.ts';
import {
  isPictureFault,
  parseFault,
  PICTURE_FAULTS,
  STREAMS,
  type Fault,
  type FaultKind,
  type PictureFault,
  type SimCamera,
  type StreamName,
} from './types.ts';

export type { SimCamera, Fault, FaultKind, PictureFault, StreamName } from './types.ts';
export type { CameraTruth, SceneTruth, TruthObject, TruthEvent, TruthZone, TamperTruth, Box } from './scenes/truth.ts';
export { objectsAt, motionInRegion, cameraFrameAt, boxAt, boxTouchesPolygon } from './scenes/truth.ts';
export { decodeStamp, stampGeometry, blockSizeFor, type StampValue, type RawFrame } from './stamp.ts';
export { sceneIds } from './scenes/catalog.ts';
export { defaultCacheDir } from './scenes/cache.ts';
export { demoCameras, DEMO_CREDENTIALS } from './demo.ts';

export interface SimulatorOptions {
  cameras: SimCamera[];
  /** 0 (default) picks a free port */
  rtspPort?: number;
  /** 0 (default) picks a free port; false disables the HTTP API */
  httpPort?: number | false;
  host?: string;
  /** default $KUZET_SIM_CACHE or ~/.cache/kuzet-sim */
  cacheDir?: string;
  log?: (line: string) => void;
  /** loop length of every scene (even seconds; default 10). Tests use 2–4 to encode fast. */
  loopSeconds?: number;
  /** UDP sessions without keep-alive are dropped after this long (default 60 s) */
  sessionTimeoutMs?: number;
  /** aborts scene encoding during startup (kills ffmpeg) */
  signal?: AbortSignal;
  /** where to look for ffmpeg (default: \$KUZET_FFMPEG, then PATH, then the packaged build) */
  ffmpeg?: LocateOptions;
}

export interface StreamSessions {
  cameraId: string;
  stream: StreamName;
  sessions: number;
  playing: number;
}

export interface Simulator {
  host: string;
  rtspPort: number;
  /** 0 when the HTTP API is disabled */
  httpPort: number;
  url(cameraId: string, stream?: StreamName, withCredentials?: boolean): string;
  sessions(cameraId: string, stream?: StreamName): number;
  allSessions(): StreamSessions[];
  /**
   * Network faults act at once; picture faults (cover, defocus, turn) switch the picture at
   * the next keyframe common to both streams (see pictureSwitch); `none` heals both.
   */
  setFault(cameraId: string, fault: FaultKind | Fault): void;
  /**
   * The last picture switch asked for by setFault (cover/defocus/turn/none): resolves, once
   * the variant is rendered and the switch scheduled, to the wall time (ms) of its first
   * frame — what truth(id).tamper records; undefined if a later fault replaced it first.
   */
  pictureSwitch(cameraId: string): Promise<number | undefined>;
  /**
   * Reconfigures a camera's main stream to another size, as an operator would: viewers
   * get the new clip from its next keyframe on (new SPS/PPS in-band, nothing resent
   * meanwhile); later DESCRIBEs get its SDP. Encodes the clip first when not cached.
   */
  setMainSize(cameraId: string, main: MainSize): Promise<void>;
  /**
   * Sets the % of RTP datagrams dropped for the camera's UDP viewers (see
   * SimCamera.udpLossPercent); a seed restarts the generator.
   */
  setUdpLoss(cameraId: string, percent: number, seed?: number): void;
  /** RTP datagrams the camera sent to UDP viewers and dropped on purpose, so far. */
  udpStats(cameraId: string): { sent: number; dropped: number };
  truth(cameraId: string): CameraTruth;
  cameras(): SimCamera[];
  stop(): Promise<void>;
}

const ID_RE = /^[A-Za-z0-9._~-]{1,64}$/;

export function defaultStampId(scene: string): number {
  return sceneIds().indexOf(scene) + 1;
}

/** Spreads cameras over the loop so that cameras sharing a clip are not in lockstep (nor their keyframes). */
function loopOffsetFrames(id: string, loopFrames: number): number {
  return createHash('sha1').update(id).digest().readUInt32BE(0) % loopFrames;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const log = options.log ?? ((line: string) => console.log(line));
  const host = options.host ?? '127.0.0.1';
  const loopSeconds = options.loopSeconds ?? 10;
  const ids = new Set<string>();
  for (const c of options.cameras) {
    if (!ID_RE.test(c.id) || /^\.+$/.test(c.id))
      throw new Error(`camera id "${c.id}" must be url-safe (letters, digits, . _ ~ -)`);
    if (ids.has(c.id)) throw new Error(`duplicate camera id "${c.id}"`);
    ids.add(c.id);
  }
  const plan = await planEncoding(options.cameras, options.ffmpeg);
  if (options.signal?.aborted) throw new Error('simulator start aborted');
  for (const line of plan.notes) log(line);
  const simCameras = plan.cameras;
  const specOf = (c: SimCamera, main: MainSize, tamper?: PictureFault): ClipSpec => ({
    scene: c.scene,
    codec: c.codec,
    main,
    stampId: c.stampId ?? defaultStampId(c.scene),
    loopSeconds,
    ...(c.subGopSeconds === 1 ? { subGopSeconds: 1 as const } : {}),
    ...(tamper ? { tamper } : {}),
  });
  const specs: ClipSpec[] = simCameras.map((c) => specOf(c, c.main ?? '1080p'));
  const tamperSpecs: ClipSpec[] = simCameras.flatMap((c) =>
    c.tamper ? PICTURE_FAULTS.map((t) => specOf(c, c.main ?? '1080p', t)) : [],
  );
  const cache = new SceneCache(options.cacheDir ?? defaultCacheDir(), log, 2, plan.ffmpeg);
  const onAbort = (): void => void cache.close();
  options.signal?.addEventListener('abort', onAbort);
  let files;
  let tamperFiles;
  try {
    [files, tamperFiles] = await Promise.all([cache.ensureAll(specs), cache.ensureAll(tamperSpecs)]);
  } catch (err) {
    await cache.close();
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  // Packetize each distinct file once; cameras sharing a clip share its buffer.
  const clips = new Map<string, PacketizedClip>();
  const loadClip = async (path: string, codec: ClipSpec['codec']): Promise<PacketizedClip> => {
    let clip = clips.get(path);
    if (!clip) {
      clip = packetizeAnnexB(await readFile(path), codec);
      clips.set(path, clip);
    }
    return clip;
  };
  const startMono = performance.now();
  const startWall = Date.now();
  const cameras = new Map<string, CameraRuntime>();
  for (const [i, cam] of simCameras.entries()) {
    const f = files[i];
    const spec = specs[i];
    if (!f || !spec) throw new Error('internal: clip missing');
    const main = await loadClip(f.main, cam.codec);
    const sub = await loadClip(f.sub, cam.codec);
    const offsetMs = loopOffsetFrames(cam.id, loopSeconds * 25) * FRAME_MS;
    const streams = {
      main: { name: 'main' as const, clip: main, kbps: MAIN_SIZES[spec.main].kbps, sessions: new Set<MediaSession>() },
      sub: { name: 'sub' as const, clip: sub, kbps: SUB_SIZE.kbps, sessions: new Set<MediaSession>() },
    };
    const runtime = new CameraRuntime(
      { ...cam },
      streams,
      spec.stampId,
      f.truth,
      startMono - offsetMs,
      startWall - offsetMs,
    );
    cameras.set(cam.id, runtime);
    if (cam.tamper) {
      for (const t of PICTURE_FAULTS) {
        const tf =
          tamperFiles[
            tamperSpecs.findIndex(
              (x) =>
                x.stampId === spec.stampId &&
                x.scene === spec.scene &&
                x.codec === spec.codec &&
                x.main === spec.main &&
                x.subGopSeconds === spec.subGopSeconds &&
                x.tamper === t,
            )
          ];
        if (!tf) throw new Error('internal: tamper clip missing');
        runtime.tamperClips.set(t, {
          main: await loadClip(tf.main, cam.codec),
          sub: await loadClip(tf.sub, cam.codec),
        });
      }
    }
  }
  const pictureSwitches = new Map<string, Promise<number | undefined>>();
  const requestPicture = (cam: CameraRuntime, kind: PictureFault | 'none'): void => {
    cam.requestedPicture = kind;
    const p = (async (): Promise<number | undefined> => {
      if (kind !== 'none' && !cam.tamperClips.has(kind)) {
        log(`sim: rendering the "${kind}" picture of ${cam.id} before switching to it`);
        const [tf] = await cache.ensureAll([specOf(cam.config, cam.config.main ?? '1080p', kind)]);
        if (!tf) throw new Error('internal: tamper clip missing');
        cam.tamperClips.set(kind, {
          main: await loadClip(tf.main, cam.config.codec),
          sub: await loadClip(tf.sub, cam.config.codec),
        });
      }
      if (cam.requestedPicture !== kind) return undefined;
      return cam.switchPicture(kind, performance.now());
    })();
    p.catch((err: Error) => log(`sim: cannot switch ${cam.id} to "${kind}": ${err.message}`));
    pictureSwitches.set(cam.id, p);
  };
  const applyFault = (cam: CameraRuntime, fault: Fault): void => {
    if (isPictureFault(fault.kind)) return requestPicture(cam, fault.kind);
    rtsp.setFault(cam, fault);
    if (fault.kind === 'none' && cam.requestedPicture !== 'none') requestPicture(cam, 'none');
  };

  const rtsp = new RtspServer(cameras, {
    host,
    port: options.rtspPort ?? 0,
    sessionTimeoutMs: options.sessionTimeoutMs,
    log,
  });
  let http: HttpApi | undefined;
  try {
    await rtsp.start();
  } catch (err) {
    await rtsp.stop().catch(() => undefined);
    throw err;
  }
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const cameraOf = (id: string): CameraRuntime => {
    const c = cameras.get(id);
    if (!c) throw new Error(`unknown camera "${id}"`);
    return c;
  };
  const sim: Simulator = {
    host,
    rtspPort: rtsp.port,
    httpPort: 0,
    url(cameraId, stream = 'main', withCredentials = true) {
      const cam = cameraOf(cameraId);
      const a = cam.config.auth;
      const cred = withCredentials && a ? `${encodeURIComponent(a.username)}:${encodeURIComponent(a.password)}@` : '';
      return `rtsp://${cred}${urlHost}:${rtsp.port}/cam/${cameraId}/${stream}`;
    },
    sessions: (cameraId, stream) => cameraOf(cameraId).sessionCount(stream),
    allSessions: () =>
      [...cameras.values()].flatMap((c) =>
        STREAMS.map((stream) => ({
          cameraId: c.id,
          stream,
          sessions: c.streams[stream].sessions.size,
          playing: [...c.streams[stream].sessions].filter((s) => s.playing).length,
        })),
      ),
    setFault(cameraId, fault) {
      const parsed = parseFault(fault);
      if (!parsed) throw new Error(`unknown fault ${JSON.stringify(fault)}`);
      applyFault(cameraOf(cameraId), parsed);
    },
    pictureSwitch: (cameraId) => pictureSwitches.get(cameraOf(cameraId).id) ?? Promise.resolve(undefined),
    async setMainSize(cameraId, main) {
      const cam = cameraOf(cameraId);
      const [files] = await cache.ensureAll([specOf(cam.config, main)]);
      if (!files) throw new Error('internal: clip missing');
      const stream = cam.streams.main;
      stream.clip = await loadClip(files.main, cam.config.codec);
      stream.kbps = MAIN_SIZES[main].kbps;
      cam.config.main = main;
      for (const s of stream.sessions) s.waitKey = true; // an encoder restarts with a keyframe
      // tampered variants were rendered at the old size: render them again when needed
      cam.tamperClips.clear();
      if (cam.requestedPicture !== 'none') requestPicture(cam, cam.requestedPicture);
    },
    setUdpLoss(cameraId, percent, seed) {
      if (!(percent >= 0 && percent <= 100)) throw new Error(`udp loss ${percent} %: not within 0–100`);
      const cam = cameraOf(cameraId);
      cam.config.udpLossPercent = percent;
      if (seed !== undefined) {
        cam.config.udpLossSeed = seed;
        cam.udpLossRand = mulberry32(seed);
      }
    },
    udpStats: (cameraId) => ({ ...cameraOf(cameraId).udp }),
    truth: (cameraId) => cameraOf(cameraId).truth(),
    cameras: () => simCameras.map((c) => ({ ...c })),
    stop: async () => {
      await Promise.all([rtsp.stop(), http?.close(), cache.close()]);
    },
  };
  if (options.httpPort !== false) {
    http = new HttpApi(
      {
        cameras: () =>
          [...cameras.values()].map((c) => ({
            id: c.id,
            scene: c.config.scene,
            codec: c.config.codec,
            main: c.config.main ?? '1080p',
            auth: c.config.auth ? { kind: c.config.auth.kind, username: c.config.auth.username } : null,
            stampId: c.stampId,
            fault: c.fault,
            picture: c.requestedPicture,
            subGopSeconds: c.config.subGopSeconds ?? 2,
            urls: { main: sim.url(c.id, 'main', false), sub: sim.url(c.id, 'sub', false) },
          })),
        sessions: () => {
          const streams = sim.allSessions();
          return { total: streams.reduce((s, x) => s + x.sessions, 0), streams };
        },
        truth: (id) => cameras.get(id)?.truth(),
        setFault: (id, fault) => {
          const c = cameras.get(id);
          if (!c) return false;
          applyFault(c, fault);
          return true;
        },
      },
      log,
    );
    try {
      await http.listen(options.httpPort ?? 0, host);
    } catch (err) {
      await sim.stop();
      throw err;
    }
    sim.httpPort = http.port;
  }
  return sim;
}
