import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FILE_ERROR_CODES, ROW_ERROR_CODES } from './errors.js';

test('README.md lists every error code of the importer', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  for (const code of [...FILE_ERROR_CODES, ...ROW_ERROR_CODES]) assert.ok(readme.includes(code), `${code} missing from README.md`);
});
