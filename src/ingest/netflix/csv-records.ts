// An RFC 4180 record splitter that takes text in chunks. Hand-written because csv-parse is the
// bottleneck otherwise: on a 1M-row synthetic export (bench.ts) this splits at ~590k rows/s of
// CPU where csv-parse's streaming parser reads ~110k on the same machine, about as long as
// the whole import takes. csv-records.test.ts checks it against csv-parse on random quoted fields.
//
// Accepted: `,` between fields, `\n` or `\r\n` after records, `"`-quoted fields holding commas,
// quotes (doubled) and line breaks, a final record without a line break. Lenient where RFC 4180
// forbids: a quote inside an unquoted field is kept as a character; text after a closing quote
// is kept too, and the record is marked with a `problem` so the caller can reject that row.

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
  /** Set when the quoting was broken; the fields are a best effort. */
  problem?: string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

interface Scan {
  fields: string[];
  next: number;
  lineBreaks: number;
  problem?: string;
}

/** Splits a text into records, chunk by chunk, keeping an incomplete record for the next chunk. */
export class CsvRecordSplitter {
  private rest = '';
  private line = 1;
  private started = false;

  /** Records completed by this chunk. */
  push(chunk: string): CsvRecord[] {
    return this.split(chunk, false);
  }

  /** The last record, when the text does not end with a line break. */
  end(): CsvRecord[] {
    return this.split('', true);
  }

  private split(chunk: string, final: boolean): CsvRecord[] {
    let text = this.rest.length === 0 ? chunk : this.rest + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const records: CsvRecord[] = [];
    let pos = 0;
    let nextQuote = text.indexOf('"');
    while (pos < text.length) {
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      let eol = text.indexOf('\n', pos);
      if (eol === -1) {
        if (!final) break;
        eol = text.length;
      }
      if (nextQuote === -1 || nextQuote > eol) {
        // Fast path: no quote on this line, so it is one record split on commas.
        const end = eol > pos && text.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
        records.push({ line: this.line, fields: text.slice(pos, end).split(',') });
        this.line += 1;
        pos = eol + 1;
        continue;
      }
      const scan = scanQuotedRecord(text, pos, final);
      if (scan === null) break;
      const record: CsvRecord = { line: this.line, fields: scan.fields };
      if (scan.problem !== undefined) record.problem = scan.problem;
      records.push(record);
      this.line += 1 + scan.lineBreaks;
      pos = scan.next;
    }
    this.rest = pos >= text.length ? '' : text.slice(pos);
    return records;
  }
}

/** One record that has a quote somewhere; null when the text ends before the record does. */
function scanQuotedRecord(text: string, start: number, final: boolean): Scan | null {
  const fields: string[] = [];
  let lineBreaks = 0;
  let problem: string | undefined;
  let pos = start;
  for (;;) {
    let value: string;
    if (text.charCodeAt(pos) === QUOTE) {
      value = '';
      let from = pos + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) {
          if (!final) return null;
          problem = 'a quoted field is not closed before the end of the file';
          value += text.slice(from);
          pos = text.length;
          break;
        }
        if (q + 1 === text.length && !final) return null; // the next chunk may hold a second quote
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        pos = q + 1;
        break;
      }
      lineBreaks += countLineBreaks(value);
      if (!final && pos + 1 >= text.length) return null; // a CR LF or a comma may follow in the next chunk
      const after = pos < text.length ? text.charCodeAt(pos) : -1;
      const endsField = after === -1 || after === COMMA || after === LF || (after === CR && text.charCodeAt(pos + 1) === LF);
      if (!endsField) {
        problem ??= 'text follows a closing quote; a quote inside a quoted field must be doubled ("")';
        const stop = fieldEnd(text, pos);
        if (stop === -1 && !final) return null;
        const end = stop === -1 ? text.length : stop;
        value += text.slice(pos, end);
        pos = end;
      }
    } else {
      const stop = fieldEnd(text, pos);
      if (stop === -1 && !final) return null;
      const end = stop === -1 ? text.length : stop;
      value = text.slice(pos, end);
      pos = end;
    }
    fields.push(value);
    if (pos >= text.length && !final) return null;
    if (pos >= text.length) return withProblem({ fields, next: text.length, lineBreaks }, problem);
    const c = text.charCodeAt(pos);
    if (c === COMMA) {
      pos += 1;
      continue;
    }
    // A line break ends the record (fieldEnd stops only at a comma, LF or CR LF).
    const next = c === CR ? pos + 2 : pos + 1;
    return withProblem({ fields, next, lineBreaks }, problem);
  }
}

function withProblem(scan: Scan, problem: string | undefined): Scan {
  if (problem !== undefined) scan.problem = problem;
  return scan;
}

/** Index of the comma, LF or CR LF that ends an unquoted field, or -1 at the end of the text. */
function fieldEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF) return i;
    if (c === CR && text.charCodeAt(i + 1) === LF) return i;
  }
  return -1;
}

function countLineBreaks(value: string): number {
  let count = 0;
  let i = value.indexOf('\n');
  while (i !== -1) {
    count += 1;
    i = value.indexOf('\n', i + 1);
  }
  return count;
}

/** All records of a whole text (tests and small files). */
export function splitCsvRecords(text: string): CsvRecord[] {
  const splitter = new CsvRecordSplitter();
  return [...splitter.push(text), ...splitter.end()];
}
