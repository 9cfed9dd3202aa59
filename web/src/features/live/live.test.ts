import { describe, expect, it, vi } from 'vitest';
import { LIVE_WALL_HEADER_BYTES, liveCloseCodes } from '@kuzet/contracts';
import { AppendQueue, type BufferLike } from './append-queue.ts';
import { catchUpDecision, EDGE_MARGIN, targetRate, trimRange, type PlaybackView } from './catch-up.ts';
import { findBox, readBaseDecodeTime, readTimescale } from './fmp4-time.ts';
import { ArrivalMap, pushCapped } from './latency-probe.ts';
import { LiveConnection, type SocketLike } from './live-connection.ts';
import { mimeOf, parseChannelMessage, parseLiveMessage, parseWallFrame } from './live-frame.ts';
import { liveStartOf, liveWallUrl } from './live-url.ts';
import {
  backoffMs,
  initialModel,
  MAX_MEDIA_ERRORS,
  playerReducer,
  wantsSocket,
  type PlayerEvent,
  type PlayerModel,
} from './player-state.ts';

/** An ISO BMFF box: 4-byte size, 4-char type, payload. */
function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let o = 8;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

function u32(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v));
  return out;
}

/** moof{mfhd, traf{tfhd, tfdt, trun}} + mdat, as the server's muxer writes it. */
function fragment(decodeTime: number, version: 0 | 1 = 1): Uint8Array {
  const tfdt =
    version === 1
      ? box('tfdt', u32(0x01000000, Math.floor(decodeTime / 0x100000000), decodeTime % 0x100000000))
      : box('tfdt', u32(0, decodeTime));
  const traf = box('traf', box('tfhd', u32(0x020000, 1)), tfdt, box('trun', u32(0x000701, 1, 0, 3600, 4, 0x02000000)));
  const moof = box('moof', box('mfhd', u32(0, 7)), traf);
  const mdat = box('mdat', u32(0xdeadbeef));
  const out = new Uint8Array(moof.byteLength + mdat.byteLength);
  out.set(moof);
  out.set(mdat, moof.byteLength);
  return out;
}

function frameBytes(kind: number, flags: number, arrival: number, payload: Uint8Array, channel = 1): ArrayBuffer {
  const out = new Uint8Array(LIVE_WALL_HEADER_BYTES + payload.byteLength);
  out[0] = kind;
  out[1] = flags;
  new DataView(out.buffer).setUint16(2, channel);
  new DataView(out.buffer).setFloat64(4, arrival);
  out.set(payload, LIVE_WALL_HEADER_BYTES);
  return out.buffer;
}

