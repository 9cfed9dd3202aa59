import { pino, type DestinationStream, type Logger } from 'pino';
import { logRedactPaths } from './redact.ts';

/** Structured JSON logs; credentials are masked by path before a line is written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'kuzet' },
      redact: { paths: logRedactPaths, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: req.url, id: req.id }),
      },
    },
    destination,
  );
}
