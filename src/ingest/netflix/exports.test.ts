// The five real exports of ../shared/data/netflix-exports. Expected numbers were computed
// independently of this code, with python3's csv module:
//   rows = list(csv.DictReader(open(f, encoding='utf-8-sig', newline='')))
//   per profile: rows, sum of Duration as h*3600+m*60+s (all rows), the same without rows whose
//   "Supplemental Video Type" is non-empty, and the count of those rows.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { importViewingActivity } from './summary.js';

const EXPORTS = fileURLToPath(new URL('../../../../shared/data/netflix-exports/', import.meta.url));
const absent = existsSync(EXPORTS) ? false : `shared exports not found at ${EXPORTS}: skipped`;

type Totals = Record<string, [rows: number, durationS: number, viewingS: number, supplementalRows: number]>;
interface Expected {
  rows: number;
  supplementalRows: number;
  totals: Totals;
}

const EXPECTED: Record<string, Expected> = {
  'office-binge.csv': {
    rows: 14439,
    supplementalRows: 1823,
    totals: {
      'Profile 1': [4507, 3660373, 3654332, 328],
      'Profile 2': [422, 543301, 543301, 0],
      'Profile 3': [3868, 3493455, 3476636, 1034],
      'Profile 4': [5241, 3386177, 3378406, 445],
      'Profile 5': [401, 364375, 364027, 16],
    },
  },
  'reordered-columns.csv': {
    rows: 870,
    supplementalRows: 380,
    totals: { 'Profile 1': [674, 716683, 709507, 238], 'Profile 2': [196, 122696, 118662, 142] },
  },
  'us-date-format.csv': {
    rows: 387,
    supplementalRows: 11,
    totals: {
      'Profile 1': [66, 75503, 75319, 11],
      'Profile 2': [117, 245615, 245615, 0],
      'Profile 3': [164, 367465, 367465, 0],
      'Profile 4': [40, 100410, 100410, 0],
    },
  },
  'germany-family.csv': {
    rows: 167,
    supplementalRows: 44,
    totals: {
      'Profile 1': [19, 13983, 13830, 15],
      'Profile 2': [22, 39822, 39797, 4],
      'Profile 3': [40, 41684, 41503, 11],
      'Profile 4': [31, 17618, 17606, 2],
      'Profile 5': [55, 82297, 81792, 12],
    },
  },
  'trailers-and-hooks.csv': {
    rows: 614,
    supplementalRows: 321,
    totals: { 'Profile 1': [600, 338886, 330319, 315], 'Profile 2': [11, 6220, 6168, 5], 'Profile 3': [3, 850, 728, 1] },
  },
};

for (const [file, expected] of Object.entries(EXPECTED)) {
  test(`${file}: every row imports, with the profiles, supplemental rows and Duration totals counted by hand`, { skip: absent }, async () => {
    const result = await importViewingActivity(EXPORTS + file);
    assert.deepEqual(result.skipped, []);
    assert.equal(result.rows, expected.rows);
    assert.equal(result.imported, expected.rows);
    assert.equal(result.profiles.length, Object.keys(expected.totals).length);
    assert.equal(result.totals.reduce((n, t) => n + t.supplementalRows, 0), expected.supplementalRows);
    const totals = Object.fromEntries(result.totals.map((t) => [t.name, [t.rows, t.durationS, t.viewingS, t.supplementalRows]]));
    assert.deepEqual(totals, expected.totals);
    assert.equal(new Set(result.events.map((e) => e.eventId)).size, 2 * expected.rows, 'every event id is distinct');
  });
}

test('us-date-format.csv: local days are New York days (python zoneinfo: 143 days, 4 rows on 2019-03-16)', { skip: absent }, async () => {
  const perDay = new Map<string, number>();
  const { readViewingActivity } = await import('./read.js');
  for await (const result of readViewingActivity(EXPORTS + 'us-date-format.csv')) {
    assert.ok(result.ok);
    perDay.set(result.row.day, (perDay.get(result.row.day) ?? 0) + 1);
  }
  assert.equal(perDay.size, 143);
  assert.equal(perDay.get('2019-03-16'), 4);
  assert.equal(perDay.get('2019-03-17'), 1);
});

test('office-binge.csv: Start Time without seconds is one format for the whole file, and The Office splits into seasons', { skip: absent }, async () => {
  const result = await importViewingActivity(EXPORTS + 'office-binge.csv');
  const office = result.titles.filter((t) => t.seriesName === 'The Office (U.S.)');
  assert.ok(office.length > 100);
  assert.ok(office.every((t) => t.kind === 'episode' && typeof t.season === 'number' && t.season >= 1 && t.season <= 9));
});
