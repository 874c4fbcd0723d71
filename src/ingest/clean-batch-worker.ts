// The thread that reads clean batches for the events route (clean-batch-pool.ts): the body's bytes
// in, each event's dedup fingerprint and instant out (transferred, not copied), or "not clean" so
// that the route reads the body the general way. It holds no state between messages: the dedup
// index and the log stay with the event loop, so a worker that dies loses nothing.

import { parentPort } from 'node:worker_threads';
import { readCleanBatch } from './clean-batch.js';
import { fingerprints } from './event-id-index.js';

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  nowMs: number;
  maxEventAgeDays: number;
  maxFutureS: number;
  maxEvents: number;
}

export interface ReadAnswer {
  id: number;
  /** Events read, -1 when the body is not a clean batch, -2 (id 0) when the worker is ready. */
  length: number;
  fingerprints?: Uint32Array;
  atMs?: Float64Array;
}

parentPort?.on('message', (request: ReadRequest) => {
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  const events = readCleanBatch(bytes, request, request.maxEvents);
  if (events === undefined) {
    parentPort!.postMessage({ id: request.id, length: -1 } satisfies ReadAnswer);
    return;
  }
  const ids = new Array<string>(events.length);
  const atMs = new Float64Array(events.length);
  for (let k = 0; k < events.length; k++) {
    ids[k] = events[k].eventId;
    atMs[k] = events[k].atMs;
  }
  const prints = fingerprints(ids);
  parentPort!.postMessage({ id: request.id, length: events.length, fingerprints: prints, atMs } satisfies ReadAnswer, [prints.buffer as ArrayBuffer, atMs.buffer as ArrayBuffer]);
});

parentPort?.postMessage({ id: 0, length: -2 } satisfies ReadAnswer);
