/**
 * A tiny JSON control API beside the RTSP server, for tests and the demo:
 *   GET  /health                 {"ok":true}
 *   GET  /cameras                cameras with their URLs (no passwords), scene, stamp id, fault
 *   GET  /sessions               open sessions per camera stream
 *   GET  /truth/<cameraId>       ground truth in camera time (see CameraTruth)
 *   POST /cameras/<id>/fault     body {"kind":"stall"} (or {"fault":…}, optional "afterMs"); also cover / defocus / turn
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FAULT_KINDS, parseFault, type Fault } from './types.ts';

export interface ControlApi {
  cameras(): unknown;
  sessions(): unknown;
  truth(cameraId: string): unknown;
  setFault(cameraId: string, fault: Fault): boolean;
}

const MAX_BODY = 16 * 1024;

export class HttpApi {
  private readonly server: Server;
  port = 0;

  constructor(
    private readonly api: ControlApi,
    private readonly log: (line: string) => void,
  ) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: Error) => {
        log(`sim: http ${req.method} ${req.url} failed: ${err.message}`);
        send(res, 500, { error: 'internal error' });
      });
    });
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const parts = path
      .split('/')
      .filter(Boolean)
      .map((p) => safeDecode(p));
    if (req.method === 'GET' && path === '/health') return send(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/cameras') return send(res, 200, this.api.cameras());
    if (req.method === 'GET' && path === '/sessions') return send(res, 200, this.api.sessions());
    if (req.method === 'GET' && parts[0] === 'truth' && parts.length === 2) {
      const truth = this.api.truth(parts[1] ?? '');
      return truth ? send(res, 200, truth) : send(res, 404, { error: 'unknown camera' });
    }
    if (req.method === 'POST' && parts[0] === 'cameras' && parts[2] === 'fault' && parts.length === 3) {
      const body = await readBody(req);
      if (body === undefined) return send(res, 413, { error: 'body too large' });
      let json: unknown;
      try {
        json = JSON.parse(body || '{}');
      } catch {
        return send(res, 400, { error: 'body must be JSON, e.g. {"kind":"stall"}' });
      }
      const fault = parseFault(json);
      if (!fault)
        return send(res, 400, { error: `kind must be one of ${FAULT_KINDS.join(', ')}` });
      if (!this.api.setFault(parts[1] ?? '', fault)) return send(res, 404, { error: 'unknown camera' });
      return send(res, 200, { ok: true, fault });
    }
    send(res, 404, { error: 'not found' });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
