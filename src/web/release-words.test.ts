// The words the analyst page uses for a release (app/release.ts): pure functions of the API's answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costNotice, describeGroup, formatNumber } from './app/release.js';

test('before asking, the page says what a new question spends and what would be left', () => {
  const notice = costNotice(2025, { epsilon: 1, spent: 0.3, remaining: 0.7 }, 0.5);
  assert.equal(notice.overBudget, false);
  assert.equal(notice.text, 'Asking spends epsilon 0.5 of the 0.7 left of the 2025 budget (1), leaving 0.2. The same question asked again on the same data spends nothing.');
});

test('a question over what is left is announced as one the API will refuse', () => {
  const notice = costNotice(2025, { epsilon: 1, spent: 0.7, remaining: 0.3 }, 0.4);
  assert.equal(notice.overBudget, true);
  assert.match(notice.text, /more than the 0\.3 left of the 2025 budget \(1\): the API will refuse it/);
  assert.equal(costNotice(2025, { epsilon: 1, spent: 0.7, remaining: 0.3 }, 0.3).overBudget, false, 'exactly what is left may be spent');
});

test('numbers are written without float noise, and each group says what it counts', () => {
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(1e-6), '0.000001');
  assert.equal(describeGroup({ fact: 'country-active', country: 'MX' }), 'MX');
  assert.equal(describeGroup({ fact: 'streak', scope: 'series', id: 'sA', days: 7 }), '7-day streak on series sA');
  assert.equal(describeGroup({ fact: 'racers', series: 'sB', season: '1' }), 'series sB, season 1');
  // With the catalogue's name the API gives, the name stands for the id.
  assert.equal(describeGroup({ fact: 'streak', scope: 'series', id: 'sA', days: 7 }, 'The Crown'), '7-day streak on series "The Crown"');
  assert.equal(describeGroup({ fact: 'every-day', scope: 'title', id: 't1' }, 'A Christmas Prince'), 'every day: title "A Christmas Prince"');
  assert.equal(describeGroup({ fact: 'racers', series: 'sB', season: '1' }, 'Dark'), 'series "Dark", season 1');
});
