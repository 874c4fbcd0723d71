// A trained model as it is served and stored: each item's strongest neighbours (top K, CSR,
// float32), popularity counts (all time, recent window, per country), the item vocabulary, and
// what it was trained on (data window, consent state). EASE's dense n×n weights are cut to the
// top K positive weights per item: serving sums K weights per item of the profile, not n.

import { createHash } from 'node:crypto';
import type { Millis } from '../domain/model.js';
import type { StoredModelRow } from '../store/recommend-port.js';
import type { ItemNeighbours } from './item-neighbours.js';

export const MODEL_KINDS = ['ease', 'itemKnn', 'popularity'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Neighbours kept per item for serving. */
export const DEFAULT_NEIGHBOURS = 100;

export interface ConsentState {
  /** Members consenting to personalisation when training read the data. */
  members: number;
  profiles: number;
  /** SHA-256 of the sorted consenting member ids, one per line. */
  digest: string;
}

export interface ItemModel {
  modelId: string;
  kind: ModelKind;
  params: Record<string, unknown>;
  trainedAtMs: Millis;
  window: { fromMs: Millis; toMs: Millis };
  consent: ConsentState;
  interactions: number;
  itemIds: string[];
  neighbours: { indptr: Int32Array; indices: Int32Array; weights: Float32Array };
  /** Profiles with a positive signal on each item (all time, in the window). */
  popularity: Float64Array;
  /** The same in the last `recentDays` of the window. */
  recent: Float64Array;
  recentDays: number;
  /** Recent counts per country with at least `minCountryProfiles` profiles (sparse: item index → count). */
  countries: Record<string, { profiles: number; counts: [number, number][] }>;
}

export function consentDigest(memberIds: readonly string[]): string {
  return createHash('sha256').update([...memberIds].sort().join('\n')).digest('hex');
}

/** Top `k` positive weights of each row of a dense row-major n×n matrix (EASE's B). */
export function topNeighboursOfDense(weights: Float64Array, n: number, k: number): ItemModel['neighbours'] {
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = weights.subarray(i * n, (i + 1) * n);
    let m = 0;
    for (let j = 0; j < n; j++) if (row[j] > 0) order[m++] = j;
    const chosen = Array.from(order.subarray(0, m)).sort((a, b) => row[b] - row[a] || a - b).slice(0, k);
    for (const j of chosen) {
      indices.push(j);
      values.push(row[j]);
    }
    indptr[i + 1] = indices.length;
  }
  return { indptr, indices: Int32Array.from(indices), weights: Float32Array.from(values) };
}

/** Sparse neighbours (item-kNN) at float32, cut to `k` per item (they are stored strongest-last unsorted: sort). */
export function neighboursOfSparse(nb: ItemNeighbours, k: number): ItemModel['neighbours'] {
  const indptr = new Int32Array(nb.items + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < nb.items; i++) {
    const row: number[] = [];
    for (let p = nb.indptr[i]; p < nb.indptr[i + 1]; p++) row.push(p);
    row.sort((a, b) => nb.weights[b] - nb.weights[a] || nb.indices[a] - nb.indices[b]);
    for (const p of row.slice(0, k)) {
      indices.push(nb.indices[p]);
      values.push(nb.weights[p]);
    }
    indptr[i + 1] = indices.length;
  }
  return { indptr, indices: Int32Array.from(indices), weights: Float32Array.from(values) };
}

// ---- storage: a JSON header, then the typed arrays, each 8-byte aligned ----------------------

const MAGIC = 'binge-item-model/1';

export function encodeModel(model: ItemModel): StoredModelRow {
  const arrays = [model.neighbours.indptr, model.neighbours.indices, model.neighbours.weights, model.popularity, model.recent];
  const header = Buffer.from(
    JSON.stringify({
      magic: MAGIC,
      itemIds: model.itemIds,
      recentDays: model.recentDays,
      countries: model.countries,
      lengths: arrays.map((a) => a.length),
    }),
  );
  const pad = (n: number) => (8 - (n % 8)) % 8;
  let size = 4 + header.length + pad(4 + header.length);
  for (const a of arrays) size += a.byteLength + pad(a.byteLength);
  const body = new Uint8Array(size);
  new DataView(body.buffer).setUint32(0, header.length, true);
  body.set(header, 4);
  let at = 4 + header.length + pad(4 + header.length);
  for (const a of arrays) {
    body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength + pad(a.byteLength);
  }
  return {
    modelId: model.modelId,
    kind: model.kind,
    params: model.params,
    trainedAtMs: model.trainedAtMs,
    windowFromMs: model.window.fromMs,
    windowToMs: model.window.toMs,
    profiles: model.consent.profiles,
    consentingMembers: model.consent.members,
    consentDigest: model.consent.digest,
    items: model.itemIds.length,
    interactions: model.interactions,
    body,
  };
}

export function decodeModel(row: StoredModelRow): ItemModel {
  const bytes = row.body;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(4, 4 + headerLength)).toString('utf8')) as {
    magic: string;
    itemIds: string[];
    recentDays: number;
    countries: ItemModel['countries'];
    lengths: number[];
  };
  if (header.magic !== MAGIC) throw new Error(`stored model ${row.modelId} has format ${header.magic}, expected ${MAGIC}`);
  const pad = (n: number) => (8 - (n % 8)) % 8;
  let at = 4 + headerLength + pad(4 + headerLength);
  const copy = bytes.slice(); // aligned, owned memory
  const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, length: number, width: number): T => {
    const value = make(copy.buffer, copy.byteOffset + at, length);
    at += length * width + pad(length * width);
    return value;
  };
  const [l0, l1, l2, l3, l4] = header.lengths;
  const indptr = take((b, o, n) => new Int32Array(b, o, n), l0, 4);
  const indices = take((b, o, n) => new Int32Array(b, o, n), l1, 4);
  const weights = take((b, o, n) => new Float32Array(b, o, n), l2, 4);
  const popularity = take((b, o, n) => new Float64Array(b, o, n), l3, 8);
  const recent = take((b, o, n) => new Float64Array(b, o, n), l4, 8);
  return {
    modelId: row.modelId,
    kind: row.kind as ModelKind,
    params: row.params,
    trainedAtMs: row.trainedAtMs,
    window: { fromMs: row.windowFromMs, toMs: row.windowToMs },
    consent: { members: row.consentingMembers, profiles: row.profiles, digest: row.consentDigest },
    interactions: row.interactions,
    itemIds: header.itemIds,
    neighbours: { indptr, indices, weights },
    popularity,
    recent,
    recentDays: header.recentDays,
    countries: header.countries,
  };
}
