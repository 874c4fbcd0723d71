// The append-only ingest log: what the server acknowledges is first made durable here, and loaded
// into the store behind it (log-loader.ts). Segment files `NNNNNNNNNN.log` in one folder; each
// record is framed as [u32 payload length][u32 CRC-32 of the payload][payload], little-endian,
// so a record cut short by a crash (a torn tail) or damaged on disk is detected when the log is
// read back and never loaded. One record is one group commit: it is whole or absent.

import { closeSync, existsSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, write, writev, fdatasync } from 'node:fs';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 8;
/** A new segment starts when the current one passes this size (loaded segments are deleted whole). */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export interface LogPosition {
  segment: number;
  offset: number;
}

export function formatPosition(p: LogPosition): string {
  return `${p.segment}:${p.offset}`;
}

export function parsePosition(text: string): LogPosition {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new Error(`not an ingest log position: ${text}`);
  return { segment: Number(match[1]), offset: Number(match[2]) };
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  return a.segment - b.segment || a.offset - b.offset;
}

export function segmentName(segment: number): string {
  return `${String(segment).padStart(10, '0')}.log`;
}

/** Frames one payload as a record. */
export function frame(payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  payload.copy(record, HEADER_BYTES);
  return record;
}

export interface ScannedRecords {
  /** Payloads of the whole, valid records, in order (views into `bytes`). */
  payloads: Buffer[];
  /** Bytes of `bytes` covered by those records. */
  validBytes: number;
  /** Why reading stopped before the end of `bytes`: a record cut short, or a checksum that does not match. */
  stop?: 'torn' | 'checksum';
}

/** Reads records from the start of `bytes` until its end or the first record that is cut short or damaged. */
export function scanRecords(bytes: Buffer): ScannedRecords {
  const payloads: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < HEADER_BYTES) return { payloads, validBytes: at, stop: 'torn' };
    const length = bytes.readUInt32LE(at);
    const sum = bytes.readUInt32LE(at + 4);
    if (bytes.length - at - HEADER_BYTES < length) return { payloads, validBytes: at, stop: 'torn' };
    const payload = bytes.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
    if (crc32(payload) !== sum) return { payloads, validBytes: at, stop: 'checksum' };
    payloads.push(payload);
    at += HEADER_BYTES + length;
  }
  return { payloads, validBytes: at };
}

export interface Recovery {
  /** Payloads of every valid record from the loaded position to the end, in order. */
  payloads: Buffer[];
  /** Bytes cut from the tail of the last segment (a record torn by a crash or damaged). */
  cutBytes: number;
  cutReason?: 'torn' | 'checksum';
}

export class IngestLog {
  private fd: number | undefined;
  private segment: number;
  private offset = 0;
  /** The end of the last record that is written and synced. */
  private durable: LogPosition;

