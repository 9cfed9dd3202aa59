import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyDestination } from './log-format.ts';
import { logRedactPaths } from './redact.ts';

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Structured JSON logs; credentials are masked by path before a line is written. `auto`:
 * short readable lines when stdout is a terminal, JSON to a file or a pipe.
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'auto'): Logger {
  const pretty = !destination && (format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true));
  return pino(
    {
      level,
      base: { app: 'kuzet' },
      redact: { paths: logRedactPaths, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: req.url, id: req.id }),
      },
    },
    destination ?? (pretty ? prettyDestination() : undefined),
  );
}

/**
 * Fastify's per-request lines: one line per request, at debug, when the response is sent
 * (at info, two lines per request drowned everything else under load). Errors stay at error;
 * unknown routes (scanners, typos) drop to debug too.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // the completed line carries method and url: one line per request is enough
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ req: request, statusCode: reply.statusCode, err: error }, 'request errored');
      return;
    }
    // level check first: building the line costs even when pino would drop it
    if (!(request.log as unknown as Logger).isLevelEnabled('debug')) return;
    request.log.debug({ req: request, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'route not found');
  }
}
