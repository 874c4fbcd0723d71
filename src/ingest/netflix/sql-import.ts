// The bulk path of the store import: the store's engine reads the file and does the per-row work
// (store/csv-import-port.ts); this module maps only the distinct profiles, titles, devices,
// attributes and countries with the parser's own functions (parse.ts stays the definition).
// It answers null, and the caller reads the file itself (read.ts), whenever the result could
// differ: the engine cannot read the file strictly (RFC 4180, equal field counts, UTF-8), a quote
// is not where RFC 4180 puts one, the engine's record count differs from RFC 4180's, the header is
// odd, the Start Time format is not clear, or any row is not valid (the reader words skips, with lines).

import { open } from 'node:fs/promises';
import type { Device, Profile, Title } from '../../domain/model.js';
import type { NetflixCsvLoad, NetflixCsvMapping, StagedCsv } from '../../store/csv-import-port.js';
import type { Store } from '../../store/port.js';
import { indexColumns, type ColumnIndex, type ColumnKey } from './columns.js';
import { CsvRecordSplitter } from './csv-records.js';
import type { NetflixSkip } from './errors.js';
import { FORMAT_SAMPLE_ROWS, ViewingActivityParser } from './parse.js';
import type { ProfileTotals } from './summary.js';
import { detectStartTimeFormat } from './timestamps.js';

export interface BulkImport {
  memberId: string;
  rows: number;
  accepted: number;
  duplicates: number;
  profiles: Profile[];
  titles: Title[];
  devices: Device[];
  totals: ProfileTotals[];
  /** Rows per country, in order of first appearance (the member's country is the most common). */
  countries: Map<string, number>;
  hidden: NetflixCsvLoad['hidden'];
  /** Always empty: a file with a bad row is left to the reader, which words the skips. */
  skipped: NetflixSkip[];
}

const HEADER_PROBE_BYTES = 1 << 20;
const SCAN_BYTES = 8 << 20;

/** The import done by the store's engine, or null when the reader must do it. */
export async function bulkImportNetflix(store: Store, file: string, options: { member: string; country?: string }): Promise<BulkImport | null> {
  if (store.stageCsv === undefined) return null;
  const header = await headerOf(file);
  if (header === null) return null;
  // The engine reads the file on its own threads while this one counts the records (the event loop is free meanwhile).
  // Only the fields the SQL reads are kept (not Latest Bookmark, nor columns binge does not know).
  const keep = (Object.entries(header.columns) as [ColumnKey, number][]).filter(([key, index]) => key !== 'latestBookmark' && index >= 0).map(([, index]) => index);
  const [counted, stagedResult] = await Promise.allSettled([rfcRecordCount(file), store.stageCsv(file, header.fieldCount, keep)]);
  const staged = stagedResult.status === 'fulfilled' ? stagedResult.value : null;
  if (counted.status === 'rejected' || stagedResult.status === 'rejected') {
    await staged?.close();
    throw counted.status === 'rejected' ? counted.reason : (stagedResult as PromiseRejectedResult).reason;
  }
  const records = counted.value;
  if (staged === null) return null;
  try {
    // The engine found the records RFC 4180 finds (so none was split at a lone CR, none skipped).
    if (records < 2 || staged.rows !== records - 1) return null;
    return await loadStaged(staged, header.columns, options);
  } finally {
    await staged.close();
  }
}

async function loadStaged(staged: StagedCsv, columns: ColumnIndex, options: { member: string; country?: string }): Promise<BulkImport | null> {
  const sample = await staged.head(FORMAT_SAMPLE_ROWS);
  const format = detectStartTimeFormat(sample.map((fields) => fields[columns.startTime]));
  if (format === null) return null;
  const parser = new ViewingActivityParser({ member: options.member, ...(options.country === undefined ? {} : { country: options.country }) });

  const profiles = new Map<string, Profile>();
  const titles = new Map<string, Title>();
  const devices = new Map<string, Device>();
  const mapping: NetflixCsvMapping = {
    memberId: parser.memberId,
    format,
    columns,
    profiles: { raw: [], profileId: [] },
    titles: { raw: [], typeRaw: [], titleId: [], type: [], supplemental: [], blank: [] },
    devices: { raw: [], deviceId: [] },
    attributes: { raw: [], autoplayed: [], userAction: [], hidden: [] },
    countries: { raw: [], country: [] },
  };
  const [profileNames, titleNames, deviceTypes, attributeTexts, countryTexts] = await staged.distinct([
    [columns.profileName],
    [columns.title, columns.supplementalVideoType],
    [columns.deviceType],
    [columns.attributes],
    [columns.country],
  ]);
  for (const [name] of profileNames) {
    const blank = name.trim() === '';
    mapping.profiles.raw.push(name);
    mapping.profiles.profileId.push(blank ? null : parser.profileOf(name).profileId);
    if (!blank) profiles.set(parser.profileOf(name).profileId, parser.profileOf(name));
  }
  for (const [name, typeRaw] of titleNames) {
    const type = typeRaw.trim();
    const { title } = parser.titleEntryOf(name, type);
    mapping.titles.raw.push(name);
    mapping.titles.typeRaw.push(typeRaw);
    mapping.titles.titleId.push(title.titleId);
    mapping.titles.type.push(type);
    mapping.titles.supplemental.push(title.kind === 'supplemental');
    mapping.titles.blank.push(name.trim() === '');
    titles.set(title.titleId, title);
  }
  for (const [deviceType] of deviceTypes) {
    const device = parser.deviceOf(deviceType);
    mapping.devices.raw.push(deviceType);
    mapping.devices.deviceId.push(device.deviceId);
    devices.set(device.deviceId, device);
  }
  for (const [text] of attributeTexts) {
    const attributes = parser.attributesOf(text);
    mapping.attributes.raw.push(text);
    mapping.attributes.autoplayed.push(attributes.autoplayed);
    mapping.attributes.userAction.push(attributes.userAction);
    mapping.attributes.hidden.push(attributes.hidden);
  }
  for (const [text] of countryTexts) {
    mapping.countries.raw.push(text);
    mapping.countries.country.push(parser.rowCountry(text));
  }

  const load = await staged.loadNetflix(mapping);
  if (load === null) return null;
  const profileList = load.profiles.map((p) => profiles.get(p.profileId)!);
  return {
    memberId: parser.memberId,
    rows: staged.rows,
    accepted: load.accepted,
    duplicates: load.duplicates,
    profiles: profileList,
    titles: load.titleIds.map((id) => titles.get(id)!),
    devices: load.deviceIds.map((id) => devices.get(id)!),
    totals: load.profiles.map((p, i) => ({
      profileId: p.profileId,
      name: profileList[i].name,
      rows: p.rows,
      durationS: p.durationS,
      viewingS: p.viewingS,
      supplementalRows: p.supplementalRows,
      hiddenRows: p.hiddenRows,
    })),
    countries: new Map(load.countries.map((c) => [c.country, c.rows])),
    hidden: load.hidden,
    skipped: [],
  };
}

