// What serving needs of one profile, kept in memory: its non-hidden views, its signals
// (completed and rewatched titles, thumbs, picks), its member's consent history and country.
// Entries are dropped when the store reports a committed change that names the profile or its
// member (events appended, views replaced, a hide, a thumb, picks, consents, erasure, members and
// titles written). The server is the only process that can write the file, so the reports are
// every change there is and an entry never outlives the data it was read from (DECISIONS.md, 9).
//
// A load may race with a write: each load holds a ticket, begun before the load reads anything;
// a report naming the ticket's profile or member marks it stale, and a stale load is served to
// the request that asked (it read data committed before the write answered) but never kept.

import type { View } from '../domain/model.js';
import type { ConsentChange } from '../privacy/consent.js';
import type { ProfileSignals } from './training-data.js';

/** A committed change, as the store reports it (store/duckdb/adapter.ts `StoreChange`). */
export interface DataChange {
  profileIds?: readonly string[];
  memberIds?: readonly string[];
  models?: boolean;
  catalogue?: boolean;
  recompute?: boolean;
}

export interface ChangeSource {
  onChange(listener: (change: DataChange) => void): () => void;
}

/** The profile's own data for rows, read when the member consented to personalisation. */
export interface PersonalInputs {
  /** Non-hidden views (continue watching is computed per request: it depends on the time). */
  views: View[];
  signals: ProfileSignals;
  /** Completed items, most recent first, thumbs-down left out. */
  completedRecentFirst: string[];
}

export interface ProfileInputs {
  profileId: string;
  memberId: string;
  /** The member's whole consent history: consent is decided at the moment of each request. */
  consents: ConsentChange[];
  country: string | undefined;
  /** Absent when the member did not consent at load time (their viewing is then not read). */
  personal: PersonalInputs | undefined;
  /** Catalogue size the signals were mapped with (items of new titles need a new mapping). */
  catalogueSize: number;
  /** Response bodies rendered from these inputs, per row limit (serving.ts `rowsBody`); they leave with the entry. */
  rendered?: Map<number, RenderedRows>;
  /** Set when the entry leaves the cache: an answer kept from these inputs (serving.ts `KeptRows`) is no longer current. */
  dropped?: true;
}

/** A rows answer, serialised, and the span of time over which it stays the answer. */
export interface RenderedRows {
  /** The model it was computed with (a new model renders again). */
  model: object | undefined;
  fromMs: number;
  /** The first moment after `fromMs` at which the answer could change (a consent change or a view or episode that starts later). */
  untilMs: number;
  body: Buffer;
}

export interface Ticket {
  profileId: string;
  memberId: string;
  stale: boolean;
}

export const DEFAULT_MAX_PROFILES = 20_000;

export interface ServingCacheStats {
  hits: number;
  loads: number;
  /** Loads not kept because a change named them while they read. */
  staleLoads: number;
  dropped: number;
}

/** A cached profile in the recency list (`ServingCache`). */
interface Entry {
  inputs: ProfileInputs;
  older: Entry | undefined;
  newer: Entry | undefined;
}

export class ServingCache {
  /**
   * Entries by profile, and the same entries in a list from least to most recently used. A hit
   * only moves its entry in the list: a Map delete and set per hit (the recency order of an
   * insertion-ordered Map) made the Map rehash every few thousand hits and kept each request's
   * id string as the key, which outlived young-generation collections (DECISIONS.md, 30).
   */
  private readonly entries = new Map<string, Entry>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  private readonly profilesOfMember = new Map<string, Set<string>>();
  private readonly tickets = new Set<Ticket>();
  private readonly inflight = new Map<string, { memberId: string; promise: Promise<ProfileInputs> }>();
  readonly stats: ServingCacheStats = { hits: 0, loads: 0, staleLoads: 0, dropped: 0 };

  constructor(private readonly maxProfiles = DEFAULT_MAX_PROFILES) {}

  get size(): number {
    return this.entries.size;
  }

