// The store's bulk path (DuckDB reads the file, SQL maps the rows) must store exactly what the
// reader's path stores: the same imported rows, views, profiles, titles, devices, member, hidden
// views, and the same summary. Each file is imported twice, once each way, into fresh databases,
// and every table is compared row by row. The stored views (per-day minutes included) must be the
// views the pure functions make of the reader's rows (imported-history.ts, the definition).
// Generated files vary what real exports vary.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import fc from 'fast-check';
import { Catalogue } from '../../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../../domain/definitions.js';
import type { View } from '../../domain/model.js';
import type { ImportedSession } from '../../store/csv-import-port.js';
import { openDuckDbStore, type DuckDbStore } from '../../store/duckdb/adapter.js';
import { importedViewsOf, sessionOfRow } from './imported-history.js';
import { readViewingActivityText } from './read.js';
import { splitCsvRecords } from './csv-records.js';
import { importNetflixIntoStore, type StoreImportResult } from './store-import.js';
import { syntheticViewingActivityLines } from './synthetic.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const EXPORTS = fileURLToPath(new URL('../../../../shared/data/netflix-exports/', import.meta.url));

async function tables(store: DuckDbStore): Promise<Record<string, unknown[][]>> {
  // Imported rows and views are compared decoded, through the views that readers use: the codes
  // of titles and countries are given in another order by each path.
  const coded = new Set(['import_titles', 'import_countries', 'imported_rows', 'imported_views', 'imported_view_days']);
  const names = [...(await store.tableNames()).filter((t) => t !== 'schema_migrations' && !coded.has(t)), 'imported_sessions', 'views', 'view_days'];
  const dump: Record<string, unknown[][]> = {};
  await store.withConnection(async (c) => {
    for (const name of names) {
      // Times of the import itself, and seq numbers that count transactions (which differ by path), are left out.
      const exclude = { members: ' EXCLUDE (created_at_ms)', hidden_views: ' EXCLUDE (hidden_at_ms)', dirty_marks: ' EXCLUDE (seq)' }[name] ?? '';
      dump[name] = (await c.runAndReadAll(`SELECT *${exclude} FROM ${name} ORDER BY ALL`)).getRows();
    }
  });
  return dump;
}

async function importOnce(file: string, engine: 'auto' | 'reader', member: string, twice = false) {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    const run = () => importNetflixIntoStore(store, new Catalogue([]), DEFAULT_DEFINITIONS, file, { member, engine });
    const first = await run();
    const again = twice ? await run() : undefined;
    const profileIds = (await store.withConnection(async (c) => (await c.runAndReadAll('SELECT profile_id FROM profiles')).getRows())).map((r) => r[0] as string);
    const views = [...(await store.viewsOfProfiles(profileIds)).values()].flat();
    return { first, again, tables: await tables(store), views, titles: await store.titles() };
  } finally {
    await store.close();
  }
}

/** The views the pure functions make of the file's rows as the reader reads them, per profile. */
function pureViews(text: string, member: string, catalogue: Catalogue): View[] {
  const byProfile = new Map<string, ImportedSession[]>();
  for (const result of readViewingActivityText(text, { member })) {
    if (!result.ok) continue;
    const session = sessionOfRow(result.row);
    byProfile.set(session.profileId, [...(byProfile.get(session.profileId) ?? []), session]);
  }
  return [...byProfile.values()].flatMap((sessions) => importedViewsOf(sessions, catalogue.titleOf, DEFAULT_DEFINITIONS));
}

/** Hidden is left out (the export's hidden rows are marked after the views are computed). */
function comparable(views: readonly View[]) {
  return views
    .map((v) => ({ ...v, hidden: false, watchedS: Math.round(v.watchedS * 1000), days: v.days.map((d) => ({ day: d.day, ms: Math.round(d.watchedS * 1000) })) }))
    .sort((a, b) => a.profileId.localeCompare(b.profileId) || a.startMs - b.startMs || a.viewId.localeCompare(b.viewId));
}

function withoutPath({ path: _path, ...rest }: StoreImportResult) {
  return rest;
}

