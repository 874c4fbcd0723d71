// InsightsStore on the embedded DuckDB store: members streamed with their views, the privacy
// ledger, the release secret and published releases. Everything runs through the store's one
// connection (`withConnection`), so it is serialised with ingest like every other statement.
//
// Streaming: one query sorted by member, read chunk by chunk; a member is handed to the visitor
// as soon as the next member's first row arrives. The visitor runs while the connection is held
// (so the stream stays open) and must not call the store; population facts only compute.

import { randomBytes } from 'node:crypto';
import { listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { TitleKind, View } from '../../domain/model.js';
import type { LedgerEntry, LedgerStore } from '../../privacy/release/ledger.js';
import type { DpMethod } from '../../privacy/release/mechanism.js';
import type { InsightsStore, StoredMemberViews, StoredProfileViews, StoredRelease, TimeWindow } from '../insights-port.js';
import { BingeError } from '../../errors.js';
import { DuckDbStore } from './adapter.js';
import { populationFactsSql, type PopulationSqlOptions } from './population-facts.js';
import type { Definitions } from '../../domain/definitions.js';
import type { PopulationFacts } from '../../insights/population.js';

const SECRET_META = 'dp.releaseSecret';
const SECRET_BYTES = 32;
const ALL_TIME: TimeWindow = { fromMs: -(2 ** 62), toMs: 2 ** 62 };

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));
const items = (value: DuckDBValue): DuckDBValue[] => (value === null ? [] : (value as unknown as { items: DuckDBValue[] }).items);
const windowValues = (w: TimeWindow = ALL_TIME): DuckDBValue[] => [BigInt(Math.floor(w.fromMs)), BigInt(Math.ceil(w.toMs))];

/** Days of each view as two lists, aggregated once (a join per view day would repeat the view's columns). */
const VIEW_COLUMNS = `v.view_id, v.profile_id, v.title_id, v.kind, v.start_ms, v.end_ms, v.watched_s, v.furthest_s, v.bookmark_s,
  v.completed, v.rewatch, v.autoplayed, v.ended_by_timeout, v.interacted, v.sessions, v.device_id, v.country, v.offset_min,
  CAST(v.day AS VARCHAR) AS day, h.view_id IS NOT NULL AS hidden, d.days, d.secs`;
const VIEW_JOINS = `LEFT JOIN hidden_views h ON h.profile_id = v.profile_id AND h.view_id = v.view_id
  LEFT JOIN (SELECT view_id, profile_id, list(CAST(day AS VARCHAR) ORDER BY day) AS days, list(watched_s ORDER BY day) AS secs
             FROM view_days GROUP BY view_id, profile_id) d ON d.view_id = v.view_id AND d.profile_id = v.profile_id`;
const IN_WINDOW = 'v.end_ms >= $1 AND v.start_ms <= $2';

function viewOfRow(r: readonly DuckDBValue[]): View {
  const days = items(r[20]);
  const secs = items(r[21]);
  return {
    viewId: r[0] as string,
    profileId: r[1] as string,
    titleId: r[2] as string,
    kind: r[3] as TitleKind,
    startMs: num(r[4]),
    endMs: num(r[5]),
    watchedS: r[6] as number,
    furthestS: r[7] as number,
    bookmarkS: r[8] as number,
    completed: r[9] as boolean,
    rewatch: r[10] as boolean,
    autoplayed: r[11] as boolean,
    endedByTimeout: r[12] as boolean,
    interacted: r[13] as boolean,
    sessions: num(r[14]),
    deviceId: r[15] as string,
    country: r[16] as string,
    offsetMin: num(r[17]),
    day: r[18] as string,
    hidden: r[19] as boolean,
    days: days.map((day, i) => ({ day: day as string, watchedS: secs[i] as number })),
  };
}

class DuckDbLedgerStore implements LedgerStore {
  constructor(private readonly store: DuckDbStore) {}

