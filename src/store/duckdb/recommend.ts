// RecommendStore on the embedded DuckDB store, on the store's one connection (`withConnection`),
// so its statements are serialised with ingest like every other. Hidden views are filtered here,
// in SQL, so nothing above this file can see them. Writes of thumbs, picks and models are
// reported to the store's change listeners after they commit (the serving caches drop them).

import { blobValue, listValue, type DuckDBBlobValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Millis, OnboardingPick, Thumb, ThumbRating } from '../../domain/model.js';
import { BingeError } from '../../errors.js';
import type { CompletedTitle, DigestSend, LatestThumb, RecommendStore, StoredModelInfo, StoredModelRow } from '../recommend-port.js';
import { RECOMPUTE_FLAGS } from '../../privacy/member-data.js';
import { DuckDbStore } from './adapter.js';

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));
const str = (value: DuckDBValue): string => value as string;
const ids = (list: readonly string[]): DuckDBValue => listValue([...list]);
const FAR = 2n ** 62n;

type Rows = Record<string, DuckDBValue>[];
async function rows(c: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<Rows> {
  return (await c.runAndReadAll(sql, values)).getRowObjects();
}

const MODEL_COLUMNS = `model_id, kind, params, trained_at_ms, window_from_ms, window_to_ms, profiles, consenting_members,
  consent_digest, items, interactions`;

export class DuckDbRecommendStore implements RecommendStore {
  constructor(private readonly store: DuckDbStore) {}

  private run<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.store.withConnection(work);
  }

  async completedTitles(profileIds: readonly string[], window?: { fromMs: Millis; toMs: Millis }): Promise<CompletedTitle[]> {
    if (profileIds.length === 0) return [];
    const from = window ? BigInt(Math.floor(window.fromMs)) : -FAR;
    const to = window ? BigInt(Math.ceil(window.toMs)) : FAR;
    const found = await this.run((c) =>
      rows(
        c,
        `SELECT v.profile_id, v.title_id, count(*) AS n, min(v.end_ms) AS first_ms, max(v.end_ms) AS last_ms
         FROM views v LEFT JOIN hidden_views h ON h.profile_id = v.profile_id AND h.view_id = v.view_id
         WHERE v.profile_id IN (SELECT unnest($1::VARCHAR[])) AND h.view_id IS NULL AND v.completed
           AND v.kind <> 'supplemental' AND v.end_ms BETWEEN $2 AND $3
         GROUP BY v.profile_id, v.title_id ORDER BY v.profile_id, v.title_id`,
        [ids(profileIds), from, to],
      ),
    );
    return found.map((r) => ({
      profileId: str(r.profile_id),
      titleId: str(r.title_id),
      completions: num(r.n),
      firstCompletedMs: num(r.first_ms),
      lastCompletedMs: num(r.last_ms),
    }));
  }

  async latestThumbs(profileIds: readonly string[]): Promise<LatestThumb[]> {
    if (profileIds.length === 0) return [];
    const found = await this.run((c) =>
      rows(
        c,
        `SELECT profile_id, title_id, arg_max(rating, at_ms) AS rating, max(at_ms) AS at_ms FROM thumbs
         WHERE profile_id IN (SELECT unnest($1::VARCHAR[])) GROUP BY profile_id, title_id ORDER BY profile_id, title_id`,
        [ids(profileIds)],
      ),
    );
    return found.map((r) => ({ profileId: str(r.profile_id), titleId: str(r.title_id), rating: str(r.rating) as ThumbRating, atMs: num(r.at_ms) }));
  }

  async putThumbs(thumbs: readonly Thumb[]): Promise<void> {
    if (thumbs.length === 0) return;
    await this.run((c) =>
      c.run(
        `INSERT INTO thumbs SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), unnest($4::VARCHAR[]), unnest($5::BIGINT[])`,
        [
          ids(thumbs.map((t) => t.eventId)),
          ids(thumbs.map((t) => t.profileId)),
          ids(thumbs.map((t) => t.titleId)),
          ids(thumbs.map((t) => t.rating)),
          listValue(thumbs.map((t) => BigInt(Math.floor(t.atMs)))),
        ],
      ),
    );
    this.store.changed({ profileIds: [...new Set(thumbs.map((t) => t.profileId))] });
  }

  async setPicks(profileId: string, titleIds: readonly string[], atMs: Millis): Promise<void> {
    await this.run(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        await c.run('DELETE FROM onboarding_picks WHERE profile_id = $1', [profileId]);
        if (titleIds.length > 0) {
          await c.run('INSERT INTO onboarding_picks SELECT $1, unnest($2::VARCHAR[]), $3', [profileId, ids(titleIds), BigInt(Math.floor(atMs))]);
        }
        await c.run('COMMIT');
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    this.store.changed({ profileIds: [profileId] });
  }

  async picksOf(profileIds: readonly string[]): Promise<OnboardingPick[]> {
    if (profileIds.length === 0) return [];
    const found = await this.run((c) =>
      rows(c, 'SELECT profile_id, title_id, at_ms FROM onboarding_picks WHERE profile_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY profile_id, at_ms, title_id', [ids(profileIds)]),
    );
    return found.map((r) => ({ profileId: str(r.profile_id), titleId: str(r.title_id), atMs: num(r.at_ms) }));
  }

  async countriesOf(profileIds: readonly string[]): Promise<Map<string, string>> {
    if (profileIds.length === 0) return new Map();
    const found = await this.run((c) =>
      rows(
        c,
        'SELECT p.profile_id, m.country FROM profiles p JOIN members m ON m.member_id = p.member_id WHERE p.profile_id IN (SELECT unnest($1::VARCHAR[]))',
        [ids(profileIds)],
      ),
    );
    return new Map(found.map((r) => [str(r.profile_id), str(r.country)]));
  }

  async saveModel(m: StoredModelRow): Promise<void> {
    await this.run((c) =>
      c.run(`INSERT INTO recommend_models (${MODEL_COLUMNS}, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
        m.modelId,
        m.kind,
        JSON.stringify(m.params),
        BigInt(Math.floor(m.trainedAtMs)),
        BigInt(Math.floor(m.windowFromMs)),
        BigInt(Math.ceil(m.windowToMs)),
        m.profiles,
        m.consentingMembers,
        m.consentDigest,
        m.items,
        BigInt(m.interactions),
        blobValue(m.body),
      ]),
    );
    this.store.changed({ models: true });
  }

  async latestModelId(): Promise<string | undefined> {
    const [row] = await this.run((c) => rows(c, 'SELECT model_id FROM recommend_models ORDER BY trained_at_ms DESC, model_id DESC LIMIT 1'));
    return row ? str(row.model_id) : undefined;
  }

  async recomputeFlag(): Promise<string | undefined> {
    const [row] = await this.run((c) => rows(c, 'SELECT value FROM meta WHERE name = $1', [RECOMPUTE_FLAGS.models]));
    return row ? str(row.value) : undefined;
  }

  async clearRecomputeFlag(stamp: string): Promise<boolean> {
    return this.run(async (c) => {
      const [row] = await rows(c, 'DELETE FROM meta WHERE name = $1 AND value = $2 RETURNING name', [RECOMPUTE_FLAGS.models, stamp]);
      return row !== undefined;
    });
  }

  async latestModel(): Promise<StoredModelRow | undefined> {
    const [row] = await this.run((c) => rows(c, `SELECT ${MODEL_COLUMNS}, body FROM recommend_models ORDER BY trained_at_ms DESC, model_id DESC LIMIT 1`));
    return row ? { ...modelInfo(row), body: (row.body as DuckDBBlobValue).bytes } : undefined;
  }

  async models(): Promise<StoredModelInfo[]> {
    return (await this.run((c) => rows(c, `SELECT ${MODEL_COLUMNS} FROM recommend_models ORDER BY trained_at_ms, model_id`))).map(modelInfo);
  }

  async emailsOf(memberIds: readonly string[]): Promise<Map<string, string>> {
    if (memberIds.length === 0) return new Map();
    const found = await this.run((c) =>
      rows(c, "SELECT account_id, email FROM accounts WHERE role = 'member' AND account_id IN (SELECT unnest($1::VARCHAR[]))", [ids(memberIds)]),
    );
    return new Map(found.map((r) => [str(r.account_id), str(r.email)]));
  }

  async digestSent(memberId: string, week: string): Promise<boolean> {
    return (await this.run((c) => rows(c, 'SELECT 1 FROM digest_sends WHERE member_id = $1 AND week = $2', [memberId, week]))).length > 0;
  }

  async recordDigestSend(send: DigestSend): Promise<void> {
    await this.run((c) =>
      c.run('INSERT OR IGNORE INTO digest_sends VALUES ($1, $2, $3, $4::VARCHAR[])', [send.memberId, send.week, BigInt(send.sentAtMs), ids(send.titles)]),
    );
  }
}

function modelInfo(r: Record<string, DuckDBValue>): StoredModelInfo {
  return {
    modelId: str(r.model_id),
    kind: str(r.kind),
    params: JSON.parse(str(r.params)) as Record<string, unknown>,
    trainedAtMs: num(r.trained_at_ms),
    windowFromMs: num(r.window_from_ms),
    windowToMs: num(r.window_to_ms),
    profiles: num(r.profiles),
    consentingMembers: num(r.consenting_members),
    consentDigest: str(r.consent_digest),
    items: num(r.items),
    interactions: num(r.interactions),
  };
}

/** The recommend store of a core store; only the embedded engine has one so far. */
export function recommendStoreOf(store: unknown): DuckDbRecommendStore {
  if (!(store instanceof DuckDbStore)) {
    throw new BingeError('BINGE_STORE_UNAVAILABLE', 'the recommend store needs the embedded DuckDB engine (store/duckdb)');
  }
  return new DuckDbRecommendStore(store);
}