/** Imports `file` both ways; asserts equal results and tables; returns the bulk import's path. */
async function assertSameBothWays(file: string, member = 'someone', twice = false): Promise<StoreImportResult['path']> {
  const bulk = await importOnce(file, 'auto', member, twice);
  const reader = await importOnce(file, 'reader', member, twice);
  assert.equal(reader.first.path, 'reader');
  assert.deepEqual(withoutPath(bulk.first), withoutPath(reader.first));
  if (twice) assert.deepEqual(withoutPath(bulk.again!), withoutPath(reader.again!));
  assert.deepEqual(Object.keys(bulk.tables), Object.keys(reader.tables));
  for (const name of Object.keys(reader.tables)) assert.deepEqual(bulk.tables[name], reader.tables[name], `table ${name}`);
  assert.deepEqual(comparable(bulk.views), comparable(pureViews(readFileSync(file, 'utf8'), member, new Catalogue(bulk.titles))));
  return bulk.first.path;
}

test('every fixture is stored the same by the bulk path as by the reader', { timeout: 120_000 }, async () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.csv'))) {
    await assertSameBothWays(join(FIXTURES, name));
  }
});

test('a file with a bad row is left to the reader, which words the skip with its line', { timeout: 60_000 }, async () => {
  assert.equal(await assertSameBothWays(join(FIXTURES, 'bad-row-middle.csv')), 'reader');
});

test('the five shared exports are stored the same both ways, and a re-import changes nothing either way', { timeout: 300_000 }, async (t) => {
  if (!existsSync(EXPORTS)) return t.skip(`shared exports not found at ${EXPORTS}`);
  for (const name of readdirSync(EXPORTS).filter((f) => f.endsWith('.csv'))) {
    assert.equal(await assertSameBothWays(join(EXPORTS, name), 'someone', true), 'engine', name);
  }
});

interface Variation {
  seed: number;
  rows: number;
  profiles: number;
  dates: 'iso' | 'iso-no-seconds' | 'us' | 'us-seconds' | 'iso-spaces';
  crlf: boolean;
  bom: boolean;
  finalNewline: boolean;
  quoteAll: boolean;
  shuffleColumns: boolean;
  dropBookmark: boolean;
  dropOptional: boolean;
  repeats: number;
  hidden: number;
  blankBookmarks: number;
  longDurations: number;
  quotesInTitles: number;
  blankLine: boolean;
  badRow: 'none' | 'duration' | 'start' | 'profile' | 'field-count' | 'stray-quote';
  lineBreaks: number;
}

const variation: fc.Arbitrary<Variation> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  rows: fc.integer({ min: 1, max: 120 }),
  profiles: fc.integer({ min: 1, max: 5 }),
  dates: fc.constantFrom('iso', 'iso-no-seconds', 'us', 'us-seconds', 'iso-spaces'),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  quoteAll: fc.boolean(),
  shuffleColumns: fc.boolean(),
  dropBookmark: fc.boolean(),
  dropOptional: fc.boolean(),
  repeats: fc.integer({ min: 0, max: 5 }),
  hidden: fc.integer({ min: 0, max: 4 }),
  blankBookmarks: fc.integer({ min: 0, max: 4 }),
  longDurations: fc.integer({ min: 0, max: 3 }),
  quotesInTitles: fc.integer({ min: 0, max: 3 }),
  blankLine: fc.boolean(),
  badRow: fc.constantFrom('none', 'none', 'none', 'duration', 'start', 'profile', 'field-count', 'stray-quote'),
  lineBreaks: fc.integer({ min: 0, max: 2 }),
});

