import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAttributes } from './attributes.js';

test('"Autoplayed: user action: None;" is an autoplay nobody touched', () => {
  assert.deepEqual(parseAttributes('Autoplayed: user action: None; '), { autoplayed: true, userAction: 'none', branched: false, hidden: false, other: [] });
});

test('user actions map to interaction, visibility_timeout, and none for Unspecified', () => {
  assert.equal(parseAttributes('Autoplayed: user action: User_Interaction; ').userAction, 'interaction');
  assert.equal(parseAttributes('Autoplayed: user action: Visibility_Timeout; ').userAction, 'visibility_timeout');
  assert.equal(parseAttributes('Autoplayed: user action: Unspecified; ').userAction, 'none');
  const manual = parseAttributes('user action: User_Interaction; ');
  assert.deepEqual([manual.autoplayed, manual.userAction], [false, 'interaction']);
});

test('a view neither autoplayed nor marked was started by the member: interaction', () => {
  assert.deepEqual([parseAttributes('').autoplayed, parseAttributes('').userAction], [false, 'interaction']);
});

test('branched playback and hidden views are flags; unknown tokens are kept, not rejected', () => {
  const a = parseAttributes('Has branched playback; Autoplayed: user action: Unspecified; View was hidden; Downloaded; ');
  assert.deepEqual(a, { autoplayed: true, userAction: 'none', branched: true, hidden: true, other: ['Downloaded'] });
});