  async get(dataset: string, year: number): Promise<readonly LedgerEntry[]> {
    return this.store.withConnection(async (c) => {
      const rows = (
        await c.runAndReadAll('SELECT question_id, epsilon, delta, method, at_ms FROM dp_ledger WHERE dataset = $1 AND year = $2 ORDER BY at_ms, question_id', [dataset, year])
      ).getRows();
      return rows.map((r) => ({ dataset, year, questionId: r[0] as string, epsilon: r[1] as string, delta: r[2] as number, method: r[3] as DpMethod, atMs: num(r[4]) }));
    });
  }

  async append(entry: LedgerEntry): Promise<void> {
    await this.store.withConnection((c) =>
      c.run('INSERT INTO dp_ledger VALUES ($1, $2, $3, $4, $5, $6, $7)', [entry.dataset, entry.year, entry.questionId, entry.epsilon, entry.delta, entry.method, BigInt(entry.atMs)]),
    );
  }
}

export class DuckDbInsights implements InsightsStore {
  readonly ledger: LedgerStore;
  private secret: Promise<Buffer> | undefined;
  /**
   * The latest release per data set and year, read once: every year in review compares with it,
   * and it changes only through saveRelease on this store (one per store: duckDbInsights).
   */
  private readonly releases = new Map<string, Promise<StoredRelease | undefined>>();

  constructor(private readonly store: DuckDbStore) {
    this.ledger = new DuckDbLedgerStore(store);
  }

