// One pino logger, passed down. Requests are logged through a whitelist: method, route and
// status, never bodies, query strings, headers or tokens (they may hold personal data).

import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
      redact: { paths: ['req.headers', 'headers', 'body', 'authorization'], remove: true },
    },
    // Standard output is written in 4 KiB blocks off the request path (flushed on exit); a
    // synchronous write per line was a tenth of a request's time under load (DECISIONS.md, 15).
    (destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}
