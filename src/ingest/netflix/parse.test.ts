// One small fixture per edge case of real exports (fixtures/); each test names the rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { importViewingActivity, importViewingActivityText } from './summary.js';
import { readViewingActivityText } from './read.js';
import type { NetflixViewingRow } from './parse.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const textOf = (name: string) => readFileSync(fixture(name), 'utf8');
const rowsOf = (name: string, country?: string): NetflixViewingRow[] =>
  readViewingActivityText(textOf(name), { member: 'fixture', ...(country === undefined ? {} : { country }) }).flatMap((r) => (r.ok ? [r.row] : []));

test('a Duration of 24 hours or more is read as hours past 24, not rejected', () => {
  const rows = rowsOf('duration-over-24h.csv');
  assert.deepEqual(rows.map((r) => r.durationS), [25 * 3600 + 3 * 60 + 11, 24 * 3600, 100 * 3600]);
  const [first] = rows;
  assert.equal(first.events[1].atMs - first.events[0].atMs, first.durationS * 1000);
});

test('CRLF line ends, a BOM and no final newline still give every row, the last one included', () => {
  const result = importViewingActivityText(textOf('crlf-no-final-newline.csv'), { member: 'fixture' });
  assert.equal(result.rows, 3);
  assert.deepEqual(result.skipped, []);
  const rows = rowsOf('crlf-no-final-newline.csv');
  assert.equal(rows[2].country, 'DE', 'no \\r is left on the last field');
  assert.equal(rows[0].profile.name, 'Profile 1', 'the BOM is not part of the first header name');
  assert.deepEqual(rows.map((r) => r.line), [2, 3, 4]);
});

test('quoted fields keep their commas and doubled quotes, and a line break inside quotes shifts the line numbers after it', () => {
  const rows = rowsOf('quoted-commas.csv');
  assert.equal(rows[0].title.name, 'The Office (U.S.): Season 4: Goodbye, Toby (Episode 14)');
  assert.equal(rows[0].title.season, 4);
  assert.equal(rows[0].title.episode, 14);
  assert.equal(rows[0].country, 'KR');
  assert.equal(rows[1].title.name, 'The "Real" Story, Part 2');
  assert.equal(rows[1].latestView, false);
  assert.equal(rows[2].title.name, 'A title written\nover two lines, as a broken export might');
  assert.deepEqual(rows.map((r) => r.line), [2, 3, 4, 6]);
});

test('"View was hidden;" rows are kept as hidden history, blank title or not; a blank title without it is a bad row', () => {
  const results = readViewingActivityText(textOf('hidden-views.csv'), { member: 'fixture' });
  const rows = results.flatMap((r) => (r.ok ? [r.row] : []));
  const skips = results.flatMap((r) => (r.ok ? [] : [r.skip]));
  assert.deepEqual(rows.map((r) => [r.line, r.hidden]), [[2, true], [3, true], [4, true], [6, false]]);
  assert.equal(rows[0].title.kind, 'episode');
  assert.equal(rows[1].title.name, '');
  assert.equal(rows[2].events[0].autoplayed, true);
  assert.deepEqual(skips.map((s) => [s.line, s.code]), [[5, 'BINGE_NETFLIX_BLANK_TITLE']]);
  const summary = importViewingActivityText(textOf('hidden-views.csv'), { member: 'fixture' });
  assert.deepEqual(summary.hiddenPlaybackIds, rows.slice(0, 3).map((r) => r.events[0].playbackId));
  assert.equal(summary.totals[0].hiddenRows, 3);
});

test('supplemental types map to binge words, and an unknown type is kept lower-cased as supplemental', () => {
  const rows = rowsOf('unknown-supplemental.csv');
  assert.deepEqual(
    rows.map((r) => [r.title.kind, r.title.supplementalType]),
    [
      ['supplemental', 'trailer'],
      ['supplemental', 'hook'],
      ['supplemental', 'teaser'],
      ['supplemental', 'recap'],
      ['supplemental', 'promotional'],
      ['supplemental', 'behind_the_scenes'],
      ['supplemental', 'bumper'],
      ['episode', undefined],
    ],
  );
  const summary = importViewingActivityText(textOf('unknown-supplemental.csv'), { member: 'fixture' });
  assert.equal(summary.totals[0].supplementalRows, 7);
  assert.equal(summary.totals[0].viewingS, 3600, 'supplemental videos are not viewing');
});

test('columns are found by name in any order, with every field quoted (the newer layout, Duration first)', () => {
  const rows = rowsOf('duration-first-all-quoted.csv');
  assert.equal(rows.length, 3);
  assert.equal(rows[0].durationS, 10);
  assert.equal(rows[0].startMs, Date.UTC(2025, 10, 19, 23, 19, 57));
  assert.equal(rows[0].title.supplementalType, 'trailer');
  assert.equal(rows[1].title.seriesName, 'Stranger Things');
  assert.equal(rows[1].events[0].positionS, 50 * 60 - (48 * 60 + 12));
  assert.equal(rows[2].title.kind, 'movie', 'a film with colons stays whole');
  assert.equal(rows[2].events[0].userAction, 'interaction');
  assert.equal(rows[2].events[0].autoplayed, false);
});

test('header names are matched without regard to case, spaces or underscores', () => {
  const text = ' profile_name ,START TIME,duration,title\nKid,2024-01-01 10:00:00,0:10:00,Roma\n';
  const [result] = readViewingActivityText(text, { member: 'm' });
  assert.ok(result.ok);
  assert.equal(result.row.durationS, 600);
  assert.equal(result.row.bookmarkS, 600, 'no Bookmark column: the view runs from 0 to its duration');
});