  async eachMember(visit: (member: StoredMemberViews) => void | Promise<void>, window?: TimeWindow): Promise<void> {
    const sql = `SELECT ${VIEW_COLUMNS}, coalesce(p.member_id, v.profile_id) AS member_id, m.country AS member_country
      FROM views v ${VIEW_JOINS}
      LEFT JOIN profiles p ON p.profile_id = v.profile_id
      LEFT JOIN members m ON m.member_id = p.member_id
      WHERE ${IN_WINDOW}
      ORDER BY member_id, v.profile_id, v.start_ms, v.view_id`;
    await this.store.withConnection(async (c) => {
      const result = await c.stream(sql, windowValues(window));
      let member: StoredMemberViews | undefined;
      let profile: StoredProfileViews | undefined;
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        for (const row of chunk.getRows()) {
          const view = viewOfRow(row);
          const memberId = row[22] as string;
          if (member?.memberId !== memberId) {
            if (member) await visit(member);
            member = { memberId, country: (row[23] as string | null) ?? view.country, profiles: [] };
            profile = undefined;
          }
          if (profile?.profileId !== view.profileId) {
            profile = { profileId: view.profileId, memberId, country: member.country, views: [] };
            member.profiles.push(profile);
          }
          profile.views.push(view);
        }
      }
      if (member) await visit(member);
    });
  }

  async devicesOfSeveralMembers(window?: TimeWindow): Promise<string[]> {
    return this.store.withConnection(async (c) => {
      const rows = (
        await c.runAndReadAll(
          `SELECT v.device_id FROM views v LEFT JOIN profiles p ON p.profile_id = v.profile_id
           WHERE ${IN_WINDOW} GROUP BY v.device_id HAVING count(DISTINCT coalesce(p.member_id, v.profile_id)) > 1 ORDER BY 1`,
          windowValues(window),
        )
      ).getRows();
      return rows.map((r) => r[0] as string);
    });
  }

  async viewsOnDevices(deviceIds: readonly string[], window?: TimeWindow): Promise<View[]> {
    if (deviceIds.length === 0) return [];
    return this.store.withConnection(async (c) => {
      const rows = (
        await c.runAndReadAll(
          `SELECT ${VIEW_COLUMNS} FROM views v ${VIEW_JOINS}
           WHERE ${IN_WINDOW} AND list_contains($3::VARCHAR[], v.device_id) ORDER BY v.start_ms, v.profile_id, v.view_id`,
          [...windowValues(window), listValue([...deviceIds])],
        )
      ).getRows();
      return rows.map(viewOfRow);
    });
  }

  async populationFacts(year: number, window: TimeWindow, defs: Definitions, options: PopulationSqlOptions = {}): Promise<PopulationFacts> {
    return this.store.withConnection((c) => populationFactsSql(c, year, window, defs, options));
  }

  async yearsWithViews(): Promise<number[]> {
    return this.store.withConnection(async (c) => {
      const rows = (await c.runAndReadAll('SELECT DISTINCT year(day) AS y FROM view_days WHERE watched_s > 0 ORDER BY 1')).getRows();
      return rows.map((r) => num(r[0]));
    });
  }

  async dataVersion(): Promise<string> {
    return this.store.withConnection(async (c) => {
      const [row] = (
        await c.runAndReadAll(
          `SELECT (SELECT count(*) FROM events), (SELECT coalesce(max(at_ms), 0) FROM events), (SELECT count(*) FROM hidden_views),
                  (SELECT coalesce(max(hidden_at_ms), 0) FROM hidden_views), (SELECT count(*) FROM titles)`,
        )
      ).getRows();
      return `events:${num(row[0])}:${num(row[1])}|hidden:${num(row[2])}:${num(row[3])}|titles:${num(row[4])}`;
    });
  }

  releaseSecret(): Promise<Buffer> {
    this.secret ??= this.store.withConnection(async (c) => {
      // Created once: a second caller (or process) keeps the first value.
      await c.run('INSERT INTO meta VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [SECRET_META, randomBytes(SECRET_BYTES).toString('hex')]);
      const [row] = (await c.runAndReadAll('SELECT value FROM meta WHERE name = $1', [SECRET_META])).getRows();
      return Buffer.from(row[0] as string, 'hex');
    });
    return this.secret;
  }

  async saveRelease(release: StoredRelease): Promise<void> {
    const key = releaseKey(release.dataset, release.year);
    this.releases.delete(key); // a read started meanwhile must not be kept either
    try {
      await this.saveReleaseRow(release);
    } finally {
      this.releases.delete(key);
    }
  }

  private async saveReleaseRow(release: StoredRelease): Promise<void> {
    await this.store.withConnection((c) =>
      c.run('INSERT INTO dp_releases VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
        release.dataset,
        release.year,
        release.questionId,
        BigInt(release.releasedAtMs),
        JSON.stringify(release.body),
      ]),
    );
  }

  /** Callers share the answer: treat it as read-only. */
  latestRelease(dataset: string, year: number): Promise<StoredRelease | undefined> {
    const key = releaseKey(dataset, year);
    let release = this.releases.get(key);
    if (!release) {
      release = this.readLatestRelease(dataset, year);
      this.releases.set(key, release);
      release.catch(() => this.releases.get(key) === release && this.releases.delete(key));
    }
    return release;
  }

  private async readLatestRelease(dataset: string, year: number): Promise<StoredRelease | undefined> {
    return this.store.withConnection(async (c) => {
      const [row] = (
        await c.runAndReadAll(
          'SELECT question_id, released_at_ms, body FROM dp_releases WHERE dataset = $1 AND year = $2 ORDER BY released_at_ms DESC, question_id LIMIT 1',
          [dataset, year],
        )
      ).getRows();
      return row ? { dataset, year, questionId: row[0] as string, releasedAtMs: num(row[1]), body: JSON.parse(row[2] as string) } : undefined;
    });
  }

  /** Marks every profile dirty from its first event (a full recompute of views; benchmarks). */
  async markAllDirty(): Promise<void> {
    await this.store.withConnection(async (c: DuckDBConnection) => {
      await c.run('INSERT INTO dirty_marks SELECT profile_id, min(at_ms), 0 FROM events GROUP BY profile_id');
    });
  }
}

const releaseKey = (dataset: string, year: number) => `${dataset}\u0000${year}`;

const insightsOfStore = new WeakMap<DuckDbStore, DuckDbInsights>();

/** The InsightsStore of a DuckDB store: one per store (its ledger queue must be shared by all callers). */
export function duckDbInsights(store: unknown): DuckDbInsights {
  if (!(store instanceof DuckDbStore)) {
    throw new BingeError('BINGE_STORE_UNAVAILABLE', 'insights and public facts need the embedded DuckDB engine (store/duckdb)');
  }
  let insights = insightsOfStore.get(store);
  if (!insights) insightsOfStore.set(store, (insights = new DuckDbInsights(store)));
  return insights;
}
