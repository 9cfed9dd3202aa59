import type { Camera } from '@kuzet/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CamerasService } from './cameras.service.ts';

/**
 * Live camera status for the console over server-sent events: EventSource sends
 * the session cookie, reconnects by itself, and needs no extra dependency.
 */
export class CameraEvents {
  private readonly clients = new Set<{ complexId: string; send: (event: string, data: unknown) => void }>();

  constructor(private readonly cameras: CamerasService) {}

  /** Called by the media engine (and the registry) when a camera's status or settings change. */
  async changed(cameraId: string): Promise<void> {
    if (!this.clients.size) return;
    let camera: Camera;
    try {
      camera = await this.cameras.get(cameraId);
    } catch {
      for (const c of this.clients) c.send('removed', { id: cameraId });
      return;
    }
    for (const c of this.clients) if (c.complexId === camera.complexId) c.send('camera', camera);
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
    this.clients.clear();
  }
}
