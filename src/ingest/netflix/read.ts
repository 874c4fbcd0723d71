// Reading ViewingActivity.csv without loading it whole: the file or stream is decoded chunk by
// chunk, split into records and mapped row by row. A file-level problem (no header, a missing
// column) throws NetflixFileError; a bad row is yielded as a skip and reading goes on.

import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { CsvRecordSplitter } from './csv-records.js';
import { NetflixFileError } from './errors.js';
import { ViewingActivityParser, type NetflixRowResult } from './parse.js';

/** A file path, or the bytes or text of an export (a Readable stream is an AsyncIterable). */
export type ViewingActivityInput = string | AsyncIterable<Uint8Array | string>;

export interface ReadOptions {
  /** Member the export belongs to; default: the file name without extension (required for streams). */
  member?: string;
  /** See NetflixImportOptions.country. */
  country?: string;
}

// Small chunks keep each batch of rows short-lived, which keeps garbage collection cheap.
const READ_CHUNK_BYTES = 64 * 1024;

export function memberNameOf(input: ViewingActivityInput, member: string | undefined): string {
  if (member !== undefined && member.trim() !== '') return member;
  if (typeof input === 'string') return basename(input, extname(input));
  throw new NetflixFileError('BINGE_NETFLIX_NO_MEMBER', 'reading a stream needs the member name (--member NAME): it has no file name to take it from');
}

/** Mapped rows in batches (one per chunk read): the fast path for importers. */
export async function* readViewingActivityBatches(input: ViewingActivityInput, options: ReadOptions = {}): AsyncGenerator<NetflixRowResult[]> {
  const parser = new ViewingActivityParser({ member: memberNameOf(input, options.member), ...countryOption(options) });
  const splitter = new CsvRecordSplitter();
  const decoder = new TextDecoder('utf-8');
  const source = typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_CHUNK_BYTES }) : input;
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const batch = mapRecords(parser, splitter.push(text));
    if (batch.length > 0) yield batch;
  }
  const last = mapRecords(parser, splitter.push(decoder.decode()));
  for (const record of splitter.end()) parser.accept(record, last);
  parser.end(last);
  if (!parser.sawHeader) throw new NetflixFileError('BINGE_NETFLIX_EMPTY_FILE', 'the file is empty: expected a ViewingActivity.csv header line');
  if (last.length > 0) yield last;
}

/** Mapped rows one by one, in file order. */
export async function* readViewingActivity(input: ViewingActivityInput, options: ReadOptions = {}): AsyncGenerator<NetflixRowResult> {
  for await (const batch of readViewingActivityBatches(input, options)) yield* batch;
}

/** Every row of an export held in memory (tests, small files). */
export function readViewingActivityText(text: string, options: ReadOptions & { member: string }): NetflixRowResult[] {
  const parser = new ViewingActivityParser({ member: options.member, ...countryOption(options) });
  const splitter = new CsvRecordSplitter();
  const results = mapRecords(parser, [...splitter.push(text), ...splitter.end()]);
  parser.end(results);
  if (!parser.sawHeader) throw new NetflixFileError('BINGE_NETFLIX_EMPTY_FILE', 'the file is empty: expected a ViewingActivity.csv header line');
  return results;
}

function mapRecords(parser: ViewingActivityParser, records: ReturnType<CsvRecordSplitter['push']>): NetflixRowResult[] {
  const results: NetflixRowResult[] = [];
  for (const record of records) parser.accept(record, results);
  return results;
}

function countryOption(options: ReadOptions): { country?: string } {
  return options.country === undefined ? {} : { country: options.country.toUpperCase() };
}
