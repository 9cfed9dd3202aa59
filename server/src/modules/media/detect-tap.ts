import type { MessagePort } from 'node:worker_threads';
import type { AccessUnit, VideoCodec, VideoParameterSets } from '@kuzet/media';
import type { TapControl, TapMessage } from '../detection/detection.protocol.ts';
import type { AccessUnitConsumer } from './au-consumer.ts';
import type { StreamSession } from './stream-session.ts';

const FACTS_MS = 200;
const MAX_FACTS = 64;

/** NAL units the tap drops: parameter sets (sent in front of each keyframe) and AUDs (the decoder adds its own). */
function skipNal(codec: VideoCodec, nal: Uint8Array): boolean {
  const b = nal[0];
  if (b === undefined) return true;
  if (codec === 'h264') {
    const t = b & 0x1f;
    return t === 7 || t === 8 || t === 9 || t === 12;
  }
  const t = (b >> 1) & 0x3f;
  return t === 32 || t === 33 || t === 34 || t === 35 || t === 38;
}

/** Annex B: 4-byte start codes before `prefix` and each kept NAL unit, into one transferable buffer. */
function annexB(codec: VideoCodec, prefix: Uint8Array | null, nalus: readonly Uint8Array[]): ArrayBuffer {
  let n = prefix?.length ?? 0;
  for (const nal of nalus) if (!skipNal(codec, nal)) n += 4 + nal.length;
  const ab = new ArrayBuffer(n);
  const out = new Uint8Array(ab);
  let o = 0;
  if (prefix) {
    out.set(prefix, 0);
    o = prefix.length;
  }
  for (const nal of nalus) {
    if (skipNal(codec, nal)) continue;
    out[o + 3] = 1;
    out.set(nal, o + 4);
    o += 4 + nal.length;
  }
  return ab;
}

/**
 * The detector's tap on one camera stream (the sub stream, else the main), in its media
 * worker: keyframes (parameter sets in front, undamaged only) to the detection worker; while
 * the camera is promoted, every access unit, starting with the GOP cache from its keyframe;
 * per-frame facts (arrival, bytes, keyframe) into the batch its DetectTaps sends every 200 ms.
 * Per frame on a quiet camera: a sum of NAL sizes and three typed-array writes.
 */
export class DetectTap implements AccessUnitConsumer {
  private codec: VideoCodec = 'h264';
  private prefix: Uint8Array | null = null;
  private promoted = false;
  private sawKey = false;
  at = new Float64Array(MAX_FACTS);
  bytes = new Uint32Array(MAX_FACTS);
  key = new Uint8Array(MAX_FACTS);
  count = 0;

  constructor(
    readonly cameraId: string,
    readonly session: StreamSession,
    private readonly send: (m: TapMessage, transfer?: ArrayBuffer[]) => void,
  ) {}

  onParams(ps: VideoParameterSets): void {
    this.codec = ps.codec;
    const sets = [ps.vps, ps.sps, ps.pps].filter((x): x is Uint8Array => !!x);
    const prefix = new Uint8Array(sets.reduce((n, s) => n + 4 + s.length, 0));
    let o = 0;
    for (const s of sets) {
      prefix[o + 3] = 1;
      prefix.set(s, o + 4);
      o += 4 + s.length;
    }
    this.prefix = prefix;
    this.sawKey = false;
  }

  onAccessUnit(au: AccessUnit): void {
    let size = 0;
    for (const nal of au.nalus) size += nal.length;
    if (this.count < MAX_FACTS) {
      const i = this.count++;
      this.at[i] = au.receivedAt;
      this.bytes[i] = size;
      this.key[i] = au.keyframe ? 1 : 0;
    }
    if (!this.prefix) return;
    if (au.keyframe) this.sawKey = true;
    if (this.promoted) {
      if (!this.sawKey) return;
      const data = annexB(this.codec, au.keyframe ? this.prefix : null, au.nalus);
      this.send({ type: 'au', cameraId: this.cameraId, codec: this.codec, pts: au.pts, receivedAt: au.receivedAt, keyframe: au.keyframe, replay: false, data }, [data]);
      return;
    }
    if (au.keyframe && !au.damaged) {
      const data = annexB(this.codec, this.prefix, au.nalus);
      this.send({ type: 'key', cameraId: this.cameraId, codec: this.codec, pts: au.pts, receivedAt: au.receivedAt, data }, [data]);
    }
  }

  onReset(): void {
    this.sawKey = false;
    this.send({ type: 'reset', cameraId: this.cameraId });
  }