  private constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    lastSegment: number,
  ) {
    // Appends always go to a fresh segment after the last one: the tail of an older one is never reopened.
    this.segment = lastSegment + 1;
    this.durable = { segment: this.segment, offset: 0 };
  }

  /**
   * Opens the log in `dir`: drops segments wholly before `loaded`, reads every record from
   * `loaded` on, and cuts a torn or damaged tail of the last segment. Damage before the last
   * segment's tail cannot come from a crash (segments are synced before the next one starts) and
   * stops the open with an error rather than skip acknowledged events.
   */
  static open(dir: string, loaded: LogPosition | undefined, options: { segmentBytes?: number } = {}): { log: IngestLog; recovery: Recovery; from: LogPosition } {
    const segments = listSegments(dir);
    const from = loaded ?? { segment: segments[0] ?? 1, offset: 0 };
    for (const s of segments) if (s < from.segment) rmSync(join(dir, segmentName(s)), { force: true });
    const live = segments.filter((s) => s >= from.segment);
    const recovery: Recovery = { payloads: [], cutBytes: 0 };
    live.forEach((s, i) => {
      const path = join(dir, segmentName(s));
      const start = s === from.segment ? from.offset : 0;
      const bytes = readFrom(path, start);
      const scanned = scanRecords(bytes);
      recovery.payloads.push(...scanned.payloads);
      if (scanned.stop) {
        if (i !== live.length - 1) {
          throw new Error(`the ingest log ${path} is damaged at byte ${start + scanned.validBytes} (${scanned.stop}), before its last segment; move the folder aside and restore it`);
        }
        const fd = openSync(path, 'r+');
        try {
          ftruncateSync(fd, start + scanned.validBytes);
          fdatasyncSync(fd);
        } finally {
          closeSync(fd);
        }
        recovery.cutBytes = bytes.length - scanned.validBytes;
        recovery.cutReason = scanned.stop;
      }
    });
    const log = new IngestLog(dir, options.segmentBytes ?? DEFAULT_SEGMENT_BYTES, Math.max(from.segment - 1, segments.at(-1) ?? 0));
    return { log, recovery, from };
  }

  /** The end of the last durable record. */
  get end(): LogPosition {
    return this.durable;
  }

  /** Appends one record and syncs it to disk; resolves with the position after it. */
  append(payload: Buffer): Promise<LogPosition> {
    return this.appendRecords([[payload]]);
  }

  /**
   * Appends records (each given as the parts of its payload, framed here without copying them) with
   * one writev and one fdatasync; resolves with the position after the last. Calls must not
   * overlap (the writer appends one group at a time). On a failed write the segment is cut back
   * to the last durable record, so a failed record never reaches the loader.
   */
  async appendRecords(records: readonly (readonly Buffer[])[]): Promise<LogPosition> {
    if (this.fd !== undefined && this.offset >= this.segmentBytes) {
      closeSync(this.fd);
      this.fd = undefined;
      this.segment++;
      this.offset = 0;
      this.durable = { segment: this.segment, offset: 0 };
    }
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(join(this.dir, segmentName(this.segment)), 'a');
    }
    const fd = this.fd;
    const buffers: Buffer[] = [];
    let total = 0;
    for (const parts of records) {
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      let length = 0;
      let sum = 0;
      for (const part of parts) {
        length += part.length;
        sum = crc32(part, sum);
      }
      header.writeUInt32LE(length, 0);
      header.writeUInt32LE(sum, 4);
      buffers.push(header, ...parts);
      total += HEADER_BYTES + length;
    }
    try {
      const written = await new Promise<number>((resolve, reject) => writev(fd, buffers, (error, n) => (error ? reject(error) : resolve(n))));
      if (written < total) {
        // A short write (rare: a full disk, a signal): the rest in plain writes.
        const rest = Buffer.concat(buffers).subarray(written);
        let done = 0;
        while (done < rest.length) {
          done += await new Promise<number>((resolve, reject) => write(fd, rest, done, rest.length - done, null, (error, n) => (error ? reject(error) : resolve(n))));
        }
      }
      await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      try {
        ftruncateSync(fd, this.offset);
      } catch {
        // the next open cuts the tail anyway
      }
      throw error;
    }
    this.offset += total;
    this.durable = { segment: this.segment, offset: this.offset };
    return this.durable;
  }

  /** The segments that hold records from `from` up to the durable end (the loader reads them). */
  segmentsFrom(from: LogPosition): number[] {
    return listSegments(this.dir).filter((s) => s >= from.segment && s <= this.durable.segment);
  }

  /**
   * Deletes the segments wholly before `position` (their records are loaded), off the event loop:
   * unlinking a 64 MiB segment frees its pages in the kernel, tens of ms that the event loop
   * spent not answering. A segment left behind by a crash is deleted on the next open.
   */
  async dropBefore(position: LogPosition): Promise<void> {
    for (const s of listSegments(this.dir)) if (s < position.segment) await rm(join(this.dir, segmentName(s)), { force: true });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export function listSegments(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => /^(\d{10})\.log$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Reads a segment from `start` to its end, or at most `maxBytes` of it. */
export function readFrom(path: string, start: number, maxBytes = Number.POSITIVE_INFINITY): Buffer {
  if (!existsSync(path)) return Buffer.alloc(0);
  const size = statSync(path).size;
  const length = Math.max(0, Math.min(size - start, maxBytes));
  const bytes = Buffer.allocUnsafe(length);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, bytes, done, length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}
