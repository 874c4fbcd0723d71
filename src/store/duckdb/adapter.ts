// The embedded default engine: one DuckDB file under the data folder. DuckDB allows one writing
// process per file; the server owns it, and a second process gets BINGE_STORE_LOCKED naming the
// holder. All statements run on one connection, serialised by `exclusive`, because a DuckDB
// connection is not safe for interleaved transactions.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIGINT,
  DOUBLE,
  DuckDBInstance,
  INTEGER,
  LIST,
  VARCHAR,
  listValue as duckList,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { BingeError } from '../../errors.js';
import type { Device, Member, Millis, PlaybackEvent, Profile, Title, TitleKind, View } from '../../domain/model.js';
import type { DirtyProfile, EventJsonFile, HistoryQuery, ProfileCut, Store, StoredKey, ViewReplacement } from '../port.js';
import type { Definitions } from '../../domain/definitions.js';
import { MIGRATIONS } from './migrations.js';
import { refreshViewsInStore, type InStoreRefresh } from './views-refresh.js';
import { stageCsvFile } from './netflix-csv.js';
import { readDirtyMark, readProfileViews } from './profile-views.js';
import type { ImportedHistoryStore, StagedCsv } from '../csv-import-port.js';
import { importedSessionsOf, putImportedSessions, refreshImportedViews, replaceImportedViews } from './imported-views.js';
import { Directory } from './directory.js';
import { EventRowSource } from './event-rows.js';
import { appendView } from './view-rows.js';
import type { Account } from '../privacy-port.js';
import { inTransaction } from './transaction.js';

export interface DuckDbOptions {
  /** A folder (the file is binge.duckdb inside it) or ':memory:'. */
  dataDir: string;
  readOnly?: boolean;
  /** DuckDB's memory_limit (the buffer pool) in MiB; DuckDB's default is 80 % of RAM. */
  memoryLimitMiB?: number;
}

export async function openDuckDbStore(options: DuckDbOptions): Promise<DuckDbStore> {
  let path = ':memory:';
  if (options.dataDir !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    path = join(options.dataDir, 'binge.duckdb');
  }
  let instance: DuckDBInstance;
  try {
    const settings: Record<string, string> = {};
    if (options.readOnly) settings.access_mode = 'READ_ONLY';
    if (options.memoryLimitMiB !== undefined) settings.memory_limit = `${options.memoryLimitMiB}MiB`;
    instance = await DuckDBInstance.create(path, settings);
  } catch (error) {
    throw lockedOrUnavailable(path, error);
  }
  const connection = await instance.connect();
  const store = new DuckDbStore(instance, connection, path);
  if (!options.readOnly) await store.migrate();
  return store;
}

function lockedOrUnavailable(path: string, error: unknown): BingeError {
  const message = String((error as Error)?.message ?? error);
  const holder = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(message);
  if (holder) {
    return new BingeError(
      'BINGE_STORE_LOCKED',
      `the database ${path} is in use by process ${holder[2]} (${holder[1]}), most likely a running ` +
        '`binge serve`. Stop that process, send the work through the running server, or pass another --data folder.',
      { details: { pid: Number(holder[2]) }, cause: error },
    );
  }
  return new BingeError('BINGE_STORE_UNAVAILABLE', `cannot open the database ${path}: ${message}`, { cause: error });
}

/**
 * What a committed write changed, reported to in-process listeners (the serving caches of
 * recommend/). The server is the only process that can write the file (DuckDB allows one writing
 * process), so a cache that drops what a report names is exact (docs/DECISIONS.md, 9). Writers
 * outside this file that change these things report them with `changed` (recommend store:
 * thumbs, picks, models; the privacy routes: consents, erasure).
 */
export interface StoreChange {
  profileIds?: readonly string[];
  memberIds?: readonly string[];
  /** A model was stored. */
  models?: boolean;
  /** Titles were added or replaced. */
  catalogue?: boolean;
  /** An erasure flagged derived facts and models for recomputation (RECOMPUTE_FLAGS). */
  recompute?: boolean;
}

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));
const str = (value: DuckDBValue): string => value as string;
const optNum = (value: DuckDBValue): number | undefined => (value === null ? undefined : num(value));

