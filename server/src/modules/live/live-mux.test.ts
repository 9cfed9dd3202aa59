import { LIVE_FRAME_MEDIA, liveCloseCodes, type StreamKind } from '@kuzet/contracts';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { DomainError } from '../../platform/errors.ts';
import type { LiveHub, LiveSink } from './live-hub.ts';
import { channelCongested, channelDrained, serveWall, type WallSocket } from './live-mux.ts';

/**
 * The wall's socket without a network: per-channel refusals, nothing attached before
 * the audit resolved, and backpressure per channel on one shared socket.
 */
class FakeSocket implements WallSocket {
  readyState = 1;
  bufferedAmount = 0;
  texts: { type: string; channel: number; code?: number }[] = [];
  binary: Uint8Array[] = [];
  /** Write callbacks not yet called: the bytes are still queued. */
  pending: (() => void)[] = [];
  private listeners: { message: ((data: unknown, isBinary: boolean) => void)[]; close: (() => void)[] } = { message: [], close: [] };
  send(data: string | Uint8Array, cb?: (err?: Error) => void) {
    if (typeof data === 'string') this.texts.push(JSON.parse(data) as FakeSocket['texts'][number]);
    else {
      this.binary.push(data);
      this.bufferedAmount += data.byteLength;
      this.pending.push(() => {
        this.bufferedAmount -= data.byteLength;
        cb?.();
      });
    }
  }
  close() {
    this.readyState = 3;
    for (const l of this.listeners.close) l();
  }
  on(event: 'close' | 'message', listener: never) {
    (this.listeners[event] as unknown[]).push(listener);
  }
  page(message: object) {
    for (const l of this.listeners.message) l(Buffer.from(JSON.stringify(message)), false);
  }
  flush() {
    for (const done of this.pending.splice(0)) done();
  }
}

function fakeHub() {
  const attached: { sink: LiveSink; cameraId: string; stream: StreamKind; detached: boolean }[] = [];
  const hub = {
    attach(sink: LiveSink, cameraId: string, stream: StreamKind) {
      const a = { sink, cameraId, stream, detached: false };
      attached.push(a);
      return () => {
        a.detached = true;
      };
    },
  } as unknown as LiveHub;
  return { hub, attached };
}

const settle = () => new Promise((r) => setImmediate(r)).then(() => new Promise((r) => setTimeout(r, 0)));
const MiB = 1024 * 1024;

describe("the wall's socket", () => {
  it('refuses one channel alone, audits the others before attaching them, and detaches on unsubscribe and close', async () => {
    const socket = new FakeSocket();
    const { hub, attached } = fakeHub();
    const audited: string[][] = [];
    let releaseAudit = () => undefined as void;
    serveWall(socket, {
      hub,
      log: createLogger('silent'),
      authorize: async (ids) => ids.map((id) => (id.endsWith('2') ? new DomainError('VIDEO_GRANT_REQUIRED') : null)),
      audit: (views) => {
        audited.push(views.map((v) => v.cameraId));
        return new Promise<void>((r) => (releaseAudit = r));
      },
    });
    const cam = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    socket.page({ type: 'subscribe', channel: 1, cameraId: cam(1), stream: 'sub' });
    socket.page({ type: 'subscribe', channel: 2, cameraId: cam(2), stream: 'sub' });
    socket.page({ type: 'subscribe', channel: 3, cameraId: cam(3), stream: 'main' });
    await settle();
    expect(socket.texts).toEqual([{ type: 'refused', channel: 2, code: liveCloseCodes.forbidden }]);
    expect(audited).toEqual([[cam(1), cam(3)]]); // one batch, the refused camera not in it
    expect(attached).toEqual([]); // nothing streams before the record exists
    releaseAudit();
    await settle();
    expect(attached.map((a) => [a.cameraId, a.stream])).toEqual([
      [cam(1), 'sub'],
      [cam(3), 'main'],
    ]);
    socket.page({ type: 'unsubscribe', channel: 1 });
    expect(attached.map((a) => a.detached)).toEqual([true, false]);
    socket.page({ type: 'subscribe', channel: 3, cameraId: cam(4), stream: 'sub' }); // channel in use
    expect(socket.texts.at(-1)).toEqual({ type: 'refused', channel: 3, code: liveCloseCodes.badRequest });
    socket.close();
    expect(attached.map((a) => a.detached)).toEqual([true, true]);
  });

  it('an audit log that fails refuses the views: nothing attached, nothing sent', async () => {
    const socket = new FakeSocket();
    const { hub, attached } = fakeHub();
    serveWall(socket, { hub, log: createLogger('silent'), authorize: async (ids) => ids.map(() => null), audit: () => Promise.reject(new Error('database down')) });
    socket.page({ type: 'subscribe', channel: 5, cameraId: '00000000-0000-4000-8000-000000000001', stream: 'sub' });
    await settle();
    expect(socket.texts).toEqual([{ type: 'refused', channel: 5, code: liveCloseCodes.unavailable }]);
    expect(attached).toEqual([]);
    expect(socket.binary).toEqual([]);
  });

  it('backs up one channel at a time: a heavy channel skips while a light one keeps flowing', async () => {
    const socket = new FakeSocket();
    const { hub, attached } = fakeHub();
    serveWall(socket, { hub, log: createLogger('silent'), authorize: async (ids) => ids.map(() => null), audit: async () => undefined });
    socket.page({ type: 'subscribe', channel: 1, cameraId: '00000000-0000-4000-8000-000000000001', stream: 'main' });
    socket.page({ type: 'subscribe', channel: 2, cameraId: '00000000-0000-4000-8000-000000000002', stream: 'sub' });
    await settle();
    const [heavy, light] = attached.map((a) => a.sink);
    // The main stream pushes 4 MiB that the client has not read yet.
    for (let i = 0; i < 4; i++) heavy!.media(LIVE_FRAME_MEDIA, i === 0, Date.now(), new Uint8Array(MiB));
    expect(heavy!.congested()).toBe(true);
    expect(light!.congested()).toBe(false);
    light!.media(LIVE_FRAME_MEDIA, true, Date.now(), new Uint8Array(20_000));
    expect(light!.drained()).toBe(true);
    // Binary frames carry their channel.
    expect(socket.binary.map((b) => new DataView(b.buffer).getUint16(2))).toEqual([1, 1, 1, 1, 2]);
    socket.flush();
    expect(heavy!.congested()).toBe(false);
    expect(heavy!.drained()).toBe(true);
  });

  it('on a backed-up socket only the channels above their fair share skip', () => {
    expect(channelCongested({ queued: 4 * MiB, socketBuffered: 4 * MiB, channels: 2 })).toBe(true);
    expect(channelCongested({ queued: MiB, socketBuffered: 9 * MiB, channels: 17 })).toBe(true);
    expect(channelCongested({ queued: 100_000, socketBuffered: 9 * MiB, channels: 17 })).toBe(false);
    expect(channelDrained({ queued: 100_000, socketBuffered: 9 * MiB, channels: 17 })).toBe(false);
    expect(channelDrained({ queued: 100_000, socketBuffered: MiB, channels: 17 })).toBe(true);
  });
});
