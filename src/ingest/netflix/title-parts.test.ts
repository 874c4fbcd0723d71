import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitTitle } from './title-parts.js';

test('a season marker after the series splits series, season and episode name', () => {
  assert.deepEqual(splitTitle('The Office (U.S.): Season 5: Baby Shower (Episode 4)'), {
    series: 'The Office (U.S.)',
    season: 5,
    episodeName: 'Baby Shower (Episode 4)',
    episode: 4,
  });
  assert.deepEqual(splitTitle('Maniac: Limited Series: The Chosen One! (Episode 1)')?.season, 'Limited Series');
  assert.deepEqual(splitTitle('Inside Job: Part 1: Blue Bloods (Episode 3)')?.season, 'Part 1');
  assert.deepEqual(splitTitle('Patriot Act with Hasan Minhaj: Volume 6: Why Doing Taxes Is So Hard (Episode 8)')?.season, 'Volume 6');
  assert.deepEqual(splitTitle('Off Camera: Series 3: Dax Shephard (Episode 11)')?.season, 3);
  assert.deepEqual(splitTitle('Der Kastanienmann: Staffel 1: Folge 6 (Folge 6)'), {
    series: 'Der Kastanienmann',
    season: 1,
    episodeName: 'Folge 6 (Folge 6)',
    episode: 6,
  });
  assert.deepEqual(splitTitle('Haus des Geldes: Teil 1: Folge 5 (Folge 5)')?.season, 'Teil 1');
});

test('a series name that holds colons stays whole up to the season marker', () => {
  const parts = splitTitle("Avatar: The Last Airbender: Book 3: Sozin's Comet: Part 4: Avatar Aang (Episode 21)");
  assert.deepEqual(parts, { series: 'Avatar: The Last Airbender', season: 'Book 3', episodeName: "Sozin's Comet: Part 4: Avatar Aang (Episode 21)", episode: 21 });
  assert.equal(splitTitle('The Legend of Korra: Book One: Air: Skeletons in the Closet (Episode 11)')?.series, 'The Legend of Korra');
});

test('without a marker, an episode number at the end makes it an episode of the first part', () => {
  assert.deepEqual(splitTitle('ONE PIECE: East Blue: Episode 61'), { series: 'ONE PIECE', season: 'East Blue', episodeName: 'Episode 61', episode: 61 });
  assert.deepEqual(splitTitle('Stranger Things: Stranger Things 4: Chapter Nine: The Piggyback (Episode 9)'), {
    series: 'Stranger Things',
    season: 'Stranger Things 4',
    episodeName: 'Chapter Nine: The Piggyback (Episode 9)',
    episode: 9,
  });
  assert.deepEqual(splitTitle('Dark: Secrets (Episode 2)'), { series: 'Dark', episodeName: 'Secrets (Episode 2)', episode: 2 });
});

test('films with colons and titles without evidence stay whole', () => {
  for (const film of [
    'Star Wars: Episode VIII: The Last Jedi',
    'Glass Onion: A Knives Out Mystery',
    'Harry Potter and the Deathly Hallows: Part 1',
    'Kill Bill: Vol. 1',
    'Lupin the 3rd: The Castle of Cagliostro: Special Edition',
    'Roma',
    ': Season 1: Nameless',
  ]) {
    assert.equal(splitTitle(film), null, film);
  }
});