test('profile names made of punctuation, with & or non-ASCII letters are kept exactly, one profile each', () => {
  const summary = importViewingActivityText(textOf('profile-names.csv'), { member: 'fixture' });
  assert.deepEqual(summary.profiles.map((p) => p.name), ['!!!', 'Ana & Luis', 'Zoë', '山田太郎', '...,', 'Kids 🦄']);
  assert.equal(new Set(summary.profiles.map((p) => p.profileId)).size, 6);
  assert.deepEqual(summary.totals.map((t) => t.durationS), [1800, 1200, 600, 300, 60, 120]);
});

test('a bad row in the middle is reported with its line and a reason, and the rows around it are kept', () => {
  const summary = importViewingActivityText(textOf('bad-row-middle.csv'), { member: 'fixture' });
  assert.equal(summary.rows, 8);
  assert.equal(summary.imported, 3);
  assert.deepEqual(
    summary.skipped.map((s) => [s.line, s.code]),
    [
      [4, 'BINGE_NETFLIX_BAD_DURATION'],
      [5, 'BINGE_NETFLIX_FIELD_COUNT'],
      [6, 'BINGE_NETFLIX_BAD_BOOKMARK'],
      [7, 'BINGE_NETFLIX_BLANK_PROFILE'],
      [8, 'BINGE_NETFLIX_BAD_QUOTES'],
    ],
  );
  assert.match(summary.skipped[0].reason, /^line 4: Duration "half an hour" is not H:MM:SS/);
  assert.match(summary.skipped[1].reason, /must be in double quotes/);
});

test('the Start Time format is chosen per file, and a row in another format is rejected, not guessed', () => {
  const results = readViewingActivityText(textOf('mixed-date-formats.csv'), { member: 'fixture' });
  assert.deepEqual(
    results.map((r) => (r.ok ? [r.row.line, 'ok'] : [r.skip.line, r.skip.code])),
    [
      [2, 'ok'],
      [3, 'ok'],
      [4, 'BINGE_NETFLIX_BAD_START_TIME'],
      [5, 'BINGE_NETFLIX_BAD_START_TIME'],
      [6, 'BINGE_NETFLIX_BAD_START_TIME'],
      [7, 'ok'],
    ],
  );
  const skip = results[2].ok ? null : results[2].skip;
  assert.match(skip?.reason ?? '', /"7\/26\/2022 4:22" is not a valid UTC time as YYYY-MM-DD H:MM:SS/);
});

test('each row is a start at Start Time from bookmark minus duration and a stop at Start Time plus Duration at the bookmark', () => {
  const [row] = rowsOf('quoted-commas.csv');
  const [start, stop] = row.events;
  assert.deepEqual([start.type, start.atMs, start.positionS], ['start', Date.UTC(2023, 7, 24, 2, 26), 41 * 60 + 28 - (26 * 60 + 27)]);
  assert.deepEqual([stop.type, stop.atMs, stop.positionS], ['stop', Date.UTC(2023, 7, 24, 2, 26) + (26 * 60 + 27) * 1000, 41 * 60 + 28]);
  assert.equal(start.offsetMin, null, 'the country zone applies');
  assert.equal(start.playbackId, stop.playbackId);
  assert.notEqual(start.eventId, stop.eventId);
});

test('local days come from the country option when given, else from the row Country column', () => {
  // 2023-08-24 02:26 UTC is 2023-08-24 11:26 in Seoul and 2023-08-23 22:26 in New York.
  assert.equal(rowsOf('quoted-commas.csv')[0].day, '2023-08-24');
  assert.equal(rowsOf('quoted-commas.csv', 'us')[0].day, '2023-08-23');
  assert.equal(rowsOf('quoted-commas.csv', 'us')[0].events[0].country, 'US');
});

test('importing the same file twice yields identical ids and events', async () => {
  const once = await importViewingActivity(fixture('quoted-commas.csv').pathname, { member: 'same' });
  const twice = importViewingActivityText(textOf('quoted-commas.csv'), { member: 'same' });
  assert.deepEqual(twice.events, once.events);
  assert.deepEqual(twice.profiles, once.profiles);
  assert.equal(once.memberName, 'same');
});

test('identical rows (two short plays in the same minute) stay two views with distinct ids', () => {
  const row = 'P,2021-01-14 5:26,0:00:03,,Run On: Season 1: Episode 8,,Chrome,0:00:03,Not latest view,CA (Canada)';
  const text = `Profile Name,Start Time,Duration,Attributes,Title,Supplemental Video Type,Device Type,Bookmark,Latest Bookmark,Country\n${row}\n${row}\n`;
  const summary = importViewingActivityText(text, { member: 'm' });
  assert.equal(new Set(summary.events.map((e) => e.eventId)).size, 4);
  assert.deepEqual(importViewingActivityText(text, { member: 'm' }).events, summary.events);
});

test('the member name defaults to the file name without extension', async () => {
  const summary = await importViewingActivity(fixture('profile-names.csv').pathname);
  assert.equal(summary.memberName, 'profile-names');
  assert.ok(summary.profiles.every((p) => p.memberId === summary.memberId));
});

test('a file without the required columns or without a header stops with a code', () => {
  assert.throws(() => readViewingActivityText('Name,When\nx,y\n', { member: 'm' }), { code: 'BINGE_NETFLIX_MISSING_COLUMN' });
  assert.throws(() => readViewingActivityText('', { member: 'm' }), { code: 'BINGE_NETFLIX_EMPTY_FILE' });
  assert.throws(() => readViewingActivityText('Title,Title,Duration,Start Time,Profile Name\n', { member: 'm' }), {
    code: 'BINGE_NETFLIX_DUPLICATE_COLUMN',
  });
});
