// Every default of ../shared/docs/DEFINITIONS.md in one place. Pure functions receive a
// Definitions object; configuration may override any field (see config.ts).

export interface Definitions {
  /** A session shorter than this is raw history, not a view. */
  minWatchS: number;
  /** Sessions of one profile and title closer than this form one view. */
  resumeMergeH: number;
  /** A view is completed at this share of the runtime (or past the credits marker). */
  completeAt: number;
  /** A day of a streak needs at least this much viewing of the title or series. */
  streakMinS: number;
  /** A binge session needs at least this many episodes of one series... */
  bingeMinEpisodes: number;
  /** ...each starting within this many minutes of the end of the previous one. */
  bingeGapMin: number;
  /** Binge racer: every episode of a season completed within this many hours of release. */
  racerWindowH: number;
  /** Country daily habit: viewed on at least this share of the days of the period. */
  dailyShare: number;
  /** Still watching: this many episodes autoplayed in a row without interaction... */
  stillWatchingEpisodes: number;
  /** ...or this many minutes without interaction. */
  stillWatchingMin: number;
  /** Not a person: a local day with more than this many hours of viewing... */
  notAPersonDayH: number;
  /** ...on at least this many days; */
  notAPersonDays: number;
  /** or one title looped: this many views of the same title on one local day, on notAPersonDays days. */
  loopViewsPerDay: number;
  /** Rolling window for "episodes in a week". */
  rollingWindowDays: number;
  /** Public facts: minimum profiles in a non-public group before noise (kMin). */
  kMin: number;
  /** Public facts: at most this many facts per profile per release. */
  maxFacts: number;
}

export const DEFAULT_DEFINITIONS: Readonly<Definitions> = Object.freeze({
  minWatchS: 60,
  resumeMergeH: 8,
  completeAt: 0.9,
  streakMinS: 5 * 60,
  bingeMinEpisodes: 3,
  bingeGapMin: 30,
  racerWindowH: 24,
  dailyShare: 0.9,
  stillWatchingEpisodes: 3,
  stillWatchingMin: 90,
  notAPersonDayH: 20,
  notAPersonDays: 3,
  loopViewsPerDay: 8,
  rollingWindowDays: 7,
  kMin: 50,
  maxFacts: 10,
});

export function definitionsWith(overrides: Partial<Definitions> = {}): Definitions {
  const merged = { ...DEFAULT_DEFINITIONS, ...overrides };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`definition ${key} must be a non-negative finite number, got ${String(value)}`);
    }
  }
  if (merged.completeAt > 1) throw new RangeError('definition completeAt is a share of the runtime: between 0 and 1');
  if (merged.dailyShare > 1) throw new RangeError('definition dailyShare is a share of days: between 0 and 1');
  return merged;
}
