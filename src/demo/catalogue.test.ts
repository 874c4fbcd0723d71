import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUPPLEMENTAL_TYPES } from '../domain/model.js';
import { buildCatalogue } from './catalogue.js';
import { parseDemoOptions, periodOf } from './options.js';

const period = periodOf(parseDemoOptions({}));
const catalogue = buildCatalogue('binge', period);
const { landmarks } = catalogue;

test('the same seed gives an identical catalogue; another seed a different one', () => {
  assert.deepEqual(buildCatalogue('binge', period).titles, catalogue.titles);
  assert.notDeepEqual(buildCatalogue('other', period).titles, catalogue.titles);
});

test('title ids are unique', () => {
  assert.equal(new Set(catalogue.titles.map((t) => t.titleId)).size, catalogue.titles.length);
});

test('the office-like comedy has at least 201 episodes of about 22 minutes over 9 seasons', () => {
  const office = landmarks.officeSeries;
  assert.equal(office.name, 'The Office Park');
  assert.ok(office.episodes.length >= 201);
  assert.equal(new Set(office.episodes.map((e) => e.season)).size, 9);
  for (const e of office.episodes) assert.ok(e.runtimeS! >= 21 * 60 && e.runtimeS! <= 23 * 60);
});

test('episodes run 20 to 60 minutes, in season and episode order, with credits before the end', () => {
  for (const s of catalogue.series) {
    s.episodes.forEach((e, i) => {
      assert.ok(e.runtimeS! >= 20 * 60 && e.runtimeS! <= 60 * 60, e.titleId);
      assert.ok(e.creditsAtS! < e.runtimeS! && e.creditsAtS! >= 0.9 * e.runtimeS!, e.titleId);
      if (i > 0) {
        const p = s.episodes[i - 1];
        assert.ok((e.season as number) > (p.season as number) || e.episode! === p.episode! + 1);
      }
    });
  }
});

test('one season is released inside the period, so binge racers can exist', () => {
  const season = landmarks.racerSeries.episodes.filter((e) => e.season === landmarks.racerSeason);
  assert.ok(season.length > 0);
  for (const e of season) assert.equal(e.releasedAtMs, landmarks.racerReleaseMs);
  assert.ok(landmarks.racerReleaseMs > period.firstDayNumber * 86_400_000);
  assert.ok(landmarks.racerReleaseMs < (period.lastDayNumber + 1) * 86_400_000);
});

test('there is a Christmas film, a pirate franchise and a shop loop film', () => {
  assert.equal(landmarks.christmasFilm.kind, 'movie');
  assert.ok(landmarks.christmasFilm.genres!.includes('holiday'));
  assert.ok(landmarks.pirateFilms.length >= 3);
  for (const f of landmarks.pirateFilms) assert.ok(f.name.startsWith('Black Tide Corsairs'));
  assert.equal(landmarks.shopLoop.kind, 'movie');
});

test('every supplemental type exists and each supplemental video is tied to a catalogue title', () => {
  const types = new Set(catalogue.titles.filter((t) => t.kind === 'supplemental').map((t) => t.supplementalType));
  for (const type of SUPPLEMENTAL_TYPES) assert.ok(types.has(type), type);
  const parents = new Set([...catalogue.series.map((s) => s.seriesId), ...catalogue.films.map((f) => f.titleId)]);
  for (const [parent, videos] of catalogue.supplementsOf) {
    assert.ok(parents.has(parent));
    for (const v of videos) assert.ok(v.kind === 'supplemental' && v.runtimeS! <= 300 && v.titleId.startsWith(parent));
  }
});

test('every title has genres except supplemental videos, and a release instant', () => {
  for (const t of catalogue.titles) {
    assert.ok(typeof t.releasedAtMs === 'number', t.titleId);
    if (t.kind !== 'supplemental') assert.ok(t.genres && t.genres.length > 0, t.titleId);
  }
});