function csvField(value: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A generated export with the variation's layout and odd rows. */
function exportText(v: Variation): string {
  const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { seed: v.seed, numRuns: 1000 });
  let next = 0;
  const pick = (n: number) => random[next++ % random.length] % n;
  const [header, ...rows] = splitCsvRecords([...syntheticViewingActivityLines(v.rows, { seed: v.seed, profiles: v.profiles })].join('\n')).map((r) => r.fields);
  const at = (name: string) => header.indexOf(name);
  for (const row of rows) {
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(row[at('Start Time')])!;
    const [y, mo, d, h, mi, s] = m.slice(1);
    row[at('Start Time')] = {
      iso: row[at('Start Time')],
      'iso-no-seconds': `${y}-${mo}-${d} ${+h}:${mi}`,
      us: `${+mo}/${+d}/${y} ${+h}:${mi}`,
      'us-seconds': `${+mo}/${+d}/${y} ${+h}:${mi}:${s}`,
      'iso-spaces': ` ${y}-${mo}-${d} ${+h}:${mi}:${s} `,
    }[v.dates];
  }
  for (let i = 0; i < v.hidden && rows.length > 0; i++) {
    const row = rows[pick(rows.length)];
    row[at('Attributes')] = 'View was hidden; ';
    if (i % 2 === 0) row[at('Title')] = '';
  }
  for (let i = 0; i < v.blankBookmarks && rows.length > 0; i++) rows[pick(rows.length)][at('Bookmark')] = '';
  for (let i = 0; i < v.longDurations && rows.length > 0; i++) rows[pick(rows.length)][at('Duration')] = '25:03:11';
  for (let i = 0; i < v.quotesInTitles && rows.length > 0; i++) rows[pick(rows.length)][at('Title')] = 'He said "hi", twice: Season 1: "Hi"';
  for (let i = 0; i < v.repeats && rows.length > 0; i++) rows.splice(pick(rows.length + 1), 0, [...rows[pick(rows.length)]]);
  if (v.badRow !== 'none' && rows.length > 0) {
    const row = rows[pick(rows.length)];
    if (v.badRow === 'duration') row[at('Duration')] = '1:2';
    if (v.badRow === 'start') row[at('Start Time')] = '2024-02-30 10:00:00';
    if (v.badRow === 'profile') row[at('Profile Name')] = '  ';
    if (v.badRow === 'field-count') row.push('extra');
  }
  // Real titles hold line breaks (a quoted field over two lines): both readers take them.
  for (let i = 0; i < v.lineBreaks && rows.length > 0; i++) rows[pick(rows.length)][at('Title')] = 'Nice Guys Get a Pass\nBad Boys Have It Coming: Season 1: One';
  let keep = header.map((_, i) => i);
  if (v.dropBookmark) keep = keep.filter((i) => header[i] !== 'Bookmark');
  if (v.dropOptional) keep = keep.filter((i) => !['Latest Bookmark', 'Country', 'Supplemental Video Type', 'Device Type'].includes(header[i]));
  if (v.shuffleColumns) keep = keep.map((i) => [i, pick(1000)]).sort((a, b) => a[1] - b[1]).map(([i]) => i);
  const STRAY = 'Ana "the" Kid';
  const line = (fields: string[]) =>
    [...keep.map((i) => fields[i]), ...fields.slice(header.length)].map((f) => (f === STRAY ? f : csvField(f, v.quoteAll))).join(',');
  // A quote inside an unquoted field: the reader keeps it as a character (a valid row); the bulk path leaves such a file to the reader.
  if (v.badRow === 'stray-quote' && rows.length > 0) rows[pick(rows.length)][at('Profile Name')] = STRAY;
  const lines = [line(header), ...rows.map(line)];
  if (v.blankLine) lines.splice(1 + pick(lines.length), 0, '');
  const eol = v.crlf ? '\r\n' : '\n';
  return (v.bom ? '\ufeff' : '') + lines.join(eol) + (v.finalNewline ? eol : '');
}

test('generated exports: the bulk path stores exactly what the reader stores, and takes every clean file', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'binge-netflix-sql-'));
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(variation, async (v) => {
        const file = join(dir, `export-${n++}.csv`);
        writeFileSync(file, exportText(v));
        const path = await assertSameBothWays(file);
        // A bad row or a stray quote is the reader's; everything else is the engine's.
        if (v.badRow === 'none') assert.equal(path, 'engine', JSON.stringify(v));
        if (v.badRow !== 'none') assert.equal(path, 'reader', JSON.stringify(v));
      }),
      { numRuns: 25 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
