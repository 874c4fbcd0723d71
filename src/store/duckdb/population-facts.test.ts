import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Catalogue } from '../../domain/catalogue.js';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../domain/definitions.js';
import type { Title, View } from '../../domain/model.js';
import { populationOfYear, yearWindow, type InsightsDeps } from '../../insights/from-store.js';
import { at, episode, movie, plusDays, trailer, viewOf } from '../../insights/test-support.js';
import { factsDiffer } from '../../bench/insights.js';
import { openDuckDbStore } from './adapter.js';
import { duckDbInsights } from './insights.js';

// Small thresholds so random data reaches every branch: heavy days, loops, streaks, daily members.
const defs: Definitions = { ...DEFAULT_DEFINITIONS, streakMinS: 300, notAPersonDayH: 6, notAPersonDays: 2, loopViewsPerDay: 3, dailyShare: 0.01 };
const options = { streakThresholds: [2, 3, 5, 8], topWeekly: 4 };

const titles: Title[] = [
  movie('m1', { runtimeS: 3600 }),
  movie('m2', { runtimeS: null }),
  trailer('tr'),
  ...[1, 2, 3].map((n) => episode('A', 1, n, { releasedAtMs: at('2024-01-10T10:00') })),
  ...[1, 2].map((n) => episode('B', 2, n, { releasedAtMs: at(`2024-01-2${n}T00:00`) })),
  episode('C', 1, 1, { releasedAtMs: at('2024-01-05T00:00') }),
  episode('C', 1, 2),
];
const titleIds = [...titles.map((t) => t.titleId), 'ghost'];
const profiles = ['a', 'b', 'c', 'd', 'loose'];
const memberOf: Record<string, string | undefined> = { a: 'm1', b: 'm1', c: 'm2', d: 'm3', loose: undefined };

const viewSpec = fc.record({
  profile: fc.constantFrom(...profiles),
  device: fc.constantFrom('d1', 'd2', 'shared'),
  title: fc.constantFrom(...titleIds),
  // Days 16-17 and 27-28 are release days of A and B (racers).
  day: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(16, 17, 27, 28)),
  sameDay: fc.boolean(),
  hour: fc.integer({ min: 0, max: 23 }),
  minutes: fc.oneof(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 90, max: 900 })),
  offsetMin: fc.constantFrom(0, 60, -300, 540),
  completed: fc.boolean(),
  sessions: fc.integer({ min: 1, max: 6 }),
  hidden: fc.boolean(),
  repeat: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 10 })),
});

/** Views from specs: `repeat` > 1 makes a daily run (streaks); days start just before the year. */
type ViewSpec = typeof viewSpec extends fc.Arbitrary<infer T> ? T : never;

function viewsOf(specs: ViewSpec[]): { view: View; hidden: boolean }[] {
  const out: { view: View; hidden: boolean }[] = [];
  for (const s of specs) {
    const title = titles.find((t) => t.titleId === s.title) ?? { titleId: 'ghost', kind: 'movie' as const, name: 'ghost', runtimeS: 600 };
    // A run of an episode goes on through its season's episodes: series streaks and weekly counts.
    const season = titles.filter((t) => t.kind === 'episode' && t.seriesId === title.seriesId);
    for (let i = 0; i < s.repeat; i++) {
      const current = season.length > 0 ? season[(season.indexOf(title) + i) % season.length] : title;
      // sameDay: a marathon, one episode an hour; else one a day.
      const [day, hour] = s.sameDay ? [s.day, (s.hour + i) % 24] : [s.day + i, s.hour];
      const start = `${plusDays('2023-12-25', day)}T${String(hour).padStart(2, '0')}:00`;
      const minutes = s.repeat > 1 ? Math.min(s.minutes, 40) : s.minutes;
      const view = viewOf(current, start, minutes, { profileId: s.profile, deviceId: s.device, offsetMin: s.offsetMin, completed: s.completed, sessions: s.sessions });
      out.push({ view, hidden: s.hidden && i === 0 });
    }
  }
  return out;
}

