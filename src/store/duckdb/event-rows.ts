// Events handed to DuckDB as columns of 2,048 rows through a table function, so that
// `INSERT INTO events SELECT * FROM binge_event_rows()` runs on DuckDB's threads like read_csv.
// The Appender took one native call per value and appended (and compressed) on the event loop:
// ~6.5 µs per event at 10M, where read_csv spent ~2.1 (docs/DECISIONS.md 24).
//
// Numbers and booleans are written into typed arrays and copied into each vector in one call.
// Strings use DuckDB's documented duckdb_string_t (16 bytes: a uint32 length, then either up to
// 12 bytes inline, or a 4-byte prefix and a pointer): ASCII strings of up to 12 bytes are written
// inline; longer ASCII strings of a column are copied into one byte block that DuckDB takes as one
// string of the vector (so it owns the memory for the chunk's life), and each row points into it.
// A string that is not ASCII goes through DuckDB's own assignment, as the Appender did (the same
// UTF-8 conversion, lone surrogates included).

import duckdb from '@duckdb/node-bindings';
import { BIGINT, BOOLEAN, DOUBLE, DuckDBTableFunction, SMALLINT, VARCHAR, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
import type { PlaybackEvent } from '../../domain/model.js';

/** The events table's columns, in order. */
const COLUMNS = [
  ['event_id', VARCHAR],
  ['playback_id', VARCHAR],
  ['profile_id', VARCHAR],
  ['title_id', VARCHAR],
  ['type', VARCHAR],
  ['position_s', DOUBLE],
  ['at_ms', BIGINT],
  ['offset_min', SMALLINT],
  ['device_id', VARCHAR],
  ['country', VARCHAR],
  ['autoplayed', BOOLEAN],
  ['user_action', VARCHAR],
] as const;

type StringField = 'eventId' | 'playbackId' | 'profileId' | 'titleId' | 'type' | 'deviceId' | 'country' | 'userAction';
const STRING_COLUMNS: readonly (readonly [number, StringField])[] = [
  [0, 'eventId'],
  [1, 'playbackId'],
  [2, 'profileId'],
  [3, 'titleId'],
  [4, 'type'],
  [8, 'deviceId'],
  [9, 'country'],
  [11, 'userAction'],
];

const FUNCTION_NAME = 'binge_event_rows';
/** Rows per chunk: DuckDB's vector size. */
const ROWS = duckdb.vector_size();
/** Below this many rows one thread fills the table (a second has little to share and would reorder chunks). */
const PARALLEL_FROM_ROWS = 16 * ROWS;
const INLINE_BYTES = 12;
const TWO_32 = 4_294_967_296;
const TWO_63 = 9_223_372_036_854_775_808;

/** Reusable column buffers for one chunk (the table function runs on the event loop, one call at a time). */
class ChunkBuffers {
  readonly strings = new Uint8Array(ROWS * 16);
  readonly strings32 = new Uint32Array(this.strings.buffer);
  readonly positions = new Float64Array(ROWS);
  readonly times = new Int32Array(ROWS * 2);
  readonly offsets = new Int16Array(ROWS);
  readonly flags = new Uint8Array(ROWS);
  readonly validity = new Uint8Array(Math.ceil(ROWS / 64) * 8);
  /** Byte offset of each row's string in `block`, or -1 when the row's string is inline or assigned by DuckDB. */
  readonly blockOffsets = new Int32Array(ROWS);
  block = new Uint8Array(1 << 16);
  readonly assigned: number[] = [];
}

/** Writes rows [start, start + n) of `events` into the chunk (its size already set to n). */
function fillChunk(chunk: duckdb.DataChunk, events: readonly PlaybackEvent[], start: number, n: number, b: ChunkBuffers): void {
  for (const [column, field] of STRING_COLUMNS) writeStrings(duckdb.data_chunk_get_vector(chunk, column), events, start, n, field, b);

  b.validity.fill(0xff);
  let nulls = false;
  for (let i = 0; i < n; i++) {
    const e = events[start + i];
    b.positions[i] = e.positionS;
    const at = e.atMs;
    if (!Number.isInteger(at) || at >= TWO_63 || at < -TWO_63) throw new RangeError(`atMs must be an integer in BIGINT's range, got ${at} (event ${e.eventId})`);
    // Two's complement in two 32-bit halves, little-endian (no BigInt per row).
    const high = Math.floor(at / TWO_32);
    b.times[2 * i] = at - high * TWO_32;
    b.times[2 * i + 1] = high;
    if (e.offsetMin === null) {
      nulls = true;
      b.offsets[i] = 0;
      b.validity[i >> 3] &= ~(1 << (i & 7));
    } else {
      if (!Number.isInteger(e.offsetMin) || e.offsetMin < -32_768 || e.offsetMin > 32_767) throw new RangeError(`offsetMin must be an integer in SMALLINT's range, got ${e.offsetMin} (event ${e.eventId})`);
      b.offsets[i] = e.offsetMin;
    }
    b.flags[i] = e.autoplayed ? 1 : 0;
  }
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk, 5), 0, b.positions.buffer, 0, n * 8);
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk, 6), 0, b.times.buffer, 0, n * 8);
  const offsets = duckdb.data_chunk_get_vector(chunk, 7);
  duckdb.copy_data_to_vector(offsets, 0, b.offsets.buffer, 0, n * 2);
  if (nulls) {
    duckdb.vector_ensure_validity_writable(offsets);
    duckdb.copy_data_to_vector_validity(offsets, 0, b.validity.buffer, 0, Math.ceil(n / 64) * 8);
  }
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk, 10), 0, b.flags.buffer, 0, n);
}