export class DuckDbStore implements Store {
  readonly engine = 'duckdb';
  private queue: Promise<unknown> = Promise.resolve();
  private markSeq: bigint | undefined;
  private readonly eventRows = new EventRowSource();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  /** Profiles and accounts in memory (directory.ts), once loaded. */
  private loadedDirectory: Directory | undefined;
  private directoryLoad: Promise<Directory> | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Runs `work` alone on the connection (statements of two callers never interleave). */
  private exclusive<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => work(this.connection));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async transaction<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusive((c) => inTransaction(c, () => work(c)));
  }

  private async rows(sql: string, values: DuckDBValue[] = []): Promise<Record<string, DuckDBValue>[]> {
    return this.exclusive(async (c) => (await c.runAndReadAll(sql, values)).getRowObjects());
  }

  /** Direct access for engine-specific work inside store/duckdb (benchmarks, SQL views). */
  withConnection<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusive(work);
  }

  /**
   * Profiles and accounts in memory, read in one turn on first use. Writers of those tables patch
   * it with `patchDirectory` inside their own turn on the connection, after their commit.
   */
  directory(): Promise<Directory> {
    if (this.loadedDirectory) return Promise.resolve(this.loadedDirectory);
    this.directoryLoad ??= this.exclusive(async (c) => {
      const profiles = (await c.runAndReadAll('SELECT profile_id, member_id, name FROM profiles')).getRowObjects();
      const accounts = (await c.runAndReadAll('SELECT * FROM accounts')).getRowObjects();
      this.loadedDirectory = new Directory(
        profiles.map((r) => ({ profileId: str(r.profile_id), memberId: str(r.member_id), name: str(r.name) })),
        accounts.map(accountFromRow),
      );
      return this.loadedDirectory;
    });
    this.directoryLoad.catch(() => (this.directoryLoad = undefined)); // a failed load is tried again by the next caller
    return this.directoryLoad;
  }

  directoryNow(): Directory | undefined {
    return this.loadedDirectory;
  }

  /** Applies a committed write of profiles or accounts to the directory (a no-op before it is loaded: the load reads the table). Call it inside the writer's `exclusive` turn. */
  patchDirectory(patch: (directory: Directory) => void): void {
    if (this.loadedDirectory) patch(this.loadedDirectory);
  }

  /** Calls `listener` after each committed write that changes profiles, members, models or titles; returns the unsubscribe. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reports a committed change to the listeners (call it after the commit, before answering). */
  changed(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }

  async migrate(): Promise<void> {
    await this.exclusive(async (c) => {
      await c.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)');
      const applied = new Set(
        (await c.runAndReadAll('SELECT version FROM schema_migrations')).getRowObjects().map((r) => num(r.version)),
      );
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await c.run('BEGIN TRANSACTION');
        try {
          await c.run(migration.sql);
          await c.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await c.run('COMMIT');
        } catch (error) {
          await c.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
    });
  }

  async schemaVersion(): Promise<number> {
    const [row] = await this.rows('SELECT max(version) AS v FROM schema_migrations');
    return num(row.v ?? 0);
  }

  /** Every table of the schema, not its views (which decode tables: migration 11); used by erasure's test. */
  async tableNames(): Promise<string[]> {
    const rows = await this.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1");
    return rows.map((r) => str(r.table_name));
  }

  // ---- events ------------------------------------------------------------------------------

  async appendEvents(events: readonly PlaybackEvent[]): Promise<void> {
    if (events.length === 0) return;
    const earliest = new Map<string, number>();
    for (const e of events) {
      const seen = earliest.get(e.profileId);
      if (seen === undefined || e.atMs < seen) earliest.set(e.profileId, e.atMs);
    }
    await this.transaction(async (c) => {
      await this.eventRows.insert(c, events); // columns through a table function (event-rows.ts; decision 24)
      await markDirty(c, earliest, await this.nextMarkSeq(c));
    });
    this.changed({ profileIds: [...earliest.keys()] });
  }

  async appendEventsJson(files: string | readonly EventJsonFile[], options: { logPosition?: string; background?: boolean } = {}): Promise<number> {
    const sources = typeof files === 'string' ? [{ path: files, form: 'events' as const }] : files;
    if (sources.length === 0) throw new Error('appendEventsJson needs at least one file');
    // DuckDB parses the file on its own threads, so the event loop is free meanwhile (the
    // Appender, one native call per value, cost 6 to 8 CPU s per 1M events on the event loop).
    // In the background, on one thread: the ingest log's loader should leave the other core to
    // the event loop that answers requests (two threads cost 1.5x to 2.5x the CPU of one, for
    // about the same wall time, on a shared 2-core machine).
    const threads = options.background
      ? await this.exclusive(async (c) => {
          const [row] = (await c.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjects();
          await c.run('SET threads = 1');
          return num(row.t);
        })
      : undefined;
    const { profiles, count } = await this.transaction(async (c) => {
      await c.run(`CREATE OR REPLACE TEMP TABLE json_events AS ${sources.map(eventJsonSelect).join(' UNION ALL ')}`);
      const count = (await c.run('INSERT INTO events SELECT * FROM json_events')).rowsChanged;
      const seq = await this.nextMarkSeq(c);
      const marked = await c.runAndReadAll(
        `INSERT INTO dirty_marks SELECT "profileId", min("atMs"), $1 FROM json_events GROUP BY "profileId" RETURNING profile_id`,
        [seq],
      );
      if (options.logPosition !== undefined) await c.run("INSERT OR REPLACE INTO meta VALUES ('ingest_log_loaded', $1)", [options.logPosition]);
      const profileIds = marked.getRowObjects().map((r) => str(r.profile_id));
      await c.run('DROP TABLE json_events');
      return { profiles: profileIds, count };
    }).finally(() => (threads === undefined ? undefined : this.exclusive((c) => c.run(`SET threads = ${threads}`))));
    if (profiles.length > 0) this.changed({ profileIds: profiles });
    return count;
  }

  async loadedLogPosition(): Promise<string | undefined> {
    return this.meta('ingest_log_loaded');
  }

  async countEvents(): Promise<number> {
    const [row] = await this.rows('SELECT count(*) AS n FROM events');
    return num(row.n);
  }

  async *eventIdsSince(sinceMs: Millis, pageSize: number): AsyncIterable<{ eventIds: string[]; atMs: Float64Array }> {
    // Read in one streaming pass under the lock; hand out pages.
    const pages: { eventIds: string[]; atMs: Float64Array }[] = [];
    await this.exclusive(async (c) => {
      const result = await c.stream('SELECT event_id, at_ms FROM events WHERE at_ms >= $1', [BigInt(Math.floor(sinceMs))]);
      let ids: string[] = [];
      let ats: number[] = [];
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const [idColumn, atColumn] = chunk.getColumns();
        for (let i = 0; i < idColumn.length; i++) {
          ids.push(idColumn[i] as string);
          ats.push(num(atColumn[i]));
        }
        if (ids.length >= pageSize) {
          pages.push({ eventIds: ids, atMs: Float64Array.from(ats) });
          ids = [];
          ats = [];
        }
      }
      if (ids.length > 0) pages.push({ eventIds: ids, atMs: Float64Array.from(ats) });
    });
    yield* pages;
  }

  async storedEventIds(eventIds: readonly string[], within?: { fromMs: Millis; toMs: Millis }): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    // A time range is a filter on at_ms, so DuckDB skips row groups outside it rather than read every stored id.
    const range = within ? `at_ms BETWEEN ${BigInt(Math.floor(within.fromMs))} AND ${BigInt(Math.ceil(within.toMs))}` : '';
    // No stored event in the range, no stored id among the batch's: the same (empty) answer without
    // binding the ids as a list and joining them (0.17 s for one more day at 10M: 30k ids; about
    // half of it the list alone). The range test reads only at_ms, and DuckDB's min/max per row
    // group answer it for a new day (every row group ends before it): a few ms. Re-sent or late
    // events lie in stored time and take the full query.
    if (within && (await this.rows(`SELECT 1 FROM events WHERE ${range} LIMIT 1`)).length === 0) return new Set();
    const rows = await this.rows(`SELECT DISTINCT event_id FROM events WHERE event_id IN (SELECT unnest($1::VARCHAR[])) ${range ? `AND ${range}` : ''}`, [
      listValue(eventIds),
    ]);
    return new Set(rows.map((r) => str(r.event_id)));
  }

  async eventsOfProfile(profileId: string, fromMs: Millis = -Infinity): Promise<PlaybackEvent[]> {
    return (await this.eventsOfProfiles([{ profileId, fromMs }])).get(profileId) ?? [];
  }

  async eventsOfProfiles(cuts: readonly ProfileCut[]): Promise<Map<string, PlaybackEvent[]>> {
    const byProfile = new Map<string, PlaybackEvent[]>();
    if (cuts.length === 0) return byProfile;
    await this.exclusive(async (c) => {
      const result = await c.stream(
        `WITH cuts AS (SELECT unnest($1::VARCHAR[]) AS profile_id, unnest($2::BIGINT[]) AS from_ms)
         SELECT e.event_id, e.playback_id, e.profile_id, e.title_id, e.type, e.position_s, e.at_ms, e.offset_min, e.device_id, e.country, e.autoplayed, e.user_action
         FROM events e JOIN cuts ON e.profile_id = cuts.profile_id AND e.at_ms >= cuts.from_ms`,
        cutValues(cuts),
      );
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        for (const row of chunk.getRows()) {
          const event = eventFromRow(row);
          const list = byProfile.get(event.profileId);
          if (list) list.push(event);
          else byProfile.set(event.profileId, [event]);
        }
      }
    });
    return byProfile;
  }

  /** All events grouped by profile, streamed in profile order (for full recomputes and benchmarks). */
  async eachProfileEvents(visit: (profileId: string, events: PlaybackEvent[]) => Promise<void> | void): Promise<void> {
    const batches: [string, PlaybackEvent[]][] = [];
    // Streaming under the lock, then visiting outside it: the visitor may write.
    await this.exclusive(async (c) => {
      const result = await c.stream(
        `SELECT event_id, playback_id, profile_id, title_id, type, position_s, at_ms, offset_min, device_id, country, autoplayed, user_action
         FROM events ORDER BY profile_id`,
      );
      let current: string | undefined;
      let events: PlaybackEvent[] = [];
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        for (const row of chunk.getRows()) {
          const event = eventFromRow(row);
          if (event.profileId !== current) {
            if (current !== undefined) batches.push([current, events]);
            current = event.profileId;
            events = [];
          }
          events.push(event);
        }
      }
      if (current !== undefined) batches.push([current, events]);
    });
    for (const [profileId, events] of batches) await visit(profileId, events);
  }

  // ---- catalogue, members --------------------------------------------------------------------

  async putTitles(titles: readonly Title[]): Promise<void> {
    // One set-based statement from a temp table filled by the Appender (a prepared INSERT per title
    // took ~10 ms each; list parameters, ~20 µs per value); the last copy of an id wins.
    const unique = [...new Map(titles.map((t) => [t.titleId, t])).values()];
    if (unique.length === 0) return;
    await this.exclusive(async (c) => {
      await c.run('CREATE OR REPLACE TEMP TABLE put_titles AS SELECT * FROM titles LIMIT 0');
      try {
        const appender = await c.createAppender('put_titles', 'main', 'temp');
        const text = (v: string | null | undefined) => (v === null || v === undefined ? appender.appendNull() : appender.appendVarchar(v));
        const double = (v: number | null | undefined) => (v === null || v === undefined ? appender.appendNull() : appender.appendDouble(v));
        try {
          for (const t of unique) {
            text(t.titleId);
            text(t.kind);
            text(t.name);
            double(t.runtimeS);
            text(t.seriesId);
            text(t.seriesName);
            text(t.season === undefined ? null : String(t.season));
            if (t.episode === undefined || t.episode === null) appender.appendNull();
            else appender.appendInteger(t.episode);
            text(t.supplementalType);
            double(t.creditsAtS);
            if (t.releasedAtMs === undefined || t.releasedAtMs === null) appender.appendNull();
            else appender.appendBigInt(BigInt(t.releasedAtMs));
            if (t.genres) appender.appendList(t.genres, LIST(VARCHAR));
            else appender.appendNull();
            appender.endRow();
          }
          appender.flushSync();
        } finally {
          appender.closeSync();
        }
        await c.run('INSERT OR REPLACE INTO titles SELECT * FROM put_titles');
      } finally {
        await c.run('DROP TABLE IF EXISTS put_titles');
      }
    });
    this.changed({ catalogue: true });
  }

  async titles(): Promise<Title[]> {
    const rows = await this.rows('SELECT * FROM titles');
    return rows.map((r) => {
      const title: Title = { titleId: str(r.title_id), kind: str(r.kind) as TitleKind, name: str(r.name), runtimeS: optNum(r.runtime_s) ?? null };
      if (r.series_id !== null) title.seriesId = str(r.series_id);
      if (r.series_name !== null) title.seriesName = str(r.series_name);
      if (r.season !== null) title.season = /^\d+$/.test(str(r.season)) ? Number(r.season) : str(r.season);
      if (r.episode !== null) title.episode = num(r.episode);
      if (r.supplemental_type !== null) title.supplementalType = str(r.supplemental_type);
      if (r.credits_at_s !== null) title.creditsAtS = num(r.credits_at_s);
      if (r.released_at_ms !== null) title.releasedAtMs = num(r.released_at_ms);
      if (r.genres !== null) title.genres = (r.genres as unknown as { items: string[] }).items;
      return title;
    });
  }

  async putMembers(members: readonly Member[]): Promise<void> {
    await this.upsertColumns('members', [VARCHAR, VARCHAR, BIGINT], members.map((m) => [m.memberId, m.country, BigInt(m.createdAtMs)]));
    if (members.length > 0) this.changed({ memberIds: members.map((m) => m.memberId) });
  }

  async putProfiles(profiles: readonly Profile[]): Promise<void> {
    await this.upsertColumns('profiles', [VARCHAR, VARCHAR, VARCHAR], profiles.map((p) => [p.profileId, p.memberId, p.name]), () =>
      this.patchDirectory((d) => d.putProfiles(profiles)),
    );
    if (profiles.length > 0) this.changed({ profileIds: profiles.map((p) => p.profileId), memberIds: profiles.map((p) => p.memberId) });
  }

  async putDevices(devices: readonly Device[]): Promise<void> {
    await this.upsertColumns('devices', [VARCHAR, VARCHAR, VARCHAR], devices.map((d) => [d.deviceId, d.memberId, d.kind]));
  }

  /** INSERT OR REPLACE of many rows in one statement, one list parameter per column; the first column is the key (last copy wins). */
  private async upsertColumns(table: string, types: readonly DuckDBType[], rows: DuckDBValue[][], committed?: () => void): Promise<void> {
    const unique = [...new Map(rows.map((r) => [r[0], r])).values()];
    if (unique.length === 0) return;
    const select = types.map((_, i) => `unnest($${i + 1})`).join(', ');
    const values = types.map((_, i) => listValue(unique.map((r) => r[i])));
    await this.exclusive(async (c) => {
      await c.run(`INSERT OR REPLACE INTO ${table} SELECT ${select}`, values, types.map((t) => LIST(t)));
      committed?.();
    });
  }

  async profile(profileId: string): Promise<Profile | undefined> {
    const found = (this.loadedDirectory ?? (await this.directory())).profile(profileId);
    return found ? { ...found } : undefined;
  }

  async member(memberId: string): Promise<Member | undefined> {
    const [row] = await this.rows('SELECT * FROM members WHERE member_id = $1', [memberId]);
    return row ? { memberId: str(row.member_id), country: str(row.country), createdAtMs: num(row.created_at_ms) } : undefined;
  }

  async countMembers(): Promise<number> {
    const [row] = await this.rows('SELECT count(*) AS n FROM members');
    return num(row.n);
  }

  // ---- derived views -----------------------------------------------------------------------

  async dirtyProfiles(profileIds?: readonly string[]): Promise<DirtyProfile[]> {
    if (profileIds?.length === 1) {
      // One profile (each year-in-review request): a prepared statement (profile-views.ts).
      const [profileId] = profileIds;
      const mark = await this.exclusive((c) => readDirtyMark(c, profileId));
      return mark ? [{ profileId, ...mark }] : [];
    }
    const only = profileIds ? 'WHERE profile_id IN (SELECT unnest($1::VARCHAR[]))' : '';
    const rows = await this.rows(
      `SELECT profile_id, min(from_ms) AS from_ms, max(seq) AS seq FROM dirty_marks ${only} GROUP BY profile_id ORDER BY profile_id`,
      profileIds ? [listValue(profileIds)] : [],
    );
    return rows.map((r) => ({ profileId: str(r.profile_id), fromMs: num(r.from_ms), upToSeq: num(r.seq) }));
  }

  /** The next dirty-mark sequence number (strictly increasing within this process). */
  private async nextMarkSeq(c: DuckDBConnection): Promise<bigint> {
    if (this.markSeq === undefined) {
      const [row] = (await c.runAndReadAll('SELECT coalesce(max(seq), 0) AS seq FROM dirty_marks')).getRowObjects();
      this.markSeq = BigInt(num(row.seq));
    }
    this.markSeq += 1n;
    return this.markSeq;
  }

  /** Views of dirty profiles computed in SQL (views-refresh.ts); profiles under the 24 h cap come back still dirty. */
  async refreshViewsInStore(dirty: readonly DirtyProfile[], defs: Definitions): Promise<InStoreRefresh> {
    const result = await this.transaction((c) => refreshViewsInStore(c, dirty, defs));
    const left = new Set(result.leftDirty.map((d) => d.profileId));
    const done = dirty.filter((d) => !left.has(d.profileId)).map((d) => d.profileId);
    if (done.length > 0) this.changed({ profileIds: done });
    return result;
  }

  async earliestEventOfPlaybacksSince(cuts: readonly ProfileCut[]): Promise<Map<string, Millis>> {
    const earliest = new Map<string, Millis>();
    if (cuts.length === 0) return earliest;
    const rows = await this.rows(
      `WITH cuts AS (SELECT unnest($1::VARCHAR[]) AS profile_id, unnest($2::BIGINT[]) AS from_ms),
       touched AS (SELECT DISTINCT e.profile_id, e.playback_id FROM events e JOIN cuts ON e.profile_id = cuts.profile_id AND e.at_ms >= cuts.from_ms)
       SELECT e.profile_id, min(e.at_ms) AS first FROM events e JOIN touched USING (profile_id, playback_id) GROUP BY e.profile_id`,
      cutValues(cuts),
    );
    for (const row of rows) earliest.set(str(row.profile_id), num(row.first));
    return earliest;
  }

  async replaceViews(work: readonly ViewReplacement[]): Promise<void> {
    if (work.length === 0) return;
    await this.transaction(async (c) => {
      for (const { profileId, fromMs } of work) {
        const from = Number.isFinite(fromMs) ? BigInt(Math.floor(fromMs)) : -(2n ** 62n);
        // Imported views are not the events' to replace: they are in tables of their own (imported-views.ts).
        await c.run('DELETE FROM live_view_days WHERE view_id IN (SELECT view_id FROM live_views WHERE profile_id = $1 AND start_ms >= $2)', [profileId, from]);
        await c.run('DELETE FROM live_views WHERE profile_id = $1 AND start_ms >= $2', [profileId, from]);
      }
      const viewAppender = await c.createAppender('live_views');
      const dayAppender = await c.createAppender('live_view_days');
      try {
        for (const { views } of work) {
          for (const v of views) appendView(viewAppender, dayAppender, v);
        }
        viewAppender.flushSync();
        dayAppender.flushSync();
      } finally {
        viewAppender.closeSync();
        dayAppender.closeSync();
      }
      const maxSeq = BigInt(Number.MAX_SAFE_INTEGER);
      await c.run(
        `DELETE FROM dirty_marks USING (SELECT unnest($1::VARCHAR[]) AS profile_id, unnest($2::BIGINT[]) AS up_to) AS done
         WHERE dirty_marks.profile_id = done.profile_id AND dirty_marks.seq <= done.up_to`,
        [listValue(work.map((w) => w.profileId)), listValue(work.map((w) => (w.upToSeq === undefined ? maxSeq : BigInt(w.upToSeq))))],
      );
      // The playback bounds the in-store refresh relies on (migration 7, views-refresh.ts): every
      // playback with an event from the cut lies wholly after it, so its bounds are rewritten.
      const cuts = cutValues(work);
      await c.run(
        `DELETE FROM playback_bounds USING (SELECT unnest($1::VARCHAR[]) AS profile_id, unnest($2::BIGINT[]) AS from_ms) AS done
         WHERE playback_bounds.profile_id = done.profile_id AND playback_bounds.last_ms >= done.from_ms`,
        cuts,
      );
      await c.run(
        `INSERT INTO playback_bounds
         SELECT e.profile_id, e.playback_id, min(e.at_ms), max(e.at_ms)
         FROM events e JOIN (SELECT unnest($1::VARCHAR[]) AS profile_id, unnest($2::BIGINT[]) AS from_ms) AS done
           ON e.profile_id = done.profile_id AND e.at_ms >= done.from_ms
         GROUP BY e.profile_id, e.playback_id`,
        cuts,
      );
    });
    this.changed({ profileIds: work.map((w) => w.profileId) });
  }

  async views(profileId: string, query: HistoryQuery): Promise<View[]> {
    const where = ['v.profile_id = $1'];
    const values: DuckDBValue[] = [profileId];
    if (query.fromDay) {
      values.push(query.fromDay);
      where.push(`v.day >= $${values.length}::DATE`);
    }
    if (query.toDay) {
      values.push(query.toDay);
      where.push(`v.day <= $${values.length}::DATE`);
    }
    if (query.kind) {
      values.push(query.kind);
      where.push(`v.kind = $${values.length}`);
    }
    if (!query.includeHidden) where.push('h.view_id IS NULL');
    values.push(query.limit, query.offset);
    const sql = `${VIEW_SELECT} WHERE ${where.join(' AND ')} ORDER BY v.start_ms DESC, v.view_id LIMIT $${values.length - 1} OFFSET $${values.length}`;
    return this.viewsWithDays(sql, values);
  }

  async allViews(profileId: string): Promise<View[]> {
    // One prepared statement read by columns (profile-views.ts): a year in review is mostly this read.
    return this.exclusive((c) => readProfileViews(c, profileId));
  }

  async viewsOfProfiles(profileIds: readonly string[]): Promise<Map<string, View[]>> {
    const byProfile = new Map<string, View[]>();
    if (profileIds.length === 0) return byProfile;
    return this.exclusive(async (c) => {
      // One profile: an equality filter lets DuckDB skip row groups by their min/max; many: one hash join.
      const single = profileIds.length === 1;
      const wanted = single ? [profileIds[0]] : [listValue(profileIds)];
      const filter = single ? 'profile_id = $1' : 'profile_id IN (SELECT unnest($1::VARCHAR[]))';
      // One profile's few hundred rows are sorted here: DuckDB's sort costs more than the scan of
      // the profile's row group (a year in review is mostly this read).
      const order = single ? '' : ' ORDER BY v.profile_id, v.start_ms, v.view_id';
      const rows = (await c.runAndReadAll(`${VIEW_SELECT} WHERE v.${filter}${order}`, wanted)).getRowObjects();
      const dayRows = (
        await c.runAndReadAll(`SELECT view_id, profile_id, CAST(day AS VARCHAR) AS day, watched_s FROM view_days WHERE ${filter}${single ? '' : ' ORDER BY day'}`, wanted)
      ).getRowObjects();
      if (single) {
        rows.sort((a, b) => num(a.start_ms) - num(b.start_ms) || byText(str(a.view_id), str(b.view_id)));
        dayRows.sort((a, b) => byText(str(a.day), str(b.day)));
      }
      const daysOf = new Map<string, { day: string; watchedS: number }[]>();
      for (const d of dayRows) {
        const key = `${str(d.profile_id)}\u0000${str(d.view_id)}`;
        const list = daysOf.get(key);
        if (list) list.push({ day: str(d.day), watchedS: num(d.watched_s) });
        else daysOf.set(key, [{ day: str(d.day), watchedS: num(d.watched_s) }]);
      }
      for (const r of rows) {
        const view = viewFromRow(r, daysOf.get(`${str(r.profile_id)}\u0000${str(r.view_id)}`) ?? []);
        const list = byProfile.get(view.profileId);
        if (list) list.push(view);
        else byProfile.set(view.profileId, [view]);
      }
      return byProfile;
    });
  }

  private async viewsWithDays(sql: string, values: DuckDBValue[]): Promise<View[]> {
    return this.exclusive(async (c) => {
      const rows = (await c.runAndReadAll(sql, values)).getRowObjects();
      if (rows.length === 0) return [];
      const ids = rows.map((r) => str(r.view_id));
      const dayRows = (
        await c.runAndReadAll(
          'SELECT view_id, CAST(day AS VARCHAR) AS day, watched_s FROM view_days WHERE profile_id = $1 AND list_contains($2::VARCHAR[], view_id) ORDER BY day',
          [str(rows[0].profile_id), listValue(ids)],
        )
      ).getRowObjects();
      const daysOf = new Map<string, { day: string; watchedS: number }[]>();
      for (const d of dayRows) {
        const list = daysOf.get(str(d.view_id)) ?? [];
        list.push({ day: str(d.day), watchedS: num(d.watched_s) });
        daysOf.set(str(d.view_id), list);
      }
      return rows.map((r) => viewFromRow(r, daysOf.get(str(r.view_id)) ?? []));
    });
  }

  async countViews(profileIds: readonly string[]): Promise<number> {
    if (profileIds.length === 0) return 0;
    const [row] = await this.rows('SELECT count(*) AS n FROM views WHERE profile_id IN (SELECT unnest($1::VARCHAR[]))', [listValue(profileIds)]);
    return num(row.n);
  }

  /** The bulk CSV path (netflix-csv.ts): DuckDB's reader stages the file. */
  async stageCsv(file: string, fieldCount: number, keep?: readonly number[]): Promise<StagedCsv | null> {
    return stageCsvFile(
      {
        exclusive: (work) => this.exclusive(work),
        transaction: (work) => this.transaction(work),
      },
      file,
      fieldCount,
      keep,
    );
  }

  /** Imported history (imported-views.ts): rows as imported_sessions, their views computed in SQL. */
  readonly importedHistory: ImportedHistoryStore = {
    putImportedSessions: (sessions) => this.transaction((c) => putImportedSessions(c, sessions)),
    importedSessionsOf: (profileIds) => this.exclusive((c) => importedSessionsOf(c, profileIds)),
    refreshImportedViews: async (profileIds, defs) => {
      // Its own transaction, around the writes only (imported-views.ts).
      const result = await this.exclusive((c) => refreshImportedViews(c, profileIds, defs));
      const capped = new Set(result.capped);
      const done = profileIds.filter((p) => !capped.has(p));
      if (done.length > 0) this.changed({ profileIds: done });
      return result;
    },
    replaceImportedViews: async (profileId, views) => {
      await this.transaction((c) => replaceImportedViews(c, profileId, views));
      this.changed({ profileIds: [profileId] });
    },
  };

  async hideView(profileId: string, viewId: string): Promise<boolean> {
    const hidden = await this.transaction(async (c) => {
      const found = (await c.runAndReadAll('SELECT 1 FROM views WHERE profile_id = $1 AND view_id = $2', [profileId, viewId])).currentRowCount;
      if (found === 0) return false;
      await c.run('INSERT OR IGNORE INTO hidden_views VALUES ($1, $2, $3)', [profileId, viewId, BigInt(Date.now())]);
      return true;
    });
    if (hidden) this.changed({ profileIds: [profileId] });
    return hidden;
  }

  // ---- keys and meta -------------------------------------------------------------------------

  async putKey(key: StoredKey & { hash: string }): Promise<void> {
    await this.rows('INSERT INTO api_keys VALUES ($1, $2, $3, $4, $5)', [key.keyId, key.kind, key.label, key.hash, BigInt(key.createdAtMs)]);
  }

  async keyByHash(hash: string): Promise<StoredKey | undefined> {
    const [row] = await this.rows('SELECT key_id, kind, label, created_at_ms FROM api_keys WHERE hash = $1', [hash]);
    return row
      ? { keyId: str(row.key_id), kind: str(row.kind) as StoredKey['kind'], label: str(row.label), createdAtMs: num(row.created_at_ms) }
      : undefined;
  }

  async revokeToken(jti: string, expiresAtMs: number): Promise<void> {
    await this.rows('INSERT OR REPLACE INTO revoked_tokens VALUES ($1, $2)', [jti, BigInt(expiresAtMs)]);
  }

  async revokedTokens(nowMs: number): Promise<string[]> {
    await this.rows('DELETE FROM revoked_tokens WHERE expires_at_ms <= $1', [BigInt(nowMs)]);
    return (await this.rows('SELECT jti FROM revoked_tokens ORDER BY jti')).map((r) => str(r.jti));
  }

  async signOutEverywhere(accountId: string, beforeS: number, expiresAtMs: number): Promise<void> {
    await this.rows('INSERT OR REPLACE INTO account_sign_outs VALUES ($1, $2, $3)', [accountId, BigInt(beforeS), BigInt(expiresAtMs)]);
  }

  async signOutsEverywhere(nowMs: number): Promise<{ accountId: string; beforeS: number }[]> {
    await this.rows('DELETE FROM account_sign_outs WHERE expires_at_ms <= $1', [BigInt(nowMs)]);
    return (await this.rows('SELECT account_id, before_s FROM account_sign_outs ORDER BY account_id')).map((r) => ({ accountId: str(r.account_id), beforeS: num(r.before_s) }));
  }

  async meta(name: string): Promise<string | undefined> {
    const [row] = await this.rows('SELECT value FROM meta WHERE name = $1', [name]);
    return row ? str(row.value) : undefined;
  }

  async setMeta(name: string, value: string): Promise<void> {
    await this.rows('INSERT OR REPLACE INTO meta VALUES ($1, $2)', [name, value]);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

const VIEW_SELECT = `SELECT v.view_id, v.profile_id, v.title_id, v.kind, v.start_ms, v.end_ms, v.watched_s, v.furthest_s,
  v.bookmark_s, v.completed, v.rewatch, v.autoplayed, v.ended_by_timeout, v.interacted, v.sessions, v.device_id,
  v.country, v.offset_min, CAST(v.day AS VARCHAR) AS day, h.view_id IS NOT NULL AS hidden
  FROM views v LEFT JOIN hidden_views h ON h.profile_id = v.profile_id AND h.view_id = v.view_id`;

/** The PlaybackEvent fields in the column order of `events`, with their types for read_json. */
const JSON_EVENT_FIELDS = ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'atMs', 'offsetMin', 'deviceId', 'country', 'autoplayed', 'userAction'] as const;
const JSON_EVENT_COLUMNS = `{eventId: 'VARCHAR', playbackId: 'VARCHAR', profileId: 'VARCHAR', titleId: 'VARCHAR', type: 'VARCHAR', positionS: 'DOUBLE', atMs: 'BIGINT', offsetMin: 'SMALLINT', deviceId: 'VARCHAR', country: 'VARCHAR', autoplayed: 'BOOLEAN', userAction: 'VARCHAR'}`;

