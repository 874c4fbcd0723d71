// A batch logged as the client sent it is read by DuckDB (appendEventsJson, wire forms) into
// exactly the events the server's checks read from it: same ids, same instants and offsets (the
// SQL reading of `at` against parseAt), same defaults. Bodies come with shuffled keys, odd
// whitespace, repeated keys, escapes and non-ASCII text: whenever loadableAsSent lets a body
// through, DuckDB must agree with JSON.parse; and a plain body must always get through.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PLAYBACK_EVENT_TYPES, USER_ACTIONS, type PlaybackEvent } from '../../domain/model.js';
import { checkEvent } from '../../ingest/event-schema.js';
import { loadableAsSent } from '../../ingest/log-records.js';
import { openDuckDbStore, type DuckDbStore } from './adapter.js';

// Time rules wide open: this test is about reading, not about the ingest window.
const rules = { nowMs: 0, maxEventAgeDays: 1e9, maxFutureS: 1e12 };
let store: DuckDbStore;
let dir: string;
let run = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'binge-wire-test-'));
  store = await openDuckDbStore({ dataDir: ':memory:' });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const at = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1990, max: 2060 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.oneof(fc.stringMatching(/^[0-9]{1,3}$/), fc.stringMatching(/^[0-9]{1,9}$/))),
    zone: fc.oneof(fc.constant('Z'), fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 13 }), m: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 99 })) }).map(({ sign, h, m }) => `${sign}${pad(h, 2)}:${pad(m, 2)}`)),
  })
  .map((t) => `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction === null ? '' : `.${t.fraction}`}${t.zone}`);
const idText = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9-]{1,20}$/), weight: 30 }, { arbitrary: fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }), weight: 1 });
const wireEvent = fc.record(
  {
    eventId: idText,
    playbackId: idText,
    titleId: idText,
    type: fc.constantFrom(...PLAYBACK_EVENT_TYPES),
    positionS: fc.oneof(fc.integer({ min: 0, max: 604_800 }), fc.double({ min: 0, max: 604_800, noNaN: true })),
    at,
    device: idText,
    country: fc.constantFrom('MX', 'US', 'DE'),
    autoplayed: fc.boolean(),
    userAction: fc.constantFrom(...USER_ACTIONS),
  },
  { requiredKeys: ['eventId', 'playbackId', 'titleId', 'type', 'positionS', 'at', 'device', 'country'] },
);
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 30 }, { arbitrary, weight: 1 });
const space = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n', '  ');
/**
 * How one event is written: key order, whitespace, a repeated key, an escaped character, and
 * sometimes a character before it that String.trim drops but JSON does not count as whitespace.
 */
const writing = fc.record({
  order: fc.array(fc.nat()),
  spaces: fc.array(space, { minLength: 40, maxLength: 40 }),
  repeat: rarely(fc.nat()),
  escape: rarely(fc.nat()),
  odd: rarely(fc.constantFrom('\f', '\v', '\u00a0', '\ufeff')),
});

type Writing = typeof writing extends fc.Arbitrary<infer T> ? T : never;

function writeEvent(event: Record<string, unknown>, how: Writing, form: 'array' | 'ndjson'): string {
  const keys = Object.keys(event);
  how.order.forEach((n, i) => {
    const j = n % keys.length;
    [keys[i % keys.length], keys[j]] = [keys[j], keys[i % keys.length]];
  });
  let s = 0;
  // NDJSON: one event a line.
  const sp = () => (form === 'ndjson' ? how.spaces[s++ % how.spaces.length].replace(/[\r\n]+/g, ' ') : how.spaces[s++ % how.spaces.length]);
  const pairs = keys.map((k, i) => {
    let value = JSON.stringify(event[k]);
    if (how.escape !== null && how.escape % keys.length === i && typeof event[k] === 'string') value = `"\\u${(event[k] as string).charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify((event[k] as string).slice(1)).slice(1)}`;
    return `${sp()}${JSON.stringify(k)}${sp()}:${sp()}${value}${sp()}`;
  });
  // A repeated key comes first with another value: JSON.parse keeps the last.
  if (how.repeat !== null) pairs.unshift(`${JSON.stringify(keys[how.repeat % keys.length])}:"earlier"`);
  return `${how.odd ?? ''}${sp()}{${pairs.join(',')}}${sp()}`;
}

