// Worker thread entry: inverts one SPD matrix with the TypeScript Cholesky so the event loop of
// the main thread stays free. The matrix buffer is transferred in and back, never copied.
import { parentPort } from 'node:worker_threads';
import { invertSpdInPlace } from './cholesky.js';
import { RecommendError } from './errors.js';

export interface InverseRequest {
  buffer: ArrayBuffer;
  n: number;
}

export type InverseReply =
  | { ok: true; buffer: ArrayBuffer; ms: number }
  | { ok: false; code: string; message: string };

parentPort?.once('message', ({ buffer, n }: InverseRequest) => {
  const started = performance.now();
  try {
    invertSpdInPlace(new Float64Array(buffer), n);
    const reply: InverseReply = { ok: true, buffer, ms: performance.now() - started };
    parentPort?.postMessage(reply, [buffer]);
  } catch (error) {
    const reply: InverseReply =
      error instanceof RecommendError
        ? { ok: false, code: error.code, message: error.message }
        : { ok: false, code: 'BINGE_RECOMMEND_WORKER_FAILED', message: String(error) };
    parentPort?.postMessage(reply);
  }
});