describe('binary live frames', () => {
  it('reads kind, keyframe flag, channel, arrival time and the fMP4 bytes', () => {
    const payload = fragment(90_000);
    const frame = parseWallFrame(frameBytes(2, 1, 1_732_000_000_123.5, payload, 65_535));
    expect(frame?.kind).toBe('media');
    expect(frame?.channel).toBe(65_535);
    expect(frame?.keyframe).toBe(true);
    expect(frame?.arrival).toBe(1_732_000_000_123.5);
    expect([...(frame?.data ?? [])]).toEqual([...payload]);
    const init = parseWallFrame(frameBytes(1, 0, 5, new Uint8Array([1, 2, 3]), 7));
    expect(init).toMatchObject({ kind: 'init', keyframe: false, arrival: 5, channel: 7 });
  });

  it('refuses unknown kinds and frames with no payload', () => {
    expect(parseWallFrame(frameBytes(3, 0, 1, new Uint8Array([1])))).toBeNull();
    expect(parseWallFrame(new ArrayBuffer(LIVE_WALL_HEADER_BYTES))).toBeNull();
    expect(parseWallFrame(new ArrayBuffer(3))).toBeNull();
  });

  it('reads codec and status messages, nothing else', () => {
    expect(parseLiveMessage('{"type":"codec","codec":"avc1.64001f","width":640,"height":360,"transcoded":false}')).toEqual({
      type: 'codec',
      codec: 'avc1.64001f',
      width: 640,
      height: 360,
      transcoded: false,
    });
    expect(parseLiveMessage('{"type":"status","state":"offline","reason":"timeout"}')).toEqual({
      type: 'status',
      state: 'offline',
      reason: 'timeout',
    });
    expect(parseLiveMessage('{"type":"status","state":"online","reason":"weird"}')).toEqual({
      type: 'status',
      state: 'online',
      reason: null,
    });
    expect(parseLiveMessage('{"type":"status","state":"melting"}')).toBeNull();
    expect(parseLiveMessage('not json')).toBeNull();
    expect(parseLiveMessage('{"type":"codec"}')).toBeNull();
    expect(mimeOf('avc1.64001f')).toBe('video/mp4; codecs="avc1.64001f"');
  });

  it("reads a channel's message and a channel's refusal", () => {
    expect(parseChannelMessage('{"type":"status","state":"online","reason":null,"channel":3}')).toEqual({
      channel: 3,
      message: { type: 'status', state: 'online', reason: null },
    });
    expect(parseChannelMessage(`{"type":"refused","channel":4,"code":${liveCloseCodes.forbidden}}`)).toEqual({ channel: 4, refused: liveCloseCodes.forbidden });
    expect(parseChannelMessage('{"type":"status","state":"online","reason":null}')).toBeNull();
    expect(parseChannelMessage('{"type":"refused","channel":4}')).toBeNull();
  });

  it("builds the same-origin address of the page's one socket, and reads the start mode", () => {
    expect(liveWallUrl({ protocol: 'https:', host: 'post.example:8443' })).toBe('wss://post.example:8443/api/v1/live');
    expect(liveWallUrl({ protocol: 'http:', host: 'localhost:8191' })).toBe('ws://localhost:8191/api/v1/live');
    expect(liveStartOf({ search: '?layout=x&start=keyframe' })).toBe('keyframe');
    expect(liveStartOf({ search: '' })).toBe('cache');
  });
});

describe('fMP4 times', () => {
  it('reads a 64-bit tfdt (version 1) beyond 2^32', () => {
    const big = 2 ** 33 + 12_345;
    expect(readBaseDecodeTime(fragment(big))).toBe(big);
    expect(readBaseDecodeTime(fragment(90_000 * 3600))).toBe(90_000 * 3600);
  });

  it('reads a 32-bit tfdt (version 0)', () => {
    expect(readBaseDecodeTime(fragment(123_456, 0))).toBe(123_456);
  });

  it('answers null for bytes without moof/traf/tfdt, or truncated', () => {
    expect(readBaseDecodeTime(box('mdat', u32(1)))).toBeNull();
    expect(readBaseDecodeTime(fragment(1).slice(0, 30))).toBeNull();
    expect(readBaseDecodeTime(new Uint8Array(3))).toBeNull();
  });

  it('reads the timescale from an init segment (mdhd v0 and v1)', () => {
    const mdhd0 = box('mdhd', u32(0, 0, 0, 90_000, 0, 0x55c40000));
    const mdhd1 = box('mdhd', u32(0x01000000, 0, 0, 0, 0, 30_000, 0, 0, 0x55c40000));
    const init = (mdhd: Uint8Array) =>
      new Uint8Array([...box('ftyp', u32(0)), ...box('moov', box('mvhd', u32(0)), box('trak', box('mdia', mdhd)))]);
    expect(readTimescale(init(mdhd0))).toBe(90_000);
    expect(readTimescale(init(mdhd1))).toBe(30_000);
    expect(readTimescale(box('moov'))).toBeNull();
  });

  it('finds a box inside a view that does not start at offset 0', () => {
    const bytes = fragment(42);
    const padded = new Uint8Array(bytes.byteLength + 10);
    padded.set(bytes, 10);
    const view = padded.subarray(10);
    expect(readBaseDecodeTime(view)).toBe(42);
    expect(findBox(view, ['moof', 'mfhd'])).not.toBeNull();
  });
});

