import type { Camera } from '@kuzet/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DomainError } from '../../platform/errors.ts';
import type { CamerasService } from './cameras.service.ts';

/** Waits before asking the database again after it failed; then the event is skipped. */
const RETRY_MS = [1000, 5000];

/**
 * Live camera status for the console over server-sent events: EventSource sends
 * the session cookie, reconnects by itself, and needs no extra dependency.
 * Each client is one complex's stream (the route checked the viewer's scope), so an
 * event goes only to clients of the camera's own complex.
 */
export class CameraEvents {
  private readonly clients = new Set<{ complexId: string; send: (event: string, data: unknown) => void }>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private log: Pick<Logger, 'warn'> | null = null;

  constructor(private readonly cameras: CamerasService) {}

  /** Where database failures are reported (the server wires its logger in). */
  useLogger(log: Pick<Logger, 'warn'>): void {
    this.log = log;
  }

  /** Called by the media engine (and the registry) when a camera's status or settings change. Never rejects. */
  async changed(cameraId: string): Promise<void> {
    if (!this.clients.size) return;
    try {
      await this.deliver(cameraId);
    } catch (err) {
      this.retryLater(cameraId, 0, err);
    }
  }

  /** Only a camera that is really gone is a removal; any other failure throws (and is retried). */
  private async deliver(cameraId: string): Promise<void> {
    let camera: Camera | null = null;
    try {
      camera = await this.cameras.get(cameraId);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'CAMERA_NOT_FOUND')) throw err;
    }
    if (camera) return this.send(camera.complexId, 'camera', camera);
    const complexId = await this.cameras.complexOfRemoved(cameraId);
    if (complexId) this.send(complexId, 'removed', { id: cameraId });
  }

  private send(complexId: string, event: string, data: unknown): void {
    for (const c of this.clients) if (c.complexId === complexId) c.send(event, data);
  }

  /** A failed database read is not news for the consoles: ask again a little later (one pending retry per camera), then give up. */
  private retryLater(cameraId: string, attempt: number, err: unknown): void {
    if (this.retries.has(cameraId)) return; // the pending retry reads the latest state anyway
    const delay = RETRY_MS[attempt];
    if (delay === undefined) {
      this.log?.warn({ err, cameraId }, 'camera event skipped: the database kept failing');
      return;
    }
    this.log?.warn({ err, cameraId, retryInMs: delay }, 'camera event delayed: the database failed');
    const timer = setTimeout(() => {
      this.retries.delete(cameraId);
      if (this.clients.size) this.deliver(cameraId).catch((e: unknown) => this.retryLater(cameraId, attempt + 1, e));
    }, delay);
    timer.unref();
    this.retries.set(cameraId, timer);
  }

  async stream(req: FastifyRequest, reply: FastifyReply, complexId: string, once: boolean): Promise<void> {
    const snapshot = await this.cameras.allOfComplex(complexId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('snapshot', { items: snapshot });
    if (once) {
      res.end();
      return;
    }
    const client = { complexId, send };
    this.clients.add(client);
    const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      this.clients.delete(client);
    });
  }

  close(): void {
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
    this.clients.clear();
  }
}
