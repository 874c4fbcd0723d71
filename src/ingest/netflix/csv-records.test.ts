import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvRecordSplitter, splitCsvRecords } from './csv-records.js';

// Fields mixing the characters that matter to CSV: commas, quotes, both line breaks, spaces, non-ASCII.
const field = fc
  .array(fc.constantFrom('a', 'Z', '1', ' ', ',', '"', '\n', '\r\n', 'é', '山', ':', ';'), { maxLength: 8 })
  .map((chars) => chars.join(''));

function quote(value: string, always: boolean): string {
  return always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// A record with one empty field is a blank line, which the importer drops and csv-parse reads
// differently; records always have at least two fields here.
const csvFile = fc.record({
  records: fc.array(fc.array(field, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
  quoteAll: fc.boolean(),
  eol: fc.constantFrom('\n', '\r\n'),
  finalEol: fc.boolean(),
});

function serialize(file: { records: string[][]; quoteAll: boolean; eol: string; finalEol: boolean }): string {
  return file.records.map((r) => r.map((f) => quote(f, file.quoteAll)).join(',')).join(file.eol) + (file.finalEol ? file.eol : '');
}

test('records match csv-parse on random quoted fields with commas, quotes and line breaks', () => {
  fc.assert(
    fc.property(csvFile, (file) => {
      const text = serialize(file);
      const expected = parse(text, { relax_column_count: true }) as string[][];
      const actual = splitCsvRecords(text);
      assert.deepEqual(actual.map((r) => r.fields), expected);
      assert.deepEqual(actual.map((r) => r.fields), file.records);
      assert.ok(actual.every((r) => r.problem === undefined));
    }),
    { numRuns: 300 },
  );
});

test('cutting the text into chunks anywhere gives the same records and line numbers', () => {
  fc.assert(
    fc.property(csvFile, fc.array(fc.nat(), { maxLength: 6 }), (file, cuts) => {
      const text = serialize(file);
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const splitter = new CsvRecordSplitter();
      const records = [];
      let from = 0;
      for (const at of [...points, text.length]) {
        records.push(...splitter.push(text.slice(from, at)));
        from = at;
      }
      records.push(...splitter.end());
      assert.deepEqual(records, splitCsvRecords(text));
    }),
    { numRuns: 300 },
  );
});

test('a record starts on the line after the line breaks inside the quoted fields before it', () => {
  const records = splitCsvRecords('h1,h2\r\n"a\nb\r\nc",x\r\nlast,"y"');
  assert.deepEqual(records.map((r) => [r.line, r.fields]), [
    [1, ['h1', 'h2']],
    [2, ['a\nb\r\nc', 'x']],
    [5, ['last', 'y']],
  ]);
});

test('a byte order mark is not part of the first field', () => {
  assert.deepEqual(splitCsvRecords('\uFEFFProfile Name,Title\n')[0].fields, ['Profile Name', 'Title']);
});

test('text after a closing quote and an unclosed quote are kept but marked as a problem', () => {
  const [afterQuote] = splitCsvRecords('"Roma" extra,x\n');
  assert.deepEqual(afterQuote.fields, ['Roma extra', 'x']);
  assert.match(afterQuote.problem ?? '', /closing quote/);
  const [unclosed] = splitCsvRecords('a,"never closed\n');
  assert.deepEqual(unclosed.fields, ['a', 'never closed\n']);
  assert.match(unclosed.problem ?? '', /not closed/);
});
