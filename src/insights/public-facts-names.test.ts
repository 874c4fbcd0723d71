// Released counts about a title or a series carry the catalogue's name (public data, added after
// the noise): what factGroupName gives for each kind of fact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Catalogue } from '../domain/catalogue.js';
import { factGroupName } from './public-facts.js';

const catalogue = new Catalogue([
  { titleId: 'film-1', kind: 'movie', name: 'A Christmas Prince', runtimeS: 5_520 },
  { titleId: 'crown-s1e1', kind: 'episode', name: 'Wolferton Splash', runtimeS: 3_420, seriesId: 'crown', seriesName: 'The Crown', season: 1, episode: 1 },
  { titleId: 'crown-s1e2', kind: 'episode', name: 'Hyde Park Corner', runtimeS: 3_540, seriesId: 'crown', seriesName: 'The Crown', season: 1, episode: 2 },
]);

test('a title is named by its name, a series (streaks, every day, racers) by its series name', () => {
  assert.equal(factGroupName({ fact: 'every-day', scope: 'title', id: 'film-1' }, catalogue), 'A Christmas Prince');
  assert.equal(factGroupName({ fact: 'streak', scope: 'title', id: 'crown-s1e2', days: 7 }, catalogue), 'Hyde Park Corner');
  assert.equal(factGroupName({ fact: 'streak', scope: 'series', id: 'crown', days: 7 }, catalogue), 'The Crown');
  assert.equal(factGroupName({ fact: 'every-day', scope: 'series', id: 'crown' }, catalogue), 'The Crown');
  assert.equal(factGroupName({ fact: 'racers', series: 'crown', season: '1' }, catalogue), 'The Crown');
});

test('countries and ids the catalogue does not know have no name', () => {
  assert.equal(factGroupName({ fact: 'country-active', country: 'MX' }, catalogue), undefined);
  assert.equal(factGroupName({ fact: 'country-daily', country: 'MX' }, catalogue), undefined);
  assert.equal(factGroupName({ fact: 'every-day', scope: 'title', id: 'nowhere' }, catalogue), undefined);
  assert.equal(factGroupName({ fact: 'racers', series: 'nowhere', season: '1' }, catalogue), undefined);
});