/** Copies `s` byte for byte into `target` at `at` while it is ASCII; false at the first other character (the copy is then partial). */
function copyAscii(s: string, target: Uint8Array, at: number): boolean {
  for (let j = 0; j < s.length; j++) {
    const code = s.charCodeAt(j);
    if (code > 0x7f) return false;
    target[at + j] = code;
  }
  return true;
}

function writeStrings(vector: duckdb.Vector, events: readonly PlaybackEvent[], start: number, n: number, field: StringField, b: ChunkBuffers): void {
  const { strings, strings32, blockOffsets, assigned } = b;
  strings32.fill(0, 0, n * 4);
  assigned.length = 0;
  let blockLength = 0;
  let previous: string | undefined;
  let previousRow = -1;
  let blockRow = -1;
  for (let i = 0; i < n; i++) {
    const s = events[start + i][field];
    if (typeof s !== 'string') throw new TypeError(`${field} must be a string (event ${events[start + i].eventId})`);
    const length = s.length;
    const slot = i * 16;
    blockOffsets[i] = -1;
    if (length <= INLINE_BYTES) {
      if (copyAscii(s, strings, slot + 4)) strings32[i * 4] = length;
      else {
        strings32[i * 4 + 1] = strings32[i * 4 + 2] = strings32[i * 4 + 3] = 0;
        assigned.push(i);
      }
      continue;
    }
    // Consecutive rows often repeat a string (a playback's id, its title): point at the same bytes.
    if (s === previous) {
      blockOffsets[i] = blockOffsets[previousRow];
      strings32[i * 4] = length;
      strings32[i * 4 + 1] = strings32[previousRow * 4 + 1];
      continue;
    }
    if (blockLength + length > b.block.length) {
      const bigger = new Uint8Array(Math.max(b.block.length * 2, blockLength + length));
      bigger.set(b.block.subarray(0, blockLength));
      b.block = bigger;
    }
    const block = b.block;
    if (!copyAscii(s, block, blockLength)) {
      assigned.push(i);
      previous = undefined;
      continue;
    }
    blockOffsets[i] = blockLength;
    strings32[i * 4] = length;
    strings[slot + 4] = block[blockLength];
    strings[slot + 5] = block[blockLength + 1];
    strings[slot + 6] = block[blockLength + 2];
    strings[slot + 7] = block[blockLength + 3];
    previous = s;
    previousRow = i;
    blockLength += length;
    blockRow = i;
  }
  if (blockRow >= 0) {
    // DuckDB copies the block into the vector's string heap; its pointer is read back from that row.
    duckdb.vector_assign_string_element_len(vector, blockRow, b.block.subarray(0, blockLength));
    const data = duckdb.vector_get_data(vector, n * 16);
    const data32 = new Uint32Array(data.buffer, data.byteOffset, n * 4);
    const low = data32[blockRow * 4 + 2];
    const high = data32[blockRow * 4 + 3];
    for (let i = 0; i < n; i++) {
      const offset = blockOffsets[i];
      if (offset < 0) continue;
      const pointer = low + offset;
      strings32[i * 4 + 2] = pointer >>> 0;
      strings32[i * 4 + 3] = pointer >= TWO_32 ? high + 1 : high;
    }
  }
  duckdb.copy_data_to_vector(vector, 0, strings.buffer, 0, n * 16);
  for (const i of assigned) duckdb.vector_assign_string_element(vector, i, events[start + i][field]);
}

