import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectStartTimeFormat, parseClockSeconds, parseStartTime } from './timestamps.js';

test('Start Time is read as UTC in each of the formats Netflix writes', () => {
  assert.equal(parseStartTime('2022-09-27 21:16:43', 'YYYY-MM-DD H:MM:SS'), Date.UTC(2022, 8, 27, 21, 16, 43));
  assert.equal(parseStartTime('2023-08-24 9:07', 'YYYY-MM-DD H:MM'), Date.UTC(2023, 7, 24, 9, 7));
  assert.equal(parseStartTime('7/28/2022 4:22', 'M/D/YYYY H:MM'), Date.UTC(2022, 6, 28, 4, 22));
  assert.equal(parseStartTime('12/1/2022 16:05:09', 'M/D/YYYY H:MM:SS'), Date.UTC(2022, 11, 1, 16, 5, 9));
});

test('a Start Time in another format than the one asked for, or not a real instant, is null', () => {
  assert.equal(parseStartTime('7/28/2022 4:22', 'YYYY-MM-DD H:MM:SS'), null);
  assert.equal(parseStartTime('2023-08-24 9:07', 'YYYY-MM-DD H:MM:SS'), null);
  assert.equal(parseStartTime('2022-02-29 10:00:00', 'YYYY-MM-DD H:MM:SS'), null);
  assert.equal(parseStartTime('2024-02-29 10:00:00', 'YYYY-MM-DD H:MM:SS'), Date.UTC(2024, 1, 29, 10));
  assert.equal(parseStartTime('13/1/2022 4:22', 'M/D/YYYY H:MM'), null, 'no month 13: D/M/YYYY is not guessed');
  assert.equal(parseStartTime('2022-01-01 24:00:00', 'YYYY-MM-DD H:MM:SS'), null);
  assert.equal(parseStartTime('2022-01-01 10:00:00Z', 'YYYY-MM-DD H:MM:SS'), null);
});

test('the file format is the one most of the first rows match, whatever the first row says', () => {
  assert.equal(detectStartTimeFormat(['7/26/2022 4:22', '2022-07-28 04:22:00', '2022-07-27 04:22:00']), 'YYYY-MM-DD H:MM:SS');
  assert.equal(detectStartTimeFormat(['2023-08-24 9:07', '2023-08-24 10:07']), 'YYYY-MM-DD H:MM');
  assert.equal(detectStartTimeFormat(['garbage', '']), null);
});

test('Duration and Bookmark are H:MM:SS with hours past 24 allowed', () => {
  assert.equal(parseClockSeconds('0:04:30'), 270);
  assert.equal(parseClockSeconds('02:09:10'), 2 * 3600 + 9 * 60 + 10);
  assert.equal(parseClockSeconds('25:03:11'), 25 * 3600 + 3 * 60 + 11);
  assert.equal(parseClockSeconds(' 00:00:13 '), 13);
  for (const bad of ['', '4:30', '0:60:00', '0:4:30', 'a:00:00', '1:00:00:00', '-1:00:00', '1234567:00:00']) {
    assert.equal(parseClockSeconds(bad), null, bad);
  }
});
