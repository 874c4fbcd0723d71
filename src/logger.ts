// One pino logger, passed down. Requests are logged through a whitelist: method, route and
// status, never bodies, query strings, headers or tokens (they may hold personal data).

import { pino, type Logger } from 'pino';

export type { Logger };

/** Where each logger made here writes (for `writeRequestCompleted`). */
const destinations = new WeakMap<Logger, { write(line: string): unknown }>();

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  // Standard output is written in 4 KiB blocks off the request path (flushed on exit); a
  // synchronous write per line was a tenth of a request's time under load (DECISIONS.md, 15).
  const dest = (destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logger = pino(
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
    dest,
  );
  destinations.set(logger, dest);
  return logger;
}

/** What JSON would have to escape. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

/**
 * The answered request's line, byte for byte what `logger.info({ reqId: id, req: { id, method,
 * url: path }, res: { statusCode }, responseTime }, 'request completed')` writes with the
 * serializers above (logging.test.ts compares them), written to the logger's destination
 * directly. For the rows fast path (server/fast-rows.ts): pino's general path (serializers,
 * redaction, the JSON building) was the largest share of a warm answer's own time and 40 % of
 * what it allocated (DECISIONS.md, 23). Goes through pino when the logger was not made here or a
 * value would need escaping. The caller checks the level first.
 */
export function writeRequestCompleted(logger: Logger, id: string, method: string, path: string, statusCode: number, responseTime: number): void {
  const dest = destinations.get(logger);
  if (!dest || NEEDS_ESCAPE.test(id) || NEEDS_ESCAPE.test(method) || NEEDS_ESCAPE.test(path) || !Number.isFinite(responseTime)) {
    logger.info({ reqId: id, req: { id, method, url: path }, res: { statusCode }, responseTime }, 'request completed');
    return;
  }
  dest.write(
    `{"level":30,"time":${Date.now()},"reqId":"${id}","req":{"id":"${id}","method":"${method}","path":"${path}"},"res":{"statusCode":${statusCode}},"responseTime":${responseTime},"msg":"request completed"}\n`,
  );
}
