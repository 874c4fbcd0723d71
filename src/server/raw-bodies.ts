// The bytes each parsed array body was read from, keyed by the parsed array (app.ts's body parsers
// fill it; the events route hands them to the writer, which logs them as sent when it can).

import type { RawBody } from '../ingest/log-records.js';

export const rawBodies = new WeakMap<object, RawBody>();
