import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import { countryHabits } from './country-habits.js';
import { movie, plusDays, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const film = movie('film');
const titleOf = titleLookup([film]);
const period = { fromDay: '2024-04-01', toDay: '2024-04-10' }; // 10 days

function onDays(days: number[], minutes: number, profileId = 'p') {
  return days.map((d) => viewOf(film, `${plusDays('2024-04-01', d)}T20:00`, minutes, { profileId }));
}

test('a member viewing on 9 of 10 days has the daily habit; on 8 of 10 does not', () => {
  const members = [
    { memberId: 'a', country: 'FR', views: onDays([0, 1, 2, 3, 4, 5, 6, 7, 8], 60) },
    { memberId: 'b', country: 'FR', views: onDays([0, 1, 2, 3, 4, 5, 6, 7], 60) },
  ];
  const [fr] = countryHabits(members, titleOf, defs, period);
  assert.equal(fr.activeMembers, 2);
  assert.equal(fr.dailyMembers, 1);
  assert.equal(fr.dailyShare, 0.5);
  assert.equal(fr.meanMinutesPerMemberPerDay, ((9 + 8) * 60) / (2 * 10));
});

test('members who did not view in the period are not active; views outside the period do not count', () => {
  const members = [
    { memberId: 'a', country: 'JP', views: onDays([0], 30) },
    { memberId: 'idle', country: 'JP', views: onDays([20], 30) },
  ];
  const [jp] = countryHabits(members, titleOf, defs, period);
  assert.equal(jp.activeMembers, 1);
  assert.equal(jp.meanMinutesPerMemberPerDay, 3);
});

test('a member viewing on every day through two profiles counts once, with both profiles minutes', () => {
  const views = [...onDays([0, 2, 4, 6, 8], 10, 'kid'), ...onDays([1, 3, 5, 7, 9], 10, 'parent')];
  const [us] = countryHabits([{ memberId: 'm', country: 'US', views }], titleOf, defs, period);
  assert.deepEqual([us.activeMembers, us.dailyMembers, us.meanMinutesPerMemberPerDay], [1, 1, 10]);
});

test('days under 5 minutes do not count as viewed days but their minutes count', () => {
  const [de] = countryHabits([{ memberId: 'm', country: 'DE', views: onDays([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4) }], titleOf, defs, period);
  assert.equal(de, undefined); // never a viewing day: not active
  const mixed = [...onDays([0], 10), ...onDays([1, 2, 3, 4, 5, 6, 7, 8, 9], 4)];
  const [de2] = countryHabits([{ memberId: 'm', country: 'DE', views: mixed }], titleOf, defs, period);
  assert.deepEqual([de2.activeMembers, de2.dailyMembers, de2.meanMinutesPerMemberPerDay], [1, 0, 4.6]);
});