/** The header, when it is the file's first line, alone on it, and names the columns the reader needs. */
async function headerOf(file: string): Promise<{ fieldCount: number; columns: ColumnIndex } | null> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const splitter = new CsvRecordSplitter();
    const records = splitter.push(new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead), { stream: true }));
    if (bytesRead < buffer.length) records.push(...splitter.end()); // the whole file: its last line may have no line break
    if (records.length < 2) return null;
    const [first, second] = records;
    if (first.line !== 1 || second.line !== 2 || first.problem !== undefined || first.fields.length < 2) return null;
    try {
      return { fieldCount: first.fields.length, columns: indexColumns(first.fields) };
    } catch {
      return null; // the reader throws the same file error, worded
    }
  } finally {
    await handle.close();
  }
}

/**
 * Records of the file as RFC 4180 counts them (a quoted field may hold line breaks), blank lines
 * (empty, or a lone CR) left out as both readers do; -1 when a quote is not where RFC 4180 puts
 * one (at the start of a field, doubled inside it, closing it), where the two readers may differ.
 */
export async function rfcRecordCount(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    let records = 0;
    let first = true;
    for (;;) {
      const chunk = Buffer.alloc(SCAN_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      const final = bytesRead === 0;
      let buffer = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (first && buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) buffer = buffer.subarray(3); // a BOM is not part of the header
      first = false;
      const scan = countRecords(buffer, final);
      if (scan.records === -1) return -1;
      records += scan.records;
      carry = buffer.subarray(scan.consumed);
      if (final) return records;
    }
  } finally {
    await handle.close();
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Complete records from the start of `buffer`, and the bytes they take (all of it when `final`). */
export function countRecords(buffer: Buffer, final: boolean): { records: number; consumed: number } {
  const end = buffer.length;
  let records = 0;
  let pos = 0;
  let nextQuote = buffer.indexOf(QUOTE, 0);
  let nextLf = buffer.indexOf(LF, 0);
  while (pos < end) {
    const start = pos;
    let i = pos;
    let quoted = false;
    for (;;) {
      if (nextQuote !== -1 && nextQuote < i) nextQuote = buffer.indexOf(QUOTE, i);
      if (nextLf !== -1 && nextLf < i) nextLf = buffer.indexOf(LF, i);
      if (nextQuote === -1 || (nextLf !== -1 && nextLf < nextQuote)) {
        // No quote before the line break: the record ends there (or at the end of the file).
        if (nextLf === -1 && !final) return { records, consumed: start };
        const stop = nextLf === -1 ? end : nextLf;
        const length = stop - start - (stop > start && buffer[stop - 1] === CR ? 1 : 0);
        if (quoted || length > 0) records += 1;
        pos = nextLf === -1 ? end : nextLf + 1;
        break;
      }
      const q = nextQuote;
      if (q !== start && buffer[q - 1] !== COMMA) return { records: -1, consumed: 0 };
      // A quoted field: find its closing quote (a doubled quote is a quote inside it).
      let from = q + 1;
      let close = -1;
      for (;;) {
        const next = buffer.indexOf(QUOTE, from);
        if (next === -1 || (next + 1 >= end && !final)) break;
        if (buffer[next + 1] === QUOTE) {
          from = next + 2;
          continue;
        }
        close = next;
        break;
      }
      if (close === -1) {
        if (!final) return { records, consumed: start };
        return { records: -1, consumed: 0 };
      }
      quoted = true;
      i = close + 1;
      const after = i < end ? buffer[i] : -1;
      if (after === COMMA) {
        i += 1;
        continue;
      }
      if (after === CR && i + 1 >= end && !final) return { records, consumed: start };
      if (after === -1 || after === LF || (after === CR && buffer[i + 1] === LF)) {
        records += 1;
        pos = after === -1 ? end : after === LF ? i + 1 : i + 2;
        break;
      }
      return { records: -1, consumed: 0 };
    }
  }
  return { records, consumed: end };
}
