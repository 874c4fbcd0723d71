// The Netflix ViewingActivity.csv importer: what the store and the CLI use.
export { readViewingActivity, readViewingActivityBatches, readViewingActivityText, memberNameOf } from './read.js';
export type { ReadOptions, ViewingActivityInput } from './read.js';
export { importViewingActivity, importViewingActivityText, NetflixImportSummary } from './summary.js';
export type { NetflixImport, ProfileTotals, SummaryOptions } from './summary.js';
export { ViewingActivityParser, titleRecordOf, memberIdOf, SUPPLEMENTAL_TYPE_NAMES, FALLBACK_COUNTRY } from './parse.js';
export type { NetflixRowResult, NetflixViewingRow, NetflixImportOptions } from './parse.js';
export { NetflixFileError, FILE_ERROR_CODES, ROW_ERROR_CODES } from './errors.js';
export type { NetflixSkip, FileErrorCode, RowErrorCode } from './errors.js';
export { writeSyntheticViewingActivity, syntheticViewingActivityLines } from './synthetic.js';
export type { SyntheticOptions } from './synthetic.js';
export { splitTitle } from './title-parts.js';
export type { TitleParts } from './title-parts.js';
