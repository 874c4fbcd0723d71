// What one record of the ingest log holds. A batch whose every event is new and valid is logged as
// the very bytes the client sent, after one byte that names their form ('A' for a JSON array,
// 'N' for NDJSON), so the server does not serialise its events again; the store converts the
// wire fields when it loads them (DuckDbStore.appendEventsJson). Any other batch (some events
// rejected or duplicates) is logged as a JSON array of its new PlaybackEvents, as every record was
// before (its first byte is '['), so older logs still load.

import type { PlaybackEvent } from '../domain/model.js';
import { parseAt } from './event-schema.js';

export const WIRE_ARRAY = 0x41; // 'A'
export const WIRE_NDJSON = 0x4e; // 'N'
export const EVENTS_ARRAY = 0x5b; // '['

/** A request body as received, and how it was parsed. */
export interface RawBody {
  form: 'array' | 'ndjson';
  bytes: Buffer;
}

const FORM_BYTE = { array: Buffer.of(WIRE_ARRAY), ndjson: Buffer.of(WIRE_NDJSON) } as const;

/** The parts of a record's payload for a raw body (written with writev, never copied). */
export function rawPayload(raw: RawBody): Buffer[] {
  return [FORM_BYTE[raw.form], raw.bytes];
}

/**
 * Whether the store, reading `body` as JSON, reads exactly the events JSON.parse read from it
 * (`events`, each already valid). DuckDB refuses an object with a repeated key (JSON.parse keeps the
 * last one), and the NDJSON parser trims lines with String.trim, which also trims characters that
 * are not JSON whitespace. So the bytes must be printable ASCII, tab, CR or LF, with no backslash
 * (no escapes: every quote then delimits a string), and hold exactly the quotes of the parsed
 * events' keys and string values: a repeated key adds at least two. One pass over the bytes.
 */
export function loadableAsSent(body: Buffer, events: readonly unknown[]): boolean {
  let expected = 0;
  for (const event of events) {
    const e = event as Record<string, unknown>;
    for (const key in e) expected += typeof e[key] === 'string' ? 4 : 2;
  }
  let quotes = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b === 0x22) quotes++;
    else if (b === 0x5c || b > 0x7e || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return false;
  }
  return quotes === expected;
}

/** The id and instant of every event of a record's payload (to rebuild the dedup index on start). */
export function payloadIds(payload: Buffer): { eventId: string; atMs: number }[] {
  const kind = payload[0];
  if (kind === WIRE_ARRAY || kind === WIRE_NDJSON) {
    const text = payload.toString('utf8', 1);
    const wire = (kind === WIRE_ARRAY ? JSON.parse(text) : text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))) as { eventId: string; at: string }[];
    return wire.map((e) => ({ eventId: e.eventId, atMs: parseAt(e.at)!.atMs }));
  }
  return JSON.parse(payload.toString('utf8')) as PlaybackEvent[];
}

/** The files of events a load hands to the store, one per form, from record payloads. */
export interface LoadParts {
  /** JSON array of PlaybackEvents: the elements of every '[' record, comma-joined. */
  events: Buffer[];
  /** JSON array of wire events: the elements of every 'A' record, comma-joined. */
  wireArray: Buffer[];
  /** NDJSON of wire events: every 'N' record, newline-joined. */
  wireNdjson: Buffer[];
}

const COMMA = Buffer.from(',');
const NEWLINE = Buffer.from('\n');

export function splitPayloads(payloads: readonly Buffer[]): LoadParts {
  const parts: LoadParts = { events: [], wireArray: [], wireNdjson: [] };
  for (const p of payloads) {
    const kind = p[0];
    if (kind === WIRE_NDJSON) {
      if (parts.wireNdjson.length > 0) parts.wireNdjson.push(NEWLINE);
      parts.wireNdjson.push(p.subarray(1));
    } else {
      // A JSON array: only whitespace comes before its '[' and after its ']', so its elements lie
      // between the first '[' and the last ']' of the payload.
      const body = kind === WIRE_ARRAY ? p.subarray(1) : p;
      const inner = body.subarray(body.indexOf(0x5b) + 1, body.lastIndexOf(0x5d));
      const into = kind === WIRE_ARRAY ? parts.wireArray : parts.events;
      if (into.length > 0) into.push(COMMA);
      into.push(inner);
    }
  }
  return parts;
}
