import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import { PLAYBACK_EVENT_TYPES, type PlaybackEvent, USER_ACTIONS } from '../domain/model.js';
import { effectiveOffsetMin, isoToDayNumber, localDayNumber, localHour, zoneOffsetMin, zoneOfCountry } from '../domain/time.js';
import { generatePopulation } from './population.js';
import { eventLocalDay, playingSecondsByProfileDay, summarizePlaybacks } from './test-support.js';

// A small population over 30 days that spans the spring daylight-saving switches.
const SMALL = { members: 80, fromDay: '2025-03-10', toDay: '2025-04-08', seed: 'test' } as const;
const population = generatePopulation(SMALL);
// Around the US switch to summer time (9 March 2025) every offset is checked.
const SWITCHES_FROM = Date.parse('2025-03-08T00:00:00Z');
const SWITCHES_TO = Date.parse('2025-03-11T00:00:00Z');
const events: PlaybackEvent[] = [...population.events()];
const playbacks = summarizePlaybacks(events);

function firstEvents(options: Parameters<typeof generatePopulation>[0], n: number): PlaybackEvent[] {
  const out: PlaybackEvent[] = [];
  for (const e of generatePopulation(options).events()) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

test('the same seed and options give byte-identical events, catalogue and households', () => {
  const again = generatePopulation(SMALL);
  assert.equal(JSON.stringify(firstEvents(SMALL, 20_000)), JSON.stringify(events.slice(0, 20_000)));
  assert.equal(JSON.stringify(again.catalogue), JSON.stringify(population.catalogue));
  assert.deepEqual(again.members, population.members);
  assert.deepEqual(again.profiles, population.profiles);
  assert.deepEqual(again.devices, population.devices);
});

test('a different seed gives different events', () => {
  const other = firstEvents({ ...SMALL, seed: 'other' }, 1000);
  assert.notDeepEqual(
    other.map((e) => [e.titleId, e.atMs]),
    events.slice(0, 1000).map((e) => [e.titleId, e.atMs]),
  );
});

test('a member generates the same events whatever range it is generated in', () => {
  const alone = [...population.events({ fromMember: 3, toMember: 4 })];
  const inFull = events.filter((e) => e.profileId.startsWith('m000003-'));
  assert.ok(alone.length > 0);
  assert.deepEqual(alone, inFull);
});

test('batches hold about batchSize events and flatten to the same events', () => {
  const p = generatePopulation({ ...SMALL, members: 6, batchSize: 500 });
  const batches = [...p.eventBatches()];
  assert.ok(batches.length > 2);
  for (const b of batches.slice(0, -1)) assert.ok(b.length >= 500 && b.length < 500 + 2_000);
  assert.deepEqual(batches.flat(), [...p.events()]);
});

test('events are well formed: known types and actions, positions within the runtime, inside the period', () => {
  const titles = population.catalogueIndex.byId;
  const profiles = new Map(population.profiles.map((p) => [p.profileId, p]));
  const devices = new Map(population.devices.map((d) => [d.deviceId, d]));
  const members = new Map(population.members.map((m) => [m.memberId, m]));
  const ids = new Set<string>();
  const firstDay = isoToDayNumber(SMALL.fromDay);
  const lastDay = isoToDayNumber(SMALL.toDay);
  for (const e of events) {
    assert.ok((PLAYBACK_EVENT_TYPES as readonly string[]).includes(e.type));
    assert.ok((USER_ACTIONS as readonly string[]).includes(e.userAction));
    const title = titles.get(e.titleId);
    assert.ok(title, e.titleId);
    assert.ok(e.positionS >= 0 && e.positionS <= title.runtimeS!, e.eventId);
    assert.ok(e.atMs >= population.period.startMs && e.atMs < population.period.endMs);
    const day = localDayNumber(e.atMs, effectiveOffsetMin(e.atMs, e.offsetMin, e.country));
    assert.ok(day >= firstDay && day <= lastDay, `${e.eventId} on day ${day}`);
    assert.ok((title.releasedAtMs ?? 0) <= e.atMs, `${e.titleId} watched before its release`);
    const profile = profiles.get(e.profileId)!;
    assert.equal(devices.get(e.deviceId)!.memberId, profile.memberId);
    assert.equal(members.get(profile.memberId)!.country, e.country);
    // The reference offset is slow to compute: check a sample (every event near the spring switches).
    if (e.offsetMin !== null && (ids.size % 7 === 0 || (e.atMs > SWITCHES_FROM && e.atMs < SWITCHES_TO))) {
      assert.equal(e.offsetMin, zoneOffsetMin(zoneOfCountry(e.country), e.atMs));
    }
    assert.ok(!ids.has(e.eventId), `duplicate ${e.eventId}`);
    ids.add(e.eventId);
  }
  const nulls = events.filter((e) => e.offsetMin === null).length;
  assert.ok(nulls > 0 && nulls < events.length * 0.1, `${nulls} events without offset`);
});

test("a profile's events are in time order and its playbacks do not overlap", () => {
  const last = new Map<string, number>();
  for (const e of events) {
    assert.ok(e.atMs >= (last.get(e.profileId) ?? -Infinity), e.eventId);
    last.set(e.profileId, e.atMs);
  }
});

test('no ordinary profile plays more than 20 h in a local day or loops a title', () => {
  const notAPerson = new Set(population.planted.notAPersonProfileIds);
  for (const [profileId, days] of playingSecondsByProfileDay(events)) {
    if (notAPerson.has(profileId)) continue;
    for (const [day, seconds] of days) assert.ok(seconds <= DEFAULT_DEFINITIONS.notAPersonDayH * 3600, `${profileId} ${day}: ${seconds / 3600} h`);
  }
  const perTitleDay = new Map<string, number>();
  for (const p of playbacks.values()) {
    if (notAPerson.has(p.profileId)) continue;
    const key = `${p.profileId}|${p.titleId}|${p.startDay}`;
    perTitleDay.set(key, (perTitleDay.get(key) ?? 0) + 1);
  }
  for (const [key, count] of perTitleDay) assert.ok(count < DEFAULT_DEFINITIONS.loopViewsPerDay, `${key}: ${count} playbacks`);
});

test('series are watched in order, with autoplayed next episodes', () => {
  const byId = population.catalogueIndex.byId;
  const lastEpisode = new Map<string, { season: number; episode: number }>();
  let autoplayedEpisodes = 0;
  for (const p of playbacks.values()) {
    const t = byId.get(p.titleId)!;
    if (t.kind !== 'episode') continue;
    if (p.autoplayed) autoplayedEpisodes++;
    const key = `${p.profileId}|${t.seriesId}`;
    const prev = lastEpisode.get(key);
    const here = { season: t.season as number, episode: t.episode! };
    if (prev) assert.ok(here.season > prev.season || (here.season === prev.season && here.episode >= prev.episode), `${key} went back`);
    lastEpisode.set(key, here);
  }
  assert.ok(autoplayedEpisodes > 100);
});

test('still-watching prompts come after 3 autoplayed episodes (or 90 min) without interaction, and are answered or time out', () => {
  const prompts = [...playbacks.values()].filter((p) => p.types.includes('still_watching_prompt'));
  assert.ok(prompts.length > 5);
  for (const p of prompts) {
    assert.ok(p.autoplayed);
    const i = p.types.indexOf('still_watching_prompt');
    assert.equal(p.types[i + 1], 'still_watching_answer');
  }
  const answers = events.filter((e) => e.type === 'still_watching_answer');
  assert.ok(answers.some((e) => e.userAction === 'interaction'));
  assert.ok(answers.some((e) => e.userAction === 'visibility_timeout'));
  // Every timed-out playback ends there.
  for (const e of answers.filter((a) => a.userAction === 'visibility_timeout')) {
    assert.equal(playbacks.get(e.playbackId)!.types.at(-1), 'stop');
  }
});

test('players pause and resume, seek, play trailers, have very short sessions and resume hours later', () => {
  const count = (type: string): number => events.filter((e) => e.type === type).length;
  // A pause is followed by its resume, except when the player is switched off at the end of the period.
  assert.ok(count('pause') > 50 && count('pause') - count('resume') <= 5);
  assert.ok(count('seek') > 20);
  const all = [...playbacks.values()];
  const byId = population.catalogueIndex.byId;
  assert.ok(all.some((p) => byId.get(p.titleId)!.kind === 'supplemental'));
  assert.ok(all.some((p) => p.endMs - p.startMs < 60_000 && byId.get(p.titleId)!.kind !== 'supplemental'));
  // A new playback of the same title by the same profile, 1-8 h after the previous one stopped.
  const sorted = all.sort((a, b) => a.profileId.localeCompare(b.profileId) || a.startMs - b.startMs);
  let resumedLater = 0;
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    const gap = b.startMs - a.endMs;
    if (a.profileId === b.profileId && a.titleId === b.titleId && gap > 3_600_000 && gap < 8 * 3_600_000) resumedLater++;
  }
  assert.ok(resumedLater > 5, `${resumedLater} resumed later`);
});

