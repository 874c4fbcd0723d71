// The storage recommend/ needs, in domain words: the signals models learn from (completed views,
// thumbs, onboarding picks), trained models, and the record of digest e-mails sent.
// store/duckdb/recommend.ts implements it on the embedded engine. Hidden views never leave the
// store through this port.

import type { Millis, OnboardingPick, Thumb, ThumbRating } from '../domain/model.js';

/** One profile's completed views of one title (hidden views left out). */
export interface CompletedTitle {
  profileId: string;
  titleId: string;
  /** Completed views of the title; completions − 1 are rewatches. */
  completions: number;
  firstCompletedMs: Millis;
  lastCompletedMs: Millis;
}

/** The latest thumb of a profile on a title (a later thumb replaces an earlier one). */
export interface LatestThumb {
  profileId: string;
  titleId: string;
  rating: ThumbRating;
  atMs: Millis;
}

export interface StoredModelRow {
  modelId: string;
  kind: string;
  params: Record<string, unknown>;
  trainedAtMs: Millis;
  windowFromMs: Millis;
  windowToMs: Millis;
  profiles: number;
  consentingMembers: number;
  consentDigest: string;
  items: number;
  interactions: number;
  body: Uint8Array;
}

export type StoredModelInfo = Omit<StoredModelRow, 'body'>;

export interface DigestSend {
  memberId: string;
  week: string;
  sentAtMs: Millis;
  titles: string[];
}

export interface RecommendStore {
  /** Completed, non-hidden, non-supplemental views per profile and title, ending in [fromMs, toMs]. */
  completedTitles(profileIds: readonly string[], window?: { fromMs: Millis; toMs: Millis }): Promise<CompletedTitle[]>;
  /** The latest thumb of each profile on each title. */
  latestThumbs(profileIds: readonly string[]): Promise<LatestThumb[]>;
  putThumbs(thumbs: readonly Thumb[]): Promise<void>;
  /** Replaces a profile's onboarding picks. */
  setPicks(profileId: string, titleIds: readonly string[], atMs: Millis): Promise<void>;
  picksOf(profileIds: readonly string[]): Promise<OnboardingPick[]>;
  /** The country of each profile's member. */
  countriesOf(profileIds: readonly string[]): Promise<Map<string, string>>;

  saveModel(model: StoredModelRow): Promise<void>;
  /** The most recently trained model, with its body. */
  latestModel(): Promise<StoredModelRow | undefined>;
  models(): Promise<StoredModelInfo[]>;
  /** The id of the model `latestModel` would return (one cheap query; the server polls it). */
  latestModelId(): Promise<string | undefined>;
  /** When an erasure happened since the last model was trained on data read after it (the `recompute.models` flag), its stamp. */
  recomputeFlag(): Promise<string | undefined>;
  /** Clears the flag if it still holds `stamp` (a later erasure keeps it set); true when cleared. */
  clearRecomputeFlag(stamp: string): Promise<boolean>;

  /** E-mail addresses of members (only the digest sender asks; never logged). */
  emailsOf(memberIds: readonly string[]): Promise<Map<string, string>>;
  digestSent(memberId: string, week: string): Promise<boolean>;
  recordDigestSend(send: DigestSend): Promise<void>;
}