/** The table function `binge_event_rows()` of one connection: it reads the events of the current `insert` call. */
export class EventRowSource {
  private events: readonly PlaybackEvent[] = [];
  private next = 0;
  private failure: unknown;
  private readonly buffers = new ChunkBuffers();
  /** Kept referenced for the connection's life (the registration lives in the database's catalogue). */
  private registered: DuckDBTableFunction | undefined;

  /** Inserts `events` into `table` (the events table's columns) in the connection's current transaction. */
  async insert(c: DuckDBConnection, events: readonly PlaybackEvent[], table = 'events'): Promise<number> {
    if (!this.registered) {
      this.registered = this.tableFunction();
      c.registerTableFunction(this.registered);
    }
    const parallel = events.length >= PARALLEL_FROM_ROWS;
    // A parallel insert needs preserve_insertion_order off (a table function has no batch index);
    // chunks then land in the order the threads take them, each thread's rows in load order.
    // Twice DuckDB's threads: each thread waits on the event loop while its chunk is filled, so
    // with more of them queued the loop fills chunks back to back while the others append
    // (1M events, machine loaded ~25: 24-37 s wall with 2 threads, 18-21 s with 4).
    const saved = parallel
      ? (await c.runAndReadAll("SELECT current_setting('preserve_insertion_order') AS ordered, current_setting('threads') AS threads")).getRowObjects()[0]
      : undefined;
    this.events = events;
    this.next = 0;
    this.failure = undefined;
    try {
      if (saved) await c.run(`SET preserve_insertion_order = false; SET threads = ${2 * Number(saved.threads)}`);
      return (await c.run(`INSERT INTO ${table} SELECT * FROM ${FUNCTION_NAME}(parallel := ${parallel})`)).rowsChanged;
    } catch (error) {
      throw this.failure ?? error;
    } finally {
      this.events = [];
      if (saved) await c.run(`SET preserve_insertion_order = ${saved.ordered === true}; SET threads = ${Number(saved.threads)}`);
    }
  }

  private tableFunction(): DuckDBTableFunction {
    return DuckDBTableFunction.create({
      name: FUNCTION_NAME,
      namedParameterTypes: { parallel: BOOLEAN },
      bindFunction: (bind) => {
        for (const [name, type] of COLUMNS) bind.addResultColumn(name, type);
        bind.setBindData({ parallel: bind.getNamedParameter('parallel') === true });
      },
      initFunction: (init) => init.setMaxThreads((init.bindData as { parallel: boolean }).parallel ? 64 : 1),
      mainFunction: (info, output: DuckDBDataChunk) => {
        const n = Math.min(ROWS, this.events.length - this.next);
        if (n <= 0 || this.failure !== undefined) {
          output.rowCount = 0;
          return;
        }
        const start = this.next;
        this.next += n;
        try {
          duckdb.data_chunk_set_size(output.chunk, n);
          fillChunk(output.chunk, this.events, start, n, this.buffers);
        } catch (error) {
          this.failure = error;
          info.setError(error instanceof Error ? error.message : String(error));
        }
      },
    });
  }
}