// The wire form (event-schema.ts) in SQL, for events already valid: `at` is
// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm), read as parseAt reads it (years 0 to 99 as
// 1900 to 1999, as Date.UTC does; zone minutes up to 99; the fraction as
// Math.floor(Number(fraction) * 1000)). DuckDB's own TIMESTAMPTZ cast, about 4 times cheaper than
// taking the string apart, reads the common case (a fraction of at most 3 digits, a year from
// 1000, zone minutes under 60); the rest is taken apart field by field. Byte positions (strlen,
// positive substr, ends_with): right() and negative positions count characters and cost 5 to 10
// times more. A property test (adapter-wire.test.ts) holds the SQL to parseAt.
const WIRE_JSON_COLUMNS = `{'eventId': 'VARCHAR', 'playbackId': 'VARCHAR', 'profileId': 'VARCHAR', 'titleId': 'VARCHAR', 'type': 'VARCHAR', 'positionS': 'DOUBLE', 'at': 'VARCHAR', 'device': 'VARCHAR', 'country': 'VARCHAR', 'autoplayed': 'BOOLEAN', 'userAction': 'VARCHAR'}`;
const WIRE_AT_LENGTH = `strlen("at")`;
const WIRE_UTC = `ends_with("at", 'Z')`;
const WIRE_ZONE_CHARS = `(CASE WHEN ${WIRE_UTC} THEN 1 ELSE 6 END)`;
const WIRE_OFFSET_MIN = `(CASE WHEN ${WIRE_UTC} THEN NULL ELSE (CASE WHEN substr("at", ${WIRE_AT_LENGTH} - 5, 1) = '-' THEN -1 ELSE 1 END) * (CAST(substr("at", ${WIRE_AT_LENGTH} - 4, 2) AS INTEGER) * 60 + CAST(substr("at", ${WIRE_AT_LENGTH} - 1, 2) AS INTEGER)) END)`;
const WIRE_FRACTION = `substr("at", 20, ${WIRE_AT_LENGTH} - 19 - ${WIRE_ZONE_CHARS})`;
const WIRE_AT_COMMON = `(${WIRE_AT_LENGTH} <= (CASE WHEN ${WIRE_UTC} THEN 24 ELSE 29 END) AND "at" >= '1000' AND (${WIRE_UTC} OR substr("at", ${WIRE_AT_LENGTH} - 1, 1) < '6'))`;
const WIRE_AT_MS = `(CASE WHEN ${WIRE_AT_COMMON} THEN epoch_ms(CAST("at" AS TIMESTAMPTZ)) ELSE
  epoch_ms(make_timestamp(
    CAST(substr("at", 1, 4) AS BIGINT) + (CASE WHEN CAST(substr("at", 1, 4) AS BIGINT) <= 99 THEN 1900 ELSE 0 END),
    CAST(substr("at", 6, 2) AS BIGINT), CAST(substr("at", 9, 2) AS BIGINT), CAST(substr("at", 12, 2) AS BIGINT),
    CAST(substr("at", 15, 2) AS BIGINT), CAST(substr("at", 18, 2) AS DOUBLE)))
  + (CASE WHEN ${WIRE_FRACTION} = '' THEN 0 ELSE CAST(floor(CAST('0' || ${WIRE_FRACTION} AS DOUBLE) * 1000) AS BIGINT) END)
  - coalesce(${WIRE_OFFSET_MIN}, 0) * 60000 END)`;

