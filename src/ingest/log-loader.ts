// Loads the ingest log into the store behind the acknowledgements: it takes every durable record
// after the loaded position (up to `maxBytes` at a time), hands their events to the store as one
// JSON file, and the store records the new position in the same transaction. A restart
// therefore resumes exactly after what is stored: each logged event is loaded once.

import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventJsonFile, Store } from '../store/port.js';
import { comparePositions, formatPosition, type IngestLog, type LogPosition, scanRecords, segmentName } from './ingest-log.js';
import { splitPayloads } from './log-records.js';

const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

export interface LoaderOptions {
  /** Bytes of log read per load (one transaction); bigger loads cost less per event. */
  maxBytes?: number;
  /** Called when a load fails; the loader tries again after `retryMs`. */
  onError?: (error: unknown) => void;
  retryMs?: number;
}

export class LogLoader {
  private running: Promise<void> | undefined;
  private readonly staging: string;
  private readonly stagingWire: string;
  private readonly stagingNdjson: string;
  /** Events loaded by this loader (the writer compares it with what it logged, for back-pressure). */
  loadedEvents = 0;
  loads = 0;

  constructor(
    private readonly store: Store,
    private readonly log: IngestLog,
    private loaded: LogPosition,
    private readonly options: LoaderOptions = {},
  ) {
    this.staging = join(log.dir, 'loading.json');
    this.stagingWire = join(log.dir, 'loading-wire.json');
    this.stagingNdjson = join(log.dir, 'loading-wire.ndjson');
  }

  get position(): LogPosition {
    return this.loaded;
  }

  /** Starts loading if it is not already running (called after each durable append). */
  kick(): void {
    this.running ??= this.run().finally(() => (this.running = undefined));
  }

  /** Resolves when everything durable in the log when called is loaded. */
  async settled(): Promise<void> {
    const target = this.log.end;
    while (comparePositions(this.loaded, target) < 0) {
      this.kick();
      await this.running;
    }
  }

  /** Loads everything left, then stops. */
  async close(): Promise<void> {
    await this.settled();
    await this.running;
  }

  private async run(): Promise<void> {
    while (comparePositions(this.loaded, this.log.end) < 0) {
      try {
        await this.loadOnce();
      } catch (error) {
        this.options.onError?.(error);
        await new Promise((r) => setTimeout(r, this.options.retryMs ?? 1000));
      }
    }
  }

  private async loadOnce(): Promise<void> {
    const end = this.log.end;
    const { segment, offset } = this.loaded;
    const path = join(this.log.dir, segmentName(segment));
    const file = await open(path, 'r').catch(() => undefined);
    let limit = 0;
    let bytes = Buffer.alloc(0);
    try {
      if (file) {
        limit = segment === end.segment ? end.offset : (await file.stat()).size;
        let want = Math.min(limit - offset, this.options.maxBytes ?? 32 * 1024 * 1024);
        for (;;) {
          bytes = Buffer.allocUnsafe(want);
          const { bytesRead } = await file.read(bytes, 0, want, offset);
          bytes = bytes.subarray(0, bytesRead);
          // A record bigger than one read: read up to the limit instead.
          if (scanRecords(bytes).payloads.length > 0 || offset + want >= limit) break;
          want = limit - offset;
        }
      }
    } finally {
      await file?.close();
    }
    const scanned = scanRecords(bytes);
    if (scanned.payloads.length === 0) {
      if (segment < end.segment && offset >= limit) {
        // This segment is loaded to its end: go on with the next one and drop it.
        this.loaded = { segment: segment + 1, offset: 0 };
        await this.log.dropBefore(this.loaded);
        return;
      }
      throw new Error(`the ingest log ${path} holds no whole record at byte ${offset} below its durable end ${limit}`);
    }
    const next = { segment, offset: offset + scanned.validBytes };
    // One file per form of record (log-records.ts): the events of all records of a form in one array
    // (or one NDJSON file), loaded together in one transaction.
    const parts = splitPayloads(scanned.payloads);
    const files: EventJsonFile[] = [];
    if (parts.events.length > 0) {
      await writeFile(this.staging, [OPEN, ...parts.events, CLOSE]);
      files.push({ path: this.staging, form: 'events' });
    }
    if (parts.wireArray.length > 0) {
      await writeFile(this.stagingWire, [OPEN, ...parts.wireArray, CLOSE]);
      files.push({ path: this.stagingWire, form: 'wire-array' });
    }
    if (parts.wireNdjson.length > 0) {
      await writeFile(this.stagingNdjson, parts.wireNdjson);
      files.push({ path: this.stagingNdjson, form: 'wire-ndjson' });
    }
    this.loadedEvents += await this.store.appendEventsJson(files, { logPosition: formatPosition(next), background: true });
    this.loads++;
    this.loaded = next;
  }
}
