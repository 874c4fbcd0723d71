// The benchmarks of later stages, in the harness's shape: population facts against hand-written
// SQL, and EASE training against NumPy. Each keeps its own detail in `details`.

import { benchEase } from '../recommend/bench.js';
import { benchFactsOnly, benchInsights, benchOneMoreDayOnly, benchYearInReview } from './insights.js';
import { round3, type BenchResult, type Benchmark } from './measure.js';

export const insightsBench: Benchmark = {
  name: 'insights',
  description: 'all population facts as binge computes them (in the store) vs hand-written DuckDB SQL for the same facts; year-in-review p99; one more day',
  defaultEvents: 10_000_000,
  async run({ events, log, dataDir, heartbeatS, only }) {
    const count = events ?? this.defaultEvents;
    if (only === 'year-in-review') return yearInReviewOnly(await benchYearInReview({ events: count, log, dataDir, heartbeatS }));
    if (only === 'facts') return factsOnly(await benchFactsOnly({ events: count, log, dataDir, heartbeatS }));
    if (only === 'one-more-day') return oneMoreDayOnly(await benchOneMoreDayOnly({ events: count, log, dataDir, heartbeatS }));
    if (only !== undefined) throw new Error(`insights has three parts to run alone, ${INSIGHTS_PARTS.join(', ')} (got ${only})`);
    const r = await benchInsights({ events: count, log, dataDir, heartbeatS });
    return {
      name: this.name,
      size: r.events,
      measured: { label: 'population facts (binge, populationFactsOfYear)', value: r.populationS, unit: 's', seconds: r.populationS },
      baseline: { label: 'hand-written DuckDB SQL, same facts', value: r.sqlS, unit: 's', seconds: r.sqlS },
      ratio: r.sqlS / r.populationS,
      goal: 'binge within 1.5x of SQL; year in review p99 < 50 ms; per-profile insights after one more day < 5 % of their full recompute',
      met: r.populationS <= 1.5 * r.sqlS && r.review.p99Ms < 50 && r.oneMoreDay.perProfileRatio < 0.05,
      ok: r.review.differ === undefined,
      details: { members: r.members, views: r.views, typescriptS: r.typescriptS === undefined ? undefined : round3(r.typescriptS), compared: r.compared, yearInReview: r.review, oneMoreDay: r.oneMoreDay, loadS: round3(r.loadS), deriveS: round3(r.deriveS) },
    };
  },
};

/** The parts `bench insights --only` runs alone (on a population kept with --data). */
export const INSIGHTS_PARTS = ['year-in-review', 'facts', 'one-more-day'] as const;

function factsOnly(r: Awaited<ReturnType<typeof benchFactsOnly>>): BenchResult {
  return {
    name: 'insights',
    size: r.events,
    measured: { label: 'population facts (binge, populationFactsOfYear)', value: r.populationS, unit: 's', seconds: r.populationS },
    baseline: { label: 'hand-written DuckDB SQL, same facts', value: r.sqlS, unit: 's', seconds: r.sqlS },
    ratio: r.sqlS / r.populationS,
    goal: 'binge within 1.5x of SQL',
    met: r.populationS <= 1.5 * r.sqlS,
    ok: true, // a mismatch throws (compareFacts)
    details: { part: 'facts', members: r.members, views: r.views, compared: r.compared },
  };
}

function oneMoreDayOnly(r: Awaited<ReturnType<typeof benchOneMoreDayOnly>>): BenchResult {
  const p = r.oneMoreDay.parts;
  return {
    name: 'insights',
    size: r.events,
    measured: { label: "one more day: the day's refresh of the views per-profile insights are computed from", value: p.refreshS, unit: 's', seconds: p.refreshS },
    baseline: { label: 'the full recompute of every view', value: p.fullRefreshS, unit: 's', seconds: p.fullRefreshS },
    ratio: p.fullRefreshS / p.refreshS,
    goal: 'per-profile insights after one more day < 5 % of their full recompute',
    met: r.oneMoreDay.perProfileRatio < 0.05,
    ok: true, // the incremental and full facts must agree (afterOneMoreDay throws otherwise)
    details: { part: 'one-more-day', members: r.members, views: r.views, oneMoreDay: r.oneMoreDay },
  };
}

function yearInReviewOnly(r: Awaited<ReturnType<typeof benchYearInReview>>): BenchResult {
  const p99 = r.review.p99Ms;
  const base = r.review.baseline.p99Ms;
  return {
    name: 'insights',
    size: r.events,
    measured: { label: `year in review p99 over ${r.review.requests} requests (route's work after the privacy hook)`, value: p99, unit: 'ms', seconds: p99 / 1000 },
    baseline: { label: 'the same requests with the generic multi-profile read (session 3), p99', value: base, unit: 'ms', seconds: base / 1000 },
    ratio: base / p99,
    goal: 'year in review p99 < 50 ms',
    met: p99 < 50,
    ok: r.review.differ === undefined,
    details: { part: 'year-in-review', members: r.members, views: r.views, yearInReview: r.review, loadS: round3(r.loadS), deriveS: round3(r.deriveS) },
  };
}

export const easeBench: Benchmark = {
  name: 'ease',
  description: 'EASE training (Gram matrix, then the SPD inverse: native LAPACK or TypeScript) vs NumPy np.linalg.inv of the same matrix',
  defaultEvents: 200_000,
  async run({ events, log }) {
    const users = events ?? this.defaultEvents;
    const items = users >= 200_000 ? 10_000 : Math.max(200, Math.round(users / 20));
    const r = await benchEase({ users, items, typescriptItems: Math.min(items, 2_000), log });
    const ours = r.inverses.find((i) => i.path !== 'numpy' && i.n === items) ?? r.inverses.find((i) => i.path !== 'numpy')!;
    const numpy = r.inverses.find((i) => i.path === 'numpy' && i.n === ours.n);
    const traces = r.inverses.filter((i) => i.n === ours.n).map((i) => i.trace);
    const agree = traces.every((t) => Math.abs(t - traces[0]) <= 1e-6 * Math.abs(traces[0]));
    return {
      name: this.name,
      size: r.interactions,
      measured: { label: `inverse, ${ours.path} path, n = ${ours.n}`, value: ours.ms / 1000, unit: 's', seconds: ours.ms / 1000 },
      baseline: numpy
        ? { label: `NumPy np.linalg.inv, n = ${numpy.n}`, value: numpy.ms / 1000, unit: 's', seconds: numpy.ms / 1000 }
        : { label: 'NumPy not available (no baseline)', value: Number.NaN, unit: 's', seconds: Number.NaN },
      ratio: numpy ? numpy.ms / ours.ms : Number.NaN,
      goal: 'faster than NumPy',
      met: numpy ? ours.ms < numpy.ms : undefined,
      ok: agree,
      details: { path: ours.path, native: r.native, numpy: r.numpy, gramMs: r.gramMs, inverses: r.inverses, typescriptEstimateMs: r.typescriptEstimateMs },
    };
  },
};