/** The SELECT of one file's events in the column order of JSON_EVENT_FIELDS (and of the events table). */
function eventJsonSelect(file: EventJsonFile): string {
  if (file.form === 'events') {
    return `SELECT ${JSON_EVENT_FIELDS.map((f) => `"${f}"`).join(', ')} FROM read_json(${sqlString(file.path)}, format = 'array', columns = ${JSON_EVENT_COLUMNS})`;
  }
  const format = file.form === 'wire-array' ? 'array' : 'newline_delimited';
  return `SELECT "eventId", "playbackId", "profileId", "titleId", "type", "positionS", ${WIRE_AT_MS} AS "atMs",
      CAST(${WIRE_OFFSET_MIN} AS SMALLINT) AS "offsetMin", "device" AS "deviceId", "country",
      coalesce("autoplayed", false) AS "autoplayed", coalesce("userAction", 'none') AS "userAction"
    FROM read_json(${sqlString(file.path)}, format = '${format}', columns = ${WIRE_JSON_COLUMNS})`;
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Appends one dirty mark per profile of the batch, in the batch's transaction. */
async function markDirty(c: DuckDBConnection, earliest: Map<string, number>, seq: bigint): Promise<void> {
  const appender = await c.createAppender('dirty_marks');
  try {
    for (const [profileId, fromMs] of earliest) {
      appender.appendVarchar(profileId);
      appender.appendBigInt(BigInt(fromMs));
      appender.appendBigInt(seq);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function listValue(items: readonly DuckDBValue[]): DuckDBValue {
  return duckList([...items]);
}

/** One event as a row of the `events` table, in column order (the Appender is positional). */
export function appendEventRow(appender: DuckDBAppender, e: PlaybackEvent): void {
  appender.appendVarchar(e.eventId);
  appender.appendVarchar(e.playbackId);
  appender.appendVarchar(e.profileId);
  appender.appendVarchar(e.titleId);
  appender.appendVarchar(e.type);
  appender.appendDouble(e.positionS);
  appender.appendBigInt(BigInt(e.atMs));
  if (e.offsetMin === null) appender.appendNull();
  else appender.appendSmallInt(e.offsetMin);
  appender.appendVarchar(e.deviceId);
  appender.appendVarchar(e.country);
  appender.appendBoolean(e.autoplayed);
  appender.appendVarchar(e.userAction);
  appender.endRow();
}

function cutValues(cuts: readonly ProfileCut[]): DuckDBValue[] {
  const floor = -(2n ** 62n);
  return [
    listValue(cuts.map((c) => c.profileId)),
    listValue(cuts.map((c) => (Number.isFinite(c.fromMs) ? BigInt(Math.floor(c.fromMs)) : floor))),
  ];
}

function eventFromRow(row: readonly DuckDBValue[]): PlaybackEvent {
  return {
    eventId: row[0] as string,
    playbackId: row[1] as string,
    profileId: row[2] as string,
    titleId: row[3] as string,
    type: row[4] as PlaybackEvent['type'],
    positionS: row[5] as number,
    atMs: num(row[6]),
    offsetMin: row[7] === null ? null : num(row[7]),
    deviceId: row[8] as string,
    country: row[9] as string,
    autoplayed: row[10] as boolean,
    userAction: row[11] as PlaybackEvent['userAction'],
  };
}

/** Text order as DuckDB's ORDER BY on ASCII ids and ISO days. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function viewFromRow(r: Record<string, DuckDBValue>, days: { day: string; watchedS: number }[]): View {
  return {
    viewId: str(r.view_id),
    profileId: str(r.profile_id),
    titleId: str(r.title_id),
    kind: str(r.kind) as TitleKind,
    startMs: num(r.start_ms),
    endMs: num(r.end_ms),
    watchedS: num(r.watched_s),
    furthestS: num(r.furthest_s),
    bookmarkS: num(r.bookmark_s),
    completed: r.completed as boolean,
    rewatch: r.rewatch as boolean,
    autoplayed: r.autoplayed as boolean,
    endedByTimeout: r.ended_by_timeout as boolean,
    interacted: r.interacted as boolean,
    sessions: num(r.sessions),
    deviceId: str(r.device_id),
    country: str(r.country),
    offsetMin: num(r.offset_min),
    day: str(r.day),
    days,
    hidden: r.hidden as boolean,
  };
}

export function accountFromRow(r: Record<string, DuckDBValue>): Account {
  return {
    accountId: str(r.account_id),
    email: str(r.email),
    passwordHash: str(r.password_hash),
    role: str(r.role) as Account['role'],
    createdAtMs: num(r.created_at_ms),
  };
}
