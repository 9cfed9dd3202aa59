import type { FastifyReply, FastifyRequest } from 'fastify';
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
 * Fastify's own request logging is off (disableRequestLogging): one line per request, at
 * debug, when the response is sent — at info it drowned everything else under load.
 */
export function logRequestAtDebug(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  // level check first: building the line costs even when pino would drop it
  if ((request.log as unknown as Logger).isLevelEnabled('debug'))
    request.log.debug({ req: request, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  return Promise.resolve();
}
