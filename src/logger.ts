// One pino logger, passed down. Requests are logged through a whitelist: method, route and
// status, never bodies, query strings, headers or tokens (they may hold personal data).

import { pino, type Logger } from 'pino';

export type { Logger };

/** Where each logger made here writes (for `writeRequestCompleted`). */
const destinations = new WeakMap<Logger, { write(line: string): unknown }>();

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  // Standard output is written in 4 KiB blocks (within a second, and on exit): a synchronous
  // write per line was a tenth of a request's time under load (DECISIONS.md, 15). Each block is
  // one synchronous write, pino's own default for its destination: handing every block to the
  // thread pool and back cost the event loop more than the write itself (DECISIONS.md, 32).
  // sonic-boom in buffer mode takes the blocks as Buffers (LineBlocks).
  const dest = (destination as pino.DestinationStream | undefined) ?? new LineBlocks(pino.destination({ dest: 1, sync: true, minLength: 0, contentMode: 'buffer' }) as unknown as BlockSink);
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

/** Where `LineBlocks` hands its blocks: sonic-boom in buffer mode (its types declare only strings). */
export interface BlockSink {
  write(block: Buffer): unknown;
  flushSync(): void;
}

/**
 * Log lines gathered into blocks of about `blockBytes` before sonic-boom (pino's destination)
 * sees them, handed over when a block is full or `maxDelayMs` after its first line, and on exit.
 * sonic-boom
 * appends each write to its pending string and measures that string with Buffer.byteLength,
 * which flattens it: every log line copied the whole pending block again (4-16 KiB), a third of
 * what the server allocated per request under the serving bench and a cause of its GC pauses
 * (DECISIONS.md, 28). Each line is encoded into a reused scratch buffer at once and a block
 * leaves as a Buffer (outside the JavaScript heap): written asynchronously, a block waited for the
 * file write before it (5-13 ms under load), so block strings outlived young-generation collections
 * and were most of what the server promoted to old space per request (DECISIONS.md, 30). The
 * server's destination now writes each block at once (DECISIONS.md, 32); the copy stays, since
 * sonic-boom keeps what a partial or refused (EAGAIN) write left until it can write it.
 */
export class LineBlocks {
  private scratch: Buffer;
  private used = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: BlockSink,
    private readonly blockBytes = 4096,
    private readonly maxDelayMs = 1000,
  ) {
    this.scratch = Buffer.allocUnsafe(4 * blockBytes);
    // pino's own exit flush was registered first (with the destination) and has run by now.
    process.on('exit', () => {
      if (this.used > 0) this.flushSync();
    });
  }

  write(line: string): boolean {
    // A UTF-16 unit is at most 3 bytes of UTF-8: a line that might not fit starts a new block.
    const most = 3 * line.length;
    if (this.used + most > this.scratch.length) {
      this.handOver();
      if (most > this.scratch.length) this.scratch = Buffer.allocUnsafe(most);
    }
    this.used += this.scratch.write(line, this.used);
    if (this.used >= this.blockBytes) this.handOver();
    else this.timer ??= setTimeout(() => this.handOver(), this.maxDelayMs).unref();
    return true;
  }

  /** Hands what is gathered to sonic-boom and flushes it synchronously (pino.final-style use). */
  flushSync(): void {
    this.handOver();
    this.sink.flushSync();
  }

  private handOver(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.used === 0) return;
    // A copy of the block's bytes: the scratch buffer is written again before sonic-boom writes this one.
    const block = Buffer.from(this.scratch.subarray(0, this.used));
    this.used = 0;
    this.sink.write(block);
  }
}
