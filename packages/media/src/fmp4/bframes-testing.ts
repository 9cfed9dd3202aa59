/**
 * Test support for B-frame interop (not exported from the package; the e2e suite imports
 * it by path): GStreamer's RTSP server serving B-frame streams (interop/gst-bframes-server.py),
 * and our RtspClient → Fmp4Muxer chain writing what it receives, in both muxer modes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { RtspClient } from '../rtsp/rtsp-client.ts';
import type { RtspError } from '../rtsp/errors.ts';
import type { VideoCodec } from '../types.ts';
import { Fmp4Muxer, type FragmentMode } from './muxer.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../../interop/gst-bframes-server.py');
const INSTALL =
  'apt-get install -y python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad';

export interface BframeServer {
  url(codec: VideoCodec): string;
  stop(): void;
}

/** Starts GStreamer's RTSP server with B-frame mounts; every client gets `frames` frames. */
export async function startBframeServer(frames: number): Promise<BframeServer> {
  const check = spawnSync(
    '/usr/bin/python3',
    ['-c', "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import GstRtspServer"],
    { encoding: 'utf8' },
  );
  if (check.status !== 0) throw new Error(`GStreamer's RTSP server is missing. Install it: ${INSTALL}\n${check.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn('/usr/bin/python3', [SCRIPT, String(port), String(frames)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
    child.once('exit', (code) => reject(new Error(`gst-bframes-server exited (${code}): ${err}`)));
  });
  return {
    url: (codec) => `rtsp://127.0.0.1:${port}/${codec}`,
    stop: () => void child.kill('SIGKILL'),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Ingested {
  /** Access units received. */
  frames: number;
  /** pts of the access units, in arrival (decode) order. */
  pts: number[];
  /** RFC 6381 codec string of the track. */
  codecString: string;
  init: Uint8Array;
  /** Fragments per mode, as push()/flush() returned them. */
  fragments: Record<FragmentMode, Uint8Array[]>;
  /** Reorder depth the muxers ended with. */
  reorderDepth: number;
  error: RtspError | null;
}

/**
 * Receives `frames` access units over RTSP (TCP) and muxes each as it arrives, in both
 * modes, the way the server does (AccessUnit views are reused by the depacketizer, so
 * nothing is kept but the muxers' output).
 */
export function ingestToFmp4(
  url: string,
  frames: number,
  opts: { reorderDepth?: number; timeoutMs?: number } = {},
): Promise<Ingested> {
  // reorderDepth 0: act as if the SPS did not say, so the muxers learn the depth from the stream.
  const depth = opts.reorderDepth !== undefined ? { reorderDepth: opts.reorderDepth } : {};
  const muxers = { frame: new Fmp4Muxer({ mode: 'frame', ...depth }), gop: new Fmp4Muxer({ mode: 'gop', ...depth }) };
  const out: Ingested = {
    frames: 0,
    pts: [],
    codecString: '',
    init: new Uint8Array(0),
    fragments: { frame: [], gop: [] },
    reorderDepth: 0,
    error: null,
  };
  return new Promise((resolve) => {
    let settled = false;
    const done = (error: RtspError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const mode of ['frame', 'gop'] as const) {
        const last = muxers[mode].flush();
        if (last) out.fragments[mode].push(last);
      }
      out.reorderDepth = muxers.frame.reorderDepth;
      out.error = error;
      void client.close().then(() => resolve(out));
    };
    const client = new RtspClient({
      url,
      transport: 'tcp',
      stallTimeoutMs: 5000,
      onParameterSets: (ps) => {
        if (out.init.length) return;
        out.init = new Uint8Array(muxers.frame.init(ps));
        muxers.gop.init(ps);
        out.codecString = muxers.frame.info?.codecString ?? ps.codec;
      },
      onAccessUnit: (au) => {
        out.frames++;
        out.pts.push(au.pts);
        for (const mode of ['frame', 'gop'] as const) {
          const f = muxers[mode].push(au);
          if (f) out.fragments[mode].push(f);
        }
        if (out.frames === frames) setTimeout(() => done(null), 300); // nothing more should come
      },
      onError: (e) => done(e),
    });
    const timer = setTimeout(() => done(null), opts.timeoutMs ?? 30_000);
    void client.start();
  });
}
