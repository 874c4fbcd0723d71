// One pino logger, passed down. Requests are logged through a whitelist: method, route and
// status, never bodies, query strings, headers or tokens (they may hold personal data).

import { pino, type Logger } from 'pino';

export type { Logger };

/** Where each logger made here writes (for `writeRequestCompleted`). */
const destinations = new WeakMap<Logger, { write(line: string): unknown }>();

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  // Standard output is written in 4 KiB blocks off the request path (within a second, and on
  // exit); a synchronous write per line was a tenth of a request's time under load (DECISIONS.md, 15).
  const dest = (destination as pino.DestinationStream | undefined) ?? new LineBlocks(pino.destination({ dest: 1, sync: false, minLength: 0 }));
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

/**
 * Log lines gathered into blocks of about `blockChars` before sonic-boom (pino's asynchronous
 * destination) sees them, handed over when a block is full or `maxDelayMs` after its first line,
 * and written synchronously on exit. sonic-boom
 * appends each write to its pending string and measures that string with Buffer.byteLength,
 * which flattens it: every log line copied the whole pending block again (4-16 KiB), a third of
 * what the server allocated per request under the serving bench and a cause of its GC pauses
 * (DECISIONS.md, 26).
 */
export class LineBlocks {
  private lines: string[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sonic: ReturnType<typeof pino.destination>,
    private readonly blockChars = 4096,
    private readonly maxDelayMs = 1000,
  ) {
    // pino's own exit flush was registered first (with the destination) and has run by now.
    process.on('exit', () => {
      if (this.lines.length > 0) this.flushSync();
    });
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.blockChars) this.handOver();
    else this.timer ??= setTimeout(() => this.handOver(), this.maxDelayMs).unref();
    return true;
  }

  /** Hands what is gathered to sonic-boom and flushes it synchronously (pino.final-style use). */
  flushSync(): void {
    this.handOver();
    this.sonic.flushSync();
  }

  private handOver(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    const block = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sonic.write(block);
  }
}