  /** Drops what `change` names and marks loads in flight for it stale. */
  apply(change: DataChange): void {
    if (change.catalogue) {
      for (const entry of this.entries.values()) entry.inputs.dropped = true;
      this.stats.dropped += this.entries.size;
      this.entries.clear();
      this.oldest = this.newest = undefined;
      this.profilesOfMember.clear();
    }
    const profiles = new Set(change.profileIds ?? []);
    const members = new Set(change.memberIds ?? []);
    for (const profileId of profiles) this.drop(profileId);
    for (const memberId of members) for (const profileId of [...(this.profilesOfMember.get(memberId) ?? [])]) this.drop(profileId);
    for (const ticket of this.tickets) {
      if (change.catalogue || profiles.has(ticket.profileId) || members.has(ticket.memberId)) {
        ticket.stale = true;
        // A request arriving from now on must not join a load that may have read before the change.
        this.inflight.delete(ticket.profileId);
      }
    }
  }

  /** The cached entry of a profile (most recently used last). */
  get(profileId: string, memberId: string): ProfileInputs | undefined {
    const entry = this.entries.get(profileId);
    if (!entry || entry.inputs.memberId !== memberId) return undefined;
    if (entry !== this.newest) {
      this.unlink(entry);
      this.link(entry);
    }
    this.stats.hits++;
    return entry.inputs;
  }

  /**
   * The profile's inputs from the cache, else from `load` (concurrent misses of a profile share
   * one load). `refresh` brings the profile's derived views up to date first; when a change is
   * reported while it runs (its own view replacement is one), it runs again under a new ticket
   * so that the kept entry was read after a refresh that found the profile clean.
   */
  async inputs(profileId: string, memberId: string, refresh: () => Promise<void>, load: () => Promise<ProfileInputs>): Promise<ProfileInputs> {
    const hit = this.get(profileId, memberId);
    if (hit) return hit;
    const flying = this.inflight.get(profileId);
    if (flying && flying.memberId === memberId) return flying.promise;
    const ticket: Ticket = { profileId, memberId, stale: false };
    const promise = this.load(ticket, refresh, load);
    this.inflight.set(profileId, { memberId, promise });
    try {
      return await promise;
    } finally {
      if (this.inflight.get(profileId)?.promise === promise) this.inflight.delete(profileId);
    }
  }

  private async load(first: Ticket, refresh: () => Promise<void>, load: () => Promise<ProfileInputs>): Promise<ProfileInputs> {
    this.stats.loads++;
    for (let attempt = 1; ; attempt++) {
      const ticket: Ticket = attempt === 1 ? first : { ...first, stale: false };
      this.tickets.add(ticket);
      try {
        await refresh();
        if (ticket.stale && attempt < 3) continue;
        const inputs = await load();
        if (ticket.stale) this.stats.staleLoads++;
        else this.keep(inputs);
        return inputs;
      } finally {
        this.tickets.delete(ticket);
      }
    }
  }

  private keep(inputs: ProfileInputs): void {
    this.drop(inputs.profileId);
    const entry: Entry = { inputs, older: undefined, newer: undefined };
    this.entries.set(inputs.profileId, entry);
    this.link(entry);
    let of = this.profilesOfMember.get(inputs.memberId);
    if (!of) this.profilesOfMember.set(inputs.memberId, (of = new Set()));
    of.add(inputs.profileId);
    while (this.entries.size > this.maxProfiles && this.oldest) this.drop(this.oldest.inputs.profileId);
  }

  /** Puts `entry` at the most recently used end of the list. */
  private link(entry: Entry): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = entry.newer = undefined;
  }

  private drop(profileId: string): void {
    const entry = this.entries.get(profileId);
    if (!entry) return;
    this.entries.delete(profileId);
    this.unlink(entry);
    entry.inputs.dropped = true;
    this.stats.dropped++;
    const of = this.profilesOfMember.get(entry.inputs.memberId);
    of?.delete(profileId);
    if (of?.size === 0) this.profilesOfMember.delete(entry.inputs.memberId);
  }
}
