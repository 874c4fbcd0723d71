// What insights and public facts need from storage, in domain words. Kept apart from port.ts
// (owned by history) so the insights doors can grow without touching the core port; the DuckDB
// implementation is store/duckdb/insights.ts.

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import type { PopulationFacts } from '../insights/population.js';
import type { LedgerStore } from '../privacy/release/ledger.js';

/** One profile's views with its member and the member's country. */
export interface StoredProfileViews {
  profileId: string;
  memberId: string;
  /** The member's country (Member.country), else the country of the profile's first view. */
  country: string;
  /** Oldest first, hidden included (insights decide what counts). */
  views: View[];
}

/** A member with all its profiles: the unit that population facts stream. */
export interface StoredMemberViews {
  memberId: string;
  country: string;
  profiles: StoredProfileViews[];
}

/** Inclusive range of epoch milliseconds: views that overlap it are read whole. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/** A published public-facts release, as stored for later comparison ("one of about N"). */
export interface StoredRelease {
  dataset: string;
  year: number;
  questionId: string;
  releasedAtMs: number;
  /** The release as published (JSON-able). */
  body: unknown;
}

export interface InsightsStore {
  /**
   * Streams members one at a time, in member order, each with every profile's views that
   * overlap `window` (all views when absent). Memory holds one member, not the population.
   * `visit` may be async; the next member is read after it resolves.
   */
  eachMember(visit: (member: StoredMemberViews) => void | Promise<void>, window?: TimeWindow): Promise<void>;
  /** Devices whose views belong to profiles of more than one member, within `window`. */
  devicesOfSeveralMembers(window?: TimeWindow): Promise<string[]>;
  /** Every view made on these devices within `window` (any profile), oldest first. */
  viewsOnDevices(deviceIds: readonly string[], window?: TimeWindow): Promise<View[]>;
  /**
   * The population facts of a year computed by the store itself (views overlapping `window`), equal
   * to insights/population.ts over the same views (a property test checks it). Optional: without
   * it, callers stream members into a PopulationTally.
   */
  populationFacts?(year: number, window: TimeWindow, defs: Definitions, options?: { streakThresholds?: readonly number[]; topWeekly?: number }): Promise<PopulationFacts>;
  /** Calendar years (of view local days) that have viewing, ascending. */
  yearsWithViews(): Promise<number[]>;
  /** Changes whenever the data behind insights changes (events appended, views hidden). */
  dataVersion(): Promise<string>;
  /** The server secret keying DP noise and bounding: 32 random bytes, created once, then stable. */
  releaseSecret(): Promise<Buffer>;
  /** The privacy ledger's storage (one row per question charged). */
  readonly ledger: LedgerStore;
  saveRelease(release: StoredRelease): Promise<void>;
  /** The latest release of a data set and year, or undefined when none was published. */
  latestRelease(dataset: string, year: number): Promise<StoredRelease | undefined>;
}