function parseAsServer(body: string, form: 'array' | 'ndjson'): unknown[] | undefined {
  try {
    if (form === 'array') return JSON.parse(body) as unknown[];
    return body.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l.trim()) as unknown);
  } catch {
    return undefined;
  }
}

test('DuckDB reads a body that loadableAsSent lets through into exactly the events the checks read', async () => {
  let loadedBodies = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.tuple(wireEvent, writing), { minLength: 1, maxLength: 12, selector: ([e]) => e.eventId }),
      fc.constantFrom('array' as const, 'ndjson' as const),
      async (items, form) => {
        const profileId = `p-${++run}`;
        const events = items.map(([e]) => ({ ...e, profileId }));
        const written = items.map(([, how], i) => writeEvent(events[i], how, form));
        const body = form === 'array' ? `[${written.join(',')}]` : written.join('\n');
        const bytes = Buffer.from(body);
        const parsed = parseAsServer(body, form);
        if (parsed === undefined) return;
        const checked = parsed.map((input) => checkEvent(input, rules));
        if (!checked.every((c) => c.ok)) return;
        const plain = items.every(([e, how]) => how.repeat === null && how.escape === null && how.odd === null && /^[\x20-\x7e]*$/.test(JSON.stringify(e)) && !JSON.stringify(e).includes('\\'));
        const passes = loadableAsSent(bytes, parsed);
        if (plain) assert.ok(passes, 'a plain body is logged as sent');
        if (!passes) return;
        const path = join(dir, form === 'array' ? 'body.json' : 'body.ndjson');
        writeFileSync(path, bytes);
        assert.equal(await store.appendEventsJson([{ path, form: form === 'array' ? 'wire-array' : 'wire-ndjson' }]), events.length);
        loadedBodies++;
        const expected = checked.map((c) => (c as { event: PlaybackEvent }).event).sort((a, b) => a.eventId.localeCompare(b.eventId));
        const stored = (await store.eventsOfProfile(profileId)).sort((a, b) => a.eventId.localeCompare(b.eventId));
        assert.deepEqual(stored, expected);
      },
    ),
    { numRuns: 250, seed: 5 },
  );
  assert.ok(loadedBodies > 50, `only ${loadedBodies} bodies were loaded as sent`);
});

test('a repeated key, an escape, or a byte beyond ASCII keeps a body from being logged as sent', () => {
  const event = { eventId: 'e1', playbackId: 'pb', profileId: 'p', titleId: 't', type: 'start', positionS: 0, at: '2026-03-01T00:00:00Z', device: 'tv', country: 'MX' };
  const plain = JSON.stringify([event]);
  assert.equal(loadableAsSent(Buffer.from(plain), JSON.parse(plain)), true);
  const repeated = plain.replace('{', '{"eventId":"e0",');
  assert.equal(loadableAsSent(Buffer.from(repeated), JSON.parse(repeated)), false);
  const repeatedNumber = plain.replace('{', '{"positionS":5,');
  assert.equal(loadableAsSent(Buffer.from(repeatedNumber), JSON.parse(repeatedNumber)), false);
  const escaped = plain.replace('"e1"', '"\\u0065\\u0031"');
  assert.equal(loadableAsSent(Buffer.from(escaped), JSON.parse(escaped)), false);
  const accented = plain.replace('"tv"', '"télé"');
  assert.equal(loadableAsSent(Buffer.from(accented), JSON.parse(accented)), false);
  const formFeed = plain.replace('{', '\f{');
  assert.equal(loadableAsSent(Buffer.from(formFeed), [event]), false);
});
