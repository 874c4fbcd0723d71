// Codes of the Netflix importer. A file-level problem throws NetflixFileError and stops the
// import; a row-level problem skips that row with a NetflixSkip and the import goes on.
// README.md lists every code (a test checks it).

export const FILE_ERROR_CODES = [
  'BINGE_NETFLIX_EMPTY_FILE',
  'BINGE_NETFLIX_MISSING_COLUMN',
  'BINGE_NETFLIX_DUPLICATE_COLUMN',
  'BINGE_NETFLIX_NO_MEMBER',
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export const ROW_ERROR_CODES = [
  'BINGE_NETFLIX_FIELD_COUNT',
  'BINGE_NETFLIX_BAD_QUOTES',
  'BINGE_NETFLIX_BAD_START_TIME',
  'BINGE_NETFLIX_BAD_DURATION',
  'BINGE_NETFLIX_BAD_BOOKMARK',
  'BINGE_NETFLIX_BLANK_PROFILE',
  'BINGE_NETFLIX_BLANK_TITLE',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

/** A row that was not imported: where it is, and what to do about it. */
export interface NetflixSkip {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  code: RowErrorCode;
  reason: string;
}

export class NetflixFileError extends Error {
  readonly code: FileErrorCode;
  constructor(code: FileErrorCode, message: string) {
    super(message);
    this.name = 'NetflixFileError';
    this.code = code;
  }
}