describe('the player state machine', () => {
  const run = (...events: PlayerEvent[]) => events.reduce<PlayerModel>(playerReducer, initialModel);

  it('goes idle → connecting → playing ⇄ stalled', () => {
    expect(run({ type: 'start' }).state).toEqual({ name: 'connecting' });
    expect(run({ type: 'start' }, { type: 'frame' }).state).toEqual({ name: 'playing' });
    expect(run({ type: 'start' }, { type: 'frame' }, { type: 'stall' }).state).toEqual({ name: 'stalled' });
    expect(run({ type: 'start' }, { type: 'frame' }, { type: 'stall' }, { type: 'frame' }).state).toEqual({
      name: 'playing',
    });
    expect(run({ type: 'stall' }).state).toEqual({ name: 'idle' });
  });

  it('shows offline with the reason while the socket stays, and resumes when frames come', () => {
    const offline = run({ type: 'start' }, { type: 'frame' }, { type: 'status', state: 'offline', reason: 'timeout' });
    expect(offline.state).toEqual({ name: 'offline', reason: 'timeout' });
    expect(wantsSocket(offline)).toBe(true);
    // Frames still in the buffer do not end "offline".
    expect(playerReducer(offline, { type: 'frame' })).toBe(offline);
    const back = playerReducer(offline, { type: 'status', state: 'online', reason: null });
    expect(back.state).toEqual({ name: 'connecting' });
    expect(playerReducer(back, { type: 'frame' }).state).toEqual({ name: 'playing' });
    expect(playerReducer(offline, { type: 'fragment' }).state).toEqual({ name: 'connecting' });
    expect(run({ type: 'start' }, { type: 'status', state: 'disabled', reason: null }).state).toEqual({
      name: 'offline',
      reason: 'disabled',
    });
  });

  it('reconnects on a dropped socket with a growing pause, and resets it after a frame', () => {
    let m = run({ type: 'start' });
    m = playerReducer(m, { type: 'closed', code: 1006 });
    expect(m.state).toEqual({ name: 'connecting' });
    expect(m.attempt).toBe(1);
    m = playerReducer(m, { type: 'closed', code: liveCloseCodes.serverStopping });
    expect(m.attempt).toBe(2);
    expect(backoffMs(m.attempt)).toBe(2000);
    m = playerReducer(m, { type: 'frame' });
    expect(m).toMatchObject({ state: { name: 'playing' }, attempt: 0 });
    expect([1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffMs(0)).toBe(0);
  });

  it('fails with a visible reason on refusals and unsupported codecs, and stays failed', () => {
    const forbidden = run({ type: 'start' }, { type: 'closed', code: liveCloseCodes.forbidden });
    expect(forbidden.state).toEqual({ name: 'failed', reason: 'forbidden' });
    expect(wantsSocket(forbidden)).toBe(false);
    expect(playerReducer(forbidden, { type: 'start' })).toBe(forbidden);
    expect(playerReducer(forbidden, { type: 'stop' })).toBe(forbidden);
    expect(run({ type: 'start' }, { type: 'closed', code: liveCloseCodes.notFound }).state).toEqual({
      name: 'failed',
      reason: 'not_found',
    });
    expect(run({ type: 'start' }, { type: 'unsupported', reason: 'unsupported_codec' }).state).toEqual({
      name: 'failed',
      reason: 'unsupported_codec',
    });
    // A session that came back may try again.
    const unauth = run({ type: 'start' }, { type: 'closed', code: liveCloseCodes.unauthenticated });
    expect(unauth.state).toEqual({ name: 'failed', reason: 'unauthenticated' });
    expect(playerReducer(unauth, { type: 'start' }).state).toEqual({ name: 'connecting' });
  });

  it('retries media errors a few times, then says so', () => {
    let m = run({ type: 'start' });
    for (let i = 1; i < MAX_MEDIA_ERRORS; i++) {
      m = playerReducer(m, { type: 'media-error' });
      expect(m.state).toEqual({ name: 'connecting' });
    }
    m = playerReducer(m, { type: 'media-error' });
    expect(m.state).toEqual({ name: 'failed', reason: 'media_error' });
  });

  it('stops to idle and ignores socket news afterwards', () => {
    const stopped = run({ type: 'start' }, { type: 'frame' }, { type: 'stop' });
    expect(stopped.state).toEqual({ name: 'idle' });
    expect(playerReducer(stopped, { type: 'closed', code: 1006 })).toBe(stopped);
    expect(playerReducer(stopped, { type: 'status', state: 'offline', reason: null })).toBe(stopped);
  });
});

describe('catching up to the live edge', () => {
  const view = (patch: Partial<PlaybackView>): PlaybackView => ({
    buffered: [{ start: 100, end: 102 }],
    currentTime: 100,
    playbackRate: 1,
    firstFrameShown: true,
    lastSeekAt: null,
    now: 10_000,
    ...patch,
  });

  it('starts at the cached keyframe before the first frame', () => {
    expect(catchUpDecision(view({ currentTime: 0, firstFrameShown: false }))).toEqual({ action: 'seek', to: 100 });
    expect(catchUpDecision(view({ currentTime: 100, firstFrameShown: false }))).toEqual({ action: 'none' });
  });

  it('jumps to just behind the edge when more than half a second behind', () => {
    expect(catchUpDecision(view({ currentTime: 100.2 }))).toEqual({ action: 'seek', to: 102 - EDGE_MARGIN });
    // Not again right after a jump.
    expect(catchUpDecision(view({ currentTime: 100.2, lastSeekAt: 9_500 }))).toMatchObject({ action: 'rate' });
  });

  it('speeds up a little for a small lag, and back to 1 at the edge', () => {
    const small = catchUpDecision(view({ currentTime: 101.7 }));
    expect(small.action).toBe('rate');
    if (small.action === 'rate') expect(small.rate).toBeGreaterThanOrEqual(1.1);
    if (small.action === 'rate') expect(small.rate).toBeLessThanOrEqual(1.5);
    expect(catchUpDecision(view({ currentTime: 101.97, playbackRate: 1.2 }))).toEqual({ action: 'rate', rate: 1 });
    expect(catchUpDecision(view({ currentTime: 101.97 }))).toEqual({ action: 'none' });
    // Hysteresis: a lag between the two thresholds keeps the current rate.
    expect(targetRate(0.07, 1)).toBe(1);
    expect(targetRate(0.07, 1.2)).toBeGreaterThan(1);
    expect(targetRate(5, 1)).toBe(1.5);
  });

  it('leaves an old range for the newest one (a gap, or a new timeline)', () => {
    const gap = view({ buffered: [{ start: 10, end: 12 }, { start: 50, end: 52 }], currentTime: 11.9 });
    expect(catchUpDecision(gap)).toEqual({ action: 'seek', to: 52 - EDGE_MARGIN });
    expect(catchUpDecision(view({ buffered: [] }))).toEqual({ action: 'none' });
  });

  it('jumps from the cached keyframe to the edge once the burst is in: latency as if there were no cache', () => {
    // The first picture (the cached keyframe, 1.9 s old) is shown; the burst reaches 101.96.
    const afterFirst = catchUpDecision(view({ buffered: [{ start: 100, end: 101.96 }], currentTime: 100.04 }));
    expect(afterFirst).toEqual({ action: 'seek', to: 101.96 - EDGE_MARGIN });
    expect(EDGE_MARGIN).toBeLessThanOrEqual(0.05);
  });

  it('before reaching the edge, does not decode more than a second of an old GOP: waits for the next live keyframe', () => {
    // Playing from the cached keyframe at 100; the edge is 1.9 s further on.
    const old = view({ buffered: [{ start: 100, end: 101.96 }], currentTime: 100.04, reachedEdge: false, keyframes: [100] });
    expect(catchUpDecision(old).action).not.toBe('seek');
    // A young cached keyframe: a short decode, jump at once.
    expect(catchUpDecision({ ...old, buffered: [{ start: 101, end: 101.96 }], currentTime: 101.04, keyframes: [101] })).toEqual({ action: 'seek', to: 101.96 - EDGE_MARGIN });
    // The next live keyframe arrived: jump to the edge, decoding from it.
    expect(catchUpDecision({ ...old, buffered: [{ start: 100, end: 102.1 }], keyframes: [100, 102] })).toEqual({ action: 'seek', to: 102.1 - EDGE_MARGIN });
    // Once at the edge, a jump is a jump whatever it costs (the machine fell behind).
    expect(catchUpDecision({ ...old, reachedEdge: true })).toEqual({ action: 'seek', to: 101.96 - EDGE_MARGIN });
  });

  it('jumps again at once while it has not yet reached the edge (the burst came in pieces), then cools down', () => {
    const behind = view({ buffered: [{ start: 100, end: 103 }], currentTime: 101, lastSeekAt: 9_900 });
    expect(catchUpDecision({ ...behind, reachedEdge: false })).toEqual({ action: 'seek', to: 103 - EDGE_MARGIN });
    expect(catchUpDecision({ ...behind, reachedEdge: true }).action).toBe('rate');
  });

  it('trims what is more than 4 s behind, a few seconds at a time', () => {
    expect(trimRange([{ start: 0, end: 30 }], 29)).toEqual({ start: 0, end: 25 });
    expect(trimRange([{ start: 0, end: 6 }], 5)).toBeNull();
    expect(trimRange([], 13)).toBeNull();
  });
});

describe('the SourceBuffer queue', () => {
  class FakeBuffer implements BufferLike {
    updating = false;
    readonly calls: string[] = [];
    appendBuffer(data: BufferSource): void {
      this.updating = true;
      this.calls.push(`append:${(data as Uint8Array).byteLength}`);
    }
    remove(start: number, end: number): void {
      this.updating = true;
      this.calls.push(`remove:${start}-${end}`);
    }
    finish(queue: AppendQueue): void {
      this.updating = false;
      queue.run();
    }
  }
  const bytes = (n: number) => new Uint8Array(new ArrayBuffer(n));

  it('never touches the buffer while it updates, and batches waiting appends', () => {
    const buffer = new FakeBuffer();
    const queue = new AppendQueue(buffer, () => undefined);
    queue.append(bytes(10));
    queue.append(bytes(20));
    queue.append(bytes(30));
    expect(buffer.calls).toEqual(['append:10']);
    expect(queue.pendingBytes).toBe(50);
    buffer.finish(queue);
    expect(buffer.calls).toEqual(['append:10', 'append:50']);
    queue.remove(0, 5);
    queue.append(bytes(1));
    buffer.finish(queue);
    expect(buffer.calls.slice(2)).toEqual(['remove:0-5']);
    buffer.finish(queue);
    expect(buffer.calls.slice(3)).toEqual(['append:1']);
    buffer.finish(queue);
    expect(queue.idle).toBe(true);
  });

  it('reports a failing append and drops what waited', () => {
    const errors: unknown[] = [];
    const queue = new AppendQueue(
      {
        updating: false,
        appendBuffer: () => {
          throw new Error('QuotaExceededError');
        },
        remove: () => undefined,
      },
      (e) => errors.push(e),
    );
    queue.append(bytes(4));
    expect(errors).toHaveLength(1);
    expect(queue.pendingBytes).toBe(0);
  });
});

describe('latency samples', () => {
  it('matches a presented media time to its fragment arrival', () => {
    const map = new ArrivalMap(3);
    map.add(1.0, 1000);
    map.add(1.04, 1040);
    map.add(1.08, 1080);
    map.add(1.12, 1120);
    expect(map.find(1.0800004)).toBe(1080);
    expect(map.find(1.0)).toBeNull(); // dropped: the map keeps the last 3
    expect(map.find(1.1)).toBeNull();
  });

  it('caps a sample list', () => {
    const list: number[] = [];
    for (let i = 0; i < 10; i++) pushCapped(list, i, 4);
    expect(list).toEqual([6, 7, 8, 9]);
  });
});

describe("the page's one live socket", () => {
  class FakeSocket implements SocketLike {
    readyState = 0;
    binaryType: BinaryType = 'blob';
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent<string | ArrayBuffer>) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    sent: unknown[] = [];
    closedWith: number | null = null;
    send(data: string) {
      this.sent.push(JSON.parse(data));
    }
    close(code?: number) {
      this.closedWith = code ?? 1000;
      this.readyState = 3;
    }
    open() {
      this.readyState = 1;
      this.onopen?.(new Event('open'));
    }
    receive(data: string | ArrayBuffer) {
      this.onmessage?.({ data } as MessageEvent<string | ArrayBuffer>);
    }
    drop(code: number) {
      this.readyState = 3;
      this.onclose?.({ code } as CloseEvent);
    }
  }
  const listener = () => {
    const got = { messages: [] as unknown[], frames: [] as number[], closed: [] as [number, boolean][] };
    return {
      got,
      l: {
        message: (m: unknown) => got.messages.push(m),
        frame: (f: { arrival: number }) => got.frames.push(f.arrival),
        closed: (code: number, opened: boolean) => got.closed.push([code, opened]),
      },
    };
  };

  it('carries every tile over one socket: subscribes once open, routes by channel, a refusal ends one channel', () => {
    const sockets: FakeSocket[] = [];
    const c = new LiveConnection('ws://x/api/v1/live', () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    });
    const a = listener();
    const b = listener();
    c.subscribe({ cameraId: 'cam-a', stream: 'sub', start: 'cache' }, a.l);
    const stopB = c.subscribe({ cameraId: 'cam-b', stream: 'main', start: 'keyframe' }, b.l);
    expect(sockets).toHaveLength(1);
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual([
      { type: 'subscribe', channel: 1, cameraId: 'cam-a', stream: 'sub', start: 'cache' },
      { type: 'subscribe', channel: 2, cameraId: 'cam-b', stream: 'main', start: 'keyframe' },
    ]);
    sockets[0]!.receive(frameBytes(2, 1, 111, fragment(0), 2));
    sockets[0]!.receive(frameBytes(2, 1, 222, fragment(0), 1));
    sockets[0]!.receive('{"type":"status","state":"online","reason":null,"channel":1}');
    expect(a.got.frames).toEqual([222]);
    expect(b.got.frames).toEqual([111]);
    expect(a.got.messages).toEqual([{ type: 'status', state: 'online', reason: null }]);
    sockets[0]!.receive(`{"type":"refused","channel":1,"code":${liveCloseCodes.forbidden}}`);
    expect(a.got.closed).toEqual([[liveCloseCodes.forbidden, true]]);
    expect(b.got.closed).toEqual([]);
    expect(c.channelCount).toBe(1);
    stopB();
    expect(sockets[0]!.sent.at(-1)).toEqual({ type: 'unsubscribe', channel: 2 });
    sockets[0]!.receive(frameBytes(2, 1, 333, fragment(0), 2));
    expect(b.got.frames).toEqual([111]); // nothing after unsubscribing
  });

  it('a lost socket ends every channel; the next subscription opens a new one; an idle socket closes after a while', () => {
    vi.useFakeTimers();
    try {
      const sockets: FakeSocket[] = [];
      const c = new LiveConnection('ws://x/api/v1/live', () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      }, 1000);
      const a = listener();
      const b = listener();
      c.subscribe({ cameraId: 'cam-a', stream: 'sub', start: 'cache' }, a.l);
      c.subscribe({ cameraId: 'cam-b', stream: 'sub', start: 'cache' }, b.l);
      sockets[0]!.drop(1006);
      expect(a.got.closed).toEqual([[1006, false]]);
      expect(b.got.closed).toEqual([[1006, false]]);
      const stop = c.subscribe({ cameraId: 'cam-a', stream: 'sub', start: 'cache' }, a.l);
      expect(sockets).toHaveLength(2);
      sockets[1]!.open();
      stop();
      vi.advanceTimersByTime(999);
      expect(sockets[1]!.closedWith).toBeNull();
      vi.advanceTimersByTime(1);
      expect(sockets[1]!.closedWith).toBe(1000);
    } finally {
      vi.useRealTimers();
    }
  });
});