test('population facts in DuckDB equal the pure tally over the same stored views', async () => {
  // What the random sets reached, so a pass means the branches were compared, not skipped.
  const seen = { hours: 0, loop: 0, device: 0, streaks: 0, weekly: 0, racers: 0, daily: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(viewSpec, { minLength: 1, maxLength: 30 }), fc.constantFrom(2023, 2024), async (specs, year) => {
      const store = await openDuckDbStore({ dataDir: ':memory:' });
      try {
        await store.putTitles(titles);
        await store.putMembers([{ memberId: 'm1', country: 'FR', createdAtMs: 0 }, { memberId: 'm2', country: 'US', createdAtMs: 0 }, { memberId: 'm3', country: 'JP', createdAtMs: 0 }]);
        await store.putProfiles(profiles.filter((p) => memberOf[p]).map((p) => ({ profileId: p, memberId: memberOf[p]!, name: p })));
        const views = viewsOf(specs);
        await store.replaceViews(profiles.map((p) => ({ profileId: p, fromMs: -Infinity, views: views.filter((v) => v.view.profileId === p).map((v) => v.view) })));
        for (const { view, hidden } of views) if (hidden) await store.hideView(view.profileId, view.viewId);
        const insights = duckDbInsights(store);
        const deps: InsightsDeps = { store, insights, catalogue: new Catalogue(titles), defs, now: () => 0, publicFactsProfiles: async () => [] };
        const pure = (await populationOfYear(deps, year, options)).result();
        const sql = await insights.populationFacts(year, yearWindow(year, defs), defs, options);
        assert.equal(factsDiffer(sql, pure), undefined);
        seen.hours += pure.notAPerson.filter((f) => f.reason === 'hours').length;
        seen.loop += pure.notAPerson.filter((f) => f.reason === 'loop').length;
        seen.device += pure.notAPerson.filter((f) => f.scope === 'device').length;
        seen.streaks += pure.streaks.filter((r) => r.profiles > 0 && r.days >= 3).length;
        seen.weekly += pure.weeklyEpisodes.filter((w) => w.episodes > 1).length;
        seen.racers += pure.racers.length;
        seen.daily += pure.countries.reduce((n, c) => n + c.dailyMembers, 0);
      } finally {
        await store.close();
      }
    }),
    // A fixed seed: the coverage check below must not depend on luck (a new seed is a deliberate change).
    { numRuns: 60, seed: 20261125 },
  );
  for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `no random set reached ${what}`);
});

test('the rolling week in DuckDB counts distinct episodes completed on the window day and the six before, as the pure tally does', async () => {
  const [e1, e2, e3] = [1, 2, 3].map((n) => titles.find((t) => t.titleId === `A-s1e${n}`)!);
  const done = (title: Title, day: string, profileId: string) => viewOf(title, `${day}T20:00`, 30, { profileId, completed: true });
  const views = [
    // a: day 1 and day 7 are one window of 7 days (a 6-day window would see one episode).
    done(e1, '2024-03-01', 'a'),
    done(e2, '2024-03-07', 'a'),
    // b: day 1 falls out of the window that ends on day 8 (an 8-day window would see three), and
    // a rewatch inside the window counts once.
    done(e1, '2024-03-01', 'b'),
    done(e2, '2024-03-08', 'b'),
    done(e3, '2024-03-08', 'b'),
    done(e2, '2024-03-08', 'b'),
  ];
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    await store.putTitles(titles);
    await store.replaceViews(['a', 'b'].map((p) => ({ profileId: p, fromMs: -Infinity, views: views.filter((v) => v.profileId === p) })));
    const insights = duckDbInsights(store);
    const deps: InsightsDeps = { store, insights, catalogue: new Catalogue(titles), defs, now: () => 0, publicFactsProfiles: async () => [] };
    const pure = (await populationOfYear(deps, 2024, options)).result();
    const sql = await insights.populationFacts(2024, yearWindow(2024, defs), defs, options);
    const weekly = (facts: typeof pure) => facts.weeklyEpisodes.map((w) => `${w.profile} ${w.episodes} ${w.fromDay}..${w.toDay}`);
    assert.deepEqual(weekly(pure), ['a 2 2024-03-01..2024-03-07', 'b 2 2024-03-02..2024-03-08']);
    assert.deepEqual(weekly(sql), weekly(pure));
  } finally {
    await store.close();
  }
});
