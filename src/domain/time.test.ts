import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveOffsetMin, localDay, localDayNumber, localHour, zoneOffsetMin, zoneOfCountry } from './time.js';

test('a reported offset decides the local day', () => {
  const at = Date.parse('2026-03-02T03:30:00Z');
  assert.equal(localDay(at, -360), '2026-03-01'); // 21:30 in Mexico City
  assert.equal(localHour(at, -360), 21);
});

test('without a reported offset the country main zone applies, with daylight saving', () => {
  assert.equal(zoneOffsetMin('Europe/Berlin', Date.parse('2026-01-15T12:00:00Z')), 60);
  assert.equal(zoneOffsetMin('Europe/Berlin', Date.parse('2026-07-15T12:00:00Z')), 120);
  assert.equal(effectiveOffsetMin(Date.parse('2026-07-15T12:00:00Z'), null, 'US'), -240);
});

test('an unknown country falls back to UTC', () => {
  assert.equal(effectiveOffsetMin(Date.parse('2026-07-15T12:00:00Z'), null, 'XX'), 0);
});

test('countries seen in real exports have their zones (Hong Kong and Singapore among them); an unknown country is read as UTC', () => {
  assert.equal(zoneOfCountry('HK'), 'Asia/Hong_Kong');
  assert.equal(zoneOfCountry('sg'), 'Asia/Singapore');
  assert.equal(zoneOfCountry('XX'), 'UTC');
  // 17:30 UTC is 01:30 the next day in Singapore (UTC+8, no daylight saving).
  const atMs = Date.UTC(2025, 5, 30, 17, 30);
  assert.equal(localDayNumber(atMs, zoneOffsetMin(zoneOfCountry('SG'), atMs)), localDayNumber(atMs, 0) + 1);
});