  /** Full rate on or off; on starts with the cached GOP, so the decoder begins at its keyframe. */
  promote(on: boolean): void {
    if (on === this.promoted) return;
    this.promoted = on;
    if (!on || !this.prefix) return;
    const gop = this.session.cachedGop();
    this.sawKey = gop.length > 0;
    for (const f of gop) {
      const data = lengthPrefixedToAnnexB(f.data, f.keyframe ? this.prefix : null);
      this.send({ type: 'au', cameraId: this.cameraId, codec: this.codec, pts: f.pts, receivedAt: f.receivedAt, keyframe: f.keyframe, replay: true, data }, [data]);
    }
  }
}

/** The GOP cache's samples (4-byte lengths) as Annex B (4-byte start codes): same size, lengths overwritten. */
function lengthPrefixedToAnnexB(sample: Uint8Array, prefix: Uint8Array | null): ArrayBuffer {
  const p = prefix?.length ?? 0;
  const ab = new ArrayBuffer(p + sample.length);
  const out = new Uint8Array(ab);
  if (prefix) out.set(prefix, 0);
  out.set(sample, p);
  let o = p;
  while (o + 4 <= out.length) {
    const n = ((out[o]! << 24) | (out[o + 1]! << 16) | (out[o + 2]! << 8) | out[o + 3]!) >>> 0;
    out[o] = 0;
    out[o + 1] = 0;
    out[o + 2] = 0;
    out[o + 3] = 1;
    o += 4 + n;
  }
  return ab;
}

/**
 * The taps of one media worker: which cameras the detector wants, attached to each camera's
 * sub session (the main when it has no sub), the port to the detection worker, and the facts
 * batch (one message for all of this worker's cameras every 200 ms).
 */
export class DetectTaps {
  private port: MessagePort | null = null;
  private readonly wanted = new Set<string>();
  private readonly taps = new Map<string, DetectTap>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly lookup: (cameraId: string) => { main?: StreamSession; sub?: StreamSession }) {}

  setPort(port: MessagePort): void {
    this.port?.close();
    this.port = port;
    port.on('message', (m: TapControl) => {
      if (m.type === 'promote') this.taps.get(m.cameraId)?.promote(m.on);
    });
    // A new detector knows nothing of earlier promotions: start over quiet.
    for (const id of [...this.taps.keys()]) this.detach(id);
    for (const id of this.wanted) this.refresh(id);
  }

  want(cameraId: string, on: boolean): void {
    if (on) this.wanted.add(cameraId);
    else this.wanted.delete(cameraId);
    this.refresh(cameraId);
  }

  /** After a session of the camera was added or removed: the tap follows (sub preferred). */
  refresh(cameraId: string): void {
    const s = this.lookup(cameraId);
    const session = this.wanted.has(cameraId) && this.port ? (s.sub ?? s.main ?? null) : null;
    const tap = this.taps.get(cameraId);
    if (tap && tap.session === session) return;
    if (tap) this.detach(cameraId);
    if (!session) return;
    const t = new DetectTap(cameraId, session, (m, transfer) => this.port?.postMessage(m, transfer ?? []));
    this.taps.set(cameraId, t);
    session.addConsumer(t);
    this.timer ??= setInterval(() => this.flush(), FACTS_MS);
  }

  close(): void {
    for (const id of [...this.taps.keys()]) this.detach(id);
    this.port?.close();
    this.port = null;
  }

  private detach(cameraId: string): void {
    const t = this.taps.get(cameraId);
    if (!t) return;
    this.taps.delete(cameraId);
    t.session.removeConsumer(t);
    if (!this.taps.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private flush(): void {
    if (!this.port) return;
    let n = 0;
    const ids: string[] = [];
    for (const t of this.taps.values()) {
      if (!t.count) continue;
      ids.push(t.cameraId);
      n += t.count;
    }
    if (!n) return;
    const at = new Float64Array(n);
    const bytes = new Uint32Array(n);
    const key = new Uint8Array(n);
    const offsets: number[] = [];
    let o = 0;
    for (const id of ids) {
      const t = this.taps.get(id)!;
      offsets.push(o);
      at.set(t.at.subarray(0, t.count), o);
      bytes.set(t.bytes.subarray(0, t.count), o);
      key.set(t.key.subarray(0, t.count), o);
      o += t.count;
      t.count = 0;
    }
    offsets.push(o);
    this.port.postMessage({ type: 'facts', cameraIds: ids, offsets, at, bytes, key } satisfies TapMessage, [at.buffer, bytes.buffer, key.buffer]);
  }
}
