// How refreshViews sizes its in-store batches: every batch pays passes over whole tables, so after
// one more day (few new events per profile) the batches grow, and a recompute from scratch (many
// events per profile) stays at the default 2,000 profiles a batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextInStoreBatch } from './refresh-views.js';

test('after one more day (about 20 events a profile) the next batch takes every remaining profile of a large service', () => {
  assert.equal(nextInStoreBatch(2000, 40_000), 200_000);
});

test('a recompute from scratch (thousands of events a profile) keeps batches of 2,000 profiles', () => {
  assert.equal(nextInStoreBatch(2000, 8_000_000), 2000);
  assert.equal(nextInStoreBatch(2000, 100_000_000), 2000);
});

test('in between, a batch aims at about 4M events', () => {
  assert.equal(nextInStoreBatch(2000, 1_000_000), 8000);
});

test('a batch that read nothing (every profile erased) or had no profiles does not divide by zero', () => {
  assert.equal(nextInStoreBatch(2000, 0), 200_000);
  assert.equal(nextInStoreBatch(0, 0), 200_000);
});
