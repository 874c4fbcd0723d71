// Columns are found by header name, whatever their order, case or spacing ("Start Time",
// "start_time" and "STARTTIME" are one column). Columns binge does not know are ignored.

import { NetflixFileError } from './errors.js';

export const COLUMNS = {
  profileName: 'Profile Name',
  startTime: 'Start Time',
  duration: 'Duration',
  attributes: 'Attributes',
  title: 'Title',
  supplementalVideoType: 'Supplemental Video Type',
  deviceType: 'Device Type',
  bookmark: 'Bookmark',
  latestBookmark: 'Latest Bookmark',
  country: 'Country',
} as const;

export type ColumnKey = keyof typeof COLUMNS;

/** Without these a row cannot become a view; the others have documented defaults. */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = ['profileName', 'startTime', 'duration', 'title'];

/** Field index per known column; -1 when the file does not have it. */
export type ColumnIndex = Record<ColumnKey, number>;

export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const KEY_OF_HEADER = new Map<string, ColumnKey>(
  (Object.entries(COLUMNS) as [ColumnKey, string][]).map(([key, header]) => [headerKey(header), key]),
);

export function indexColumns(header: readonly string[]): ColumnIndex {
  // A literal with every key keeps one hidden class: the row loop reads these ten times a row.
  const index: ColumnIndex = {
    profileName: -1,
    startTime: -1,
    duration: -1,
    attributes: -1,
    title: -1,
    supplementalVideoType: -1,
    deviceType: -1,
    bookmark: -1,
    latestBookmark: -1,
    country: -1,
  };
  header.forEach((name, i) => {
    const key = KEY_OF_HEADER.get(headerKey(name));
    if (key === undefined) return;
    if (index[key] !== -1) {
      throw new NetflixFileError(
        'BINGE_NETFLIX_DUPLICATE_COLUMN',
        `line 1: the column "${COLUMNS[key]}" appears twice in the header; keep one and re-run the import`,
      );
    }
    index[key] = i;
  });
  const missing = REQUIRED_COLUMNS.filter((key) => index[key] === -1).map((key) => `"${COLUMNS[key]}"`);
  if (missing.length > 0) {
    throw new NetflixFileError(
      'BINGE_NETFLIX_MISSING_COLUMN',
      `line 1: the header has no ${missing.join(', ')} column; is this Netflix's ViewingActivity.csv ` +
        `(found: ${header.map((h) => `"${h}"`).join(', ')})?`,
    );
  }
  return index;
}
