// Which tables hold data about a member, and how their rows are found: the single list export
// and erasure both follow. Every table of the schema must appear in exactly one of
// MEMBER_TABLES, PSEUDONYMISED_TABLES or NO_MEMBER_DATA; a test reads the tables from the
// database itself and fails on a table that is in none (a new table must be placed here).

/** How a table's rows are tied to a member: by a member id column, or by a profile id column. */
export interface MemberTable {
  column: string;
  key: 'member' | 'profile';
  /** Columns left out of exports (secrets). */
  notExported?: readonly string[];
  /**
   * Exported as the rows of this view of the schema, under its name, instead of the table's own
   * rows (a view that decodes codes, or joins imported rows to live ones); null: the table's rows
   * are exported within another entry's view.
   */
  exportAs?: string | null;
}

export const MEMBER_TABLES: Readonly<Record<string, MemberTable>> = Object.freeze({
  // Rows found through the member's profiles come first: profiles are deleted after them.
  events: { column: 'profile_id', key: 'profile' },
  // Views are exported once, live and imported together, as the `views` and `view_days` views decode them.
  imported_rows: { column: 'profile_id', key: 'profile', exportAs: 'imported_sessions' },
  imported_views: { column: 'profile_id', key: 'profile', exportAs: null },
  imported_view_days: { column: 'profile_id', key: 'profile', exportAs: null },
  live_views: { column: 'profile_id', key: 'profile', exportAs: 'views' },
  live_view_days: { column: 'profile_id', key: 'profile', exportAs: 'view_days' },
  hidden_views: { column: 'profile_id', key: 'profile' },
  dirty_marks: { column: 'profile_id', key: 'profile' },
  playback_bounds: { column: 'profile_id', key: 'profile' },
  searches: { column: 'profile_id', key: 'profile' },
  thumbs: { column: 'profile_id', key: 'profile' },
  onboarding_picks: { column: 'profile_id', key: 'profile' },
  digest_sends: { column: 'member_id', key: 'member' },
  profiles: { column: 'member_id', key: 'member' },
  devices: { column: 'member_id', key: 'member' },
  consent_changes: { column: 'member_id', key: 'member' },
  support_grants: { column: 'member_id', key: 'member' },
  wellbeing_settings: { column: 'member_id', key: 'member' },
  accounts: { column: 'account_id', key: 'member', notExported: ['password_hash'] },
  account_sign_outs: { column: 'account_id', key: 'member' },
  // Deleting the pseudonym is what pseudonymises the audit log: keep it last.
  subject_pseudonyms: { column: 'member_id', key: 'member' },
  members: { column: 'member_id', key: 'member' },
});

/** Kept after erasure, pointing at the member only through a pseudonym whose key row is erased. */
export const PSEUDONYMISED_TABLES: Readonly<Record<string, string>> = Object.freeze({
  audit_log: 'subject and asker are pseudonyms; the pseudonym row (subject_pseudonyms) is erased, the hash chain is untouched',
});

/** Tables that hold nothing about any member, with the reason. */
export const NO_MEMBER_DATA: Readonly<Record<string, string>> = Object.freeze({
  titles: 'the public catalogue',
  import_titles: 'codes of the catalogue title ids that imported rows and views name',
  import_countries: 'codes of the country codes that imported rows and views name',
  api_keys: 'service and operator keys (hashed)',
  meta: 'configuration, signing keys and flags',
  revoked_tokens: 'ids of signed-out tokens (random, naming no account) until they would have expired',
  schema_migrations: 'schema versions',
  dp_ledger: 'epsilon spent per data set and year (no member ids)',
  dp_releases: 'published differentially private facts (aggregates)',
  recommend_models:
    'item-item weights and popularity counts; members appear only as a count and a SHA-256 digest of their ids (erasure sets recompute.models)',
});

/** Meta flags set by erasure: derived facts and models built on the erased data must be recomputed. */
export const RECOMPUTE_FLAGS = { facts: 'recompute.facts', models: 'recompute.models' } as const;
