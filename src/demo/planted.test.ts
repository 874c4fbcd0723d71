import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { PlaybackEvent } from '../domain/model.js';
import { isoToDayNumber } from '../domain/time.js';
import { CHRISTMAS_DAYS, CHRISTMAS_PROFILES, OFFICE_EPISODES } from './planted.js';
import { generatePopulation } from './population.js';
import { playingSecondsByDay, playingSecondsByProfileDay, summarizePlaybacks } from './test-support.js';

// The full default year with the minimum population for every case; heartbeats every 10 minutes
// keep the test fast (the cases do not depend on the heartbeat interval).
const population = generatePopulation({ members: 60, heartbeatS: 600 });
const { planted } = population;
const events: PlaybackEvent[] = [...population.events()];
const playbacks = [...summarizePlaybacks(events).values()];
const playing = playingSecondsByProfileDay(events);
const HOUR_S = 3600;

const playingByTitle = playingSecondsByDay(events, (e) => `${e.profileId}|${e.titleId}`);

/** Local days on which a profile played a title for at least minS. */
function daysWatched(profileId: string, titleId: string, minS: number): string[] {
  const seconds = playingByTitle.get(`${profileId}|${titleId}`) ?? new Map<string, number>();
  return [...seconds].filter(([, s]) => s >= minS).map(([day]) => day).sort();
}

const consecutive = (days: string[]): boolean => days.every((d, i) => i === 0 || isoToDayNumber(d) === isoToDayNumber(days[i - 1]) + 1);

test('53 profiles watch the Christmas film every local day for exactly 18 days ending on Christmas Day', () => {
  const xmas = planted.christmas!;
  assert.equal(xmas.profileIds.length, CHRISTMAS_PROFILES);
  assert.equal(xmas.window.lastDay, '2025-12-25');
  for (const profileId of xmas.profileIds) {
    const days = daysWatched(profileId, xmas.titleId, DEFAULT_DEFINITIONS.streakMinS);
    assert.equal(days.length, CHRISTMAS_DAYS, profileId);
    assert.ok(consecutive(days), profileId);
    assert.equal(days[0], xmas.window.firstDay);
    assert.equal(days.at(-1), xmas.window.lastDay);
    // Not on any other day either, so the streak is exactly 18 days.
    assert.ok(playbacks.filter((p) => p.profileId === profileId && p.titleId === xmas.titleId).every((p) => days.includes(p.startDay)));
  }
});

test('one profile completes 188 distinct office episodes in 7 local days, about 9.9 h a day and never over 20 h', () => {
  const office = planted.officeWeek!;
  const byId = population.catalogueIndex.byId;
  const completed = new Set<string>();
  for (const p of playbacks) {
    if (p.profileId !== office.profileId) continue;
    const t = byId.get(p.titleId)!;
    if (t.seriesId !== office.seriesId) continue;
    assert.ok(p.startDay >= office.window.firstDay && p.startDay <= office.window.lastDay, `office episode outside the week: ${p.startDay}`);
    if (p.furthestS >= DEFAULT_DEFINITIONS.completeAt * t.runtimeS!) completed.add(p.titleId);
  }
  assert.equal(completed.size, OFFICE_EPISODES);
  const days = playing.get(office.profileId)!;
  let total = 0;
  for (let d = office.window.firstDayNumber; d <= office.window.lastDayNumber; d++) {
    const iso = new Date(d * 86_400_000).toISOString().slice(0, 10);
    const hours = (days.get(iso) ?? 0) / HOUR_S;
    assert.ok(hours > 8 && hours <= 20, `${iso}: ${hours} h`);
    total += hours;
  }
  assert.ok(Math.abs(total / 7 - 9.9) < 0.5, `${total / 7} h a day`);
});

test('one profile watches the same pirate film on every local day of the calendar year', () => {
  const pirate = planted.pirateYear!;
  assert.equal(pirate.calendarYear, 2025);
  const days = daysWatched(pirate.profileId, pirate.titleId, DEFAULT_DEFINITIONS.streakMinS);
  assert.equal(days.length, 365);
  assert.ok(consecutive(days));
  assert.equal(days[0], '2025-01-01');
  assert.equal(days.at(-1), '2025-12-31');
});

test('the shop screen loops one title more than 20 h a day on most days: not a person', () => {
  const shop = planted.shopScreen!;
  assert.deepEqual(planted.notAPersonProfileIds, [shop.profileId]);
  const hours = [...playing.get(shop.profileId)!.values()].map((s) => s / HOUR_S);
  const over = hours.filter((h) => h > DEFAULT_DEFINITIONS.notAPersonDayH).length;
  assert.ok(over >= 200, `${over} days over 20 h`);
  const shopPlaybacks = playbacks.filter((p) => p.profileId === shop.profileId);
  assert.ok(shopPlaybacks.every((p) => p.titleId === shop.titleId));
  assert.ok(shopPlaybacks.length / 365 >= DEFAULT_DEFINITIONS.loopViewsPerDay * 2);
  assert.ok(events.filter((e) => e.profileId === shop.profileId).every((e) => e.deviceId === shop.deviceId));
});

test('binge racers complete every episode of the new season within 24 h of its release', () => {
  const racers = planted.bingeRacers;
  assert.ok(racers.profileIds.length >= 1);
  const season = population.catalogueIndex.landmarks.racerSeries.episodes.filter((e) => e.season === racers.season);
  for (const profileId of racers.profileIds) {
    for (const ep of season) {
      const done = playbacks.some(
        (p) =>
          p.profileId === profileId &&
          p.titleId === ep.titleId &&
          p.endMs <= racers.releasedAtMs + DEFAULT_DEFINITIONS.racerWindowH * HOUR_S * 1000 &&
          p.furthestS >= DEFAULT_DEFINITIONS.completeAt * ep.runtimeS!,
      );
      assert.ok(done, `${profileId} ${ep.titleId}`);
    }
  }
});

test('planted profiles are people otherwise: under 20 h every local day', () => {
  const people = [planted.officeWeek!.profileId, planted.pirateYear!.profileId, ...planted.christmas!.profileIds];
  for (const id of people) {
    for (const [day, s] of playing.get(id)!) assert.ok(s <= DEFAULT_DEFINITIONS.notAPersonDayH * HOUR_S, `${id} ${day}`);
  }
});

test('with fewer members the cases that fit are planted; without plantCases none are', () => {
  const small = generatePopulation({ members: 9, fromDay: '2025-12-01', toDay: '2025-12-31', heartbeatS: 600 });
  assert.deepEqual(small.planted.christmas!.profileIds, ['m000007-p1', 'm000008-p1']);
  assert.equal(small.planted.officeWeek!.profileId, 'm000004-p1');
  assert.equal(small.planted.pirateYear!.calendarYear, null); // no full calendar year: the whole period
  assert.equal(small.planted.shopScreen!.profileId, 'm000006-p1');
  const tiny = generatePopulation({ members: 4, fromDay: '2025-12-01', toDay: '2025-12-10' });
  assert.equal(tiny.planted.christmas, null);
  assert.equal(tiny.planted.officeWeek, null);
  assert.equal(tiny.planted.shopScreen, null);
  const none = generatePopulation({ members: 60, fromDay: '2025-12-01', toDay: '2025-12-31', plantCases: false });
  assert.equal(none.planted.christmas, null);
  assert.equal(none.planted.pirateYear, null);
  assert.deepEqual(none.planted.notAPersonProfileIds, []);
  assert.deepEqual(none.planted.bingeRacers.profileIds, []);
});
