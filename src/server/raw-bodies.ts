// The bytes each parsed array body was read from, keyed by the parsed array (app.ts's body parsers
// fill it; the events route hands them to the writer, which logs them as sent when it can).

import { BingeError } from '../errors.js';
import type { RawBody } from '../ingest/log-records.js';

export const rawBodies = new WeakMap<object, RawBody>();

/**
 * A JSON body handed to its route unparsed: the events route reads the common batch straight from
 * the bytes (ingest/clean-batch.ts) and parses the rest with parseJsonBody, as every other route's
 * body is parsed.
 */
export class UnparsedJson {
  constructor(readonly bytes: Buffer) {}
}

/** Routes whose application/json bodies arrive as UnparsedJson. */
export const UNPARSED_JSON_ROUTES: ReadonlySet<string> = new Set(['/v1/events']);

/** JSON.parse of a body, with binge's error for malformed JSON; an array remembers its bytes. */
export function parseJsonBody(bytes: Buffer): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BingeError('BINGE_BAD_JSON', `the body is not valid JSON (${(error as Error).message}); check quoting and commas`);
  }
  if (Array.isArray(parsed)) rawBodies.set(parsed, { form: 'array', bytes });
  return parsed;
}