test('people start watching in the evening far more than at night', () => {
  const byHour = new Array(24).fill(0);
  for (const e of events) if (e.type === 'start') byHour[localHour(e.atMs, e.offsetMin ?? zoneOffsetMin(zoneOfCountry(e.country), e.atMs))]++;
  const evening = byHour[19] + byHour[20] + byHour[21] + byHour[22];
  const night = byHour[3] + byHour[4] + byHour[5] + byHour[6];
  assert.ok(evening > 4 * night, `evening ${evening}, night ${night}`);
});

test('people watch more on a weekend day than on a weekday', () => {
  const perDay = new Map<number, number>();
  for (const e of events) {
    if (e.type !== 'heartbeat') continue;
    const day = localDayNumber(e.atMs, effectiveOffsetMin(e.atMs, e.offsetMin, e.country));
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const mean = (days: number[]): number => days.reduce((sum, d) => sum + (perDay.get(d) ?? 0), 0) / days.length;
  const days = [...perDay.keys()];
  const weekend = days.filter((d) => [0, 6].includes((d + 4) % 7));
  const weekdays = days.filter((d) => ![0, 6].includes((d + 4) % 7));
  assert.ok(mean(weekend) > 1.1 * mean(weekdays), `${mean(weekend)} vs ${mean(weekdays)}`);
});

test('members live in many countries and have 1 to 5 profiles and several device kinds', () => {
  assert.ok(new Set(population.members.map((m) => m.country)).size >= 15);
  const perMember = new Map<string, number>();
  for (const p of population.profiles) perMember.set(p.memberId, (perMember.get(p.memberId) ?? 0) + 1);
  for (const n of perMember.values()) assert.ok(n >= 1 && n <= 5);
  assert.deepEqual(new Set(population.devices.map((d) => d.kind)), new Set(['tv', 'phone', 'tablet', 'browser', 'console']));
});

test('searches, thumbs and onboarding picks are small, deterministic and refer to known titles', () => {
  const signals = [...population.signals()];
  assert.deepEqual([...generatePopulation(SMALL).signals({ fromMember: 0, toMember: 5 })], signals.slice(0, 5));
  const searches = signals.flatMap((s) => s.searches);
  const thumbs = signals.flatMap((s) => s.thumbs);
  const picks = signals.flatMap((s) => s.onboardingPicks);
  assert.ok(searches.length > 0 && thumbs.length > 0 && picks.length > 0);
  assert.ok(searches.length + thumbs.length < events.length / 100);
  const ids = [...searches, ...thumbs].map((s) => s.eventId);
  assert.equal(new Set(ids).size, ids.length);
  for (const t of thumbs) assert.ok(['down', 'up', 'two_up'].includes(t.rating) && population.catalogueIndex.byId.has(t.titleId));
  for (const p of picks) assert.ok(population.catalogueIndex.byId.has(p.titleId));
  for (const s of searches) assert.ok(s.query.length >= 3);
});
