import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { Title, View } from '../domain/model.js';
import { addMember, addStaff, call, startPrivacyServer, watch } from './test-support.js';
import { lateNights, wellbeingNudges } from './wellbeing.js';

const MIN = 60_000;
const view = (startIso: string, minutes: number, over: Partial<View> = {}): View => {
  const startMs = Date.parse(startIso);
  return {
    viewId: startIso,
    profileId: 'p',
    titleId: 'ep',
    kind: 'episode',
    startMs,
    endMs: startMs + minutes * MIN,
    watchedS: minutes * 60,
    furthestS: minutes * 60,
    bookmarkS: minutes * 60,
    completed: true,
    rewatch: false,
    autoplayed: false,
    endedByTimeout: false,
    interacted: false,
    sessions: 1,
    deviceId: 'tv',
    country: 'MX',
    offsetMin: -360,
    day: startIso.slice(0, 10),
    days: [],
    hidden: false,
    ...over,
  };
};

test('a view running past the bedtime the member chose counts that night, in the local time of the view', () => {
  // 04:30 UTC is 22:30 in Mexico City (-06:00): 22:30-23:40 local runs past 23:00.
  assert.deepEqual(lateNights([view('2025-03-04T04:30:00Z', 70)], '23:00', 0), ['2025-03-03']);
  assert.deepEqual(lateNights([view('2025-03-04T04:30:00Z', 20)], '23:00', 0), [], 'ends at 22:50 local');
  // 07:00 UTC is 01:00 local: after midnight still counts for the evening before.
  assert.deepEqual(lateNights([view('2025-03-05T07:00:00Z', 30)], '23:00', 0), ['2025-03-04']);
  assert.deepEqual(lateNights([view('2025-03-05T16:00:00Z', 60)], '23:00', 0), [], 'an afternoon');
});

test('still watching: three autoplayed episodes without a touch is a nudge', () => {
  const episode: Title = { titleId: 'ep', kind: 'episode', name: 'E', runtimeS: 1500, seriesId: 's', episode: 1 };
  const now = Date.parse('2025-03-06T12:00:00Z');
  const views = [0, 1, 2].map((i) => view(`2025-03-05T0${2 + i}:00:00Z`, 25, { viewId: `v${i}`, autoplayed: true }));
  const nudges = wellbeingNudges(views, () => episode, DEFAULT_DEFINITIONS, { bedtime: null }, now);
  assert.equal(nudges.length, 1);
  assert.equal(nudges[0].kind, 'still_watching');
  assert.deepEqual(wellbeingNudges(views, () => episode, DEFAULT_DEFINITIONS, { bedtime: null }, now + 8 * 86_400_000), [], 'a week later it is gone');
});

test('GET /v1/me/wellbeing: off until the member opts in, then computed from their own views; staff never see it', async () => {
  // 05:00 UTC: 23:00 in Mexico City the evening before.
  const server = await startPrivacyServer({ startMs: Date.parse('2025-03-04T05:30:00Z') });
  try {
    const ana = await addMember(server);
    await watch(server, ana.profileId, { minutes: 50, endsAgoMin: 5, offsetMin: -360 });
    const off = await call(server, 'GET', '/v1/me/wellbeing', ana.token);
    assert.deepEqual(off.body, { enabled: false, bedtime: null, nudges: [] }, 'wellbeing nudges are off by default');
    await call(server, 'PUT', '/v1/me/consents', ana.token, { wellbeing_nudges: true });
    assert.equal((await call(server, 'PUT', '/v1/me/wellbeing', ana.token, { bedtime: '25:00' })).status, 400);
    assert.equal((await call(server, 'PUT', '/v1/me/wellbeing', ana.token, { bedtime: '23:00' })).status, 200);
    const on = await call(server, 'GET', '/v1/me/wellbeing', ana.token);
    assert.equal(on.body.enabled, true);
    assert.deepEqual(on.body.nudges.map((n: { kind: string; nights: number }) => [n.kind, n.nights]), [['past_bedtime', 1]]);
    for (const role of ['analyst', 'support', 'admin'] as const) {
      const staff = await addStaff(server, role);
      assert.equal((await call(server, 'GET', '/v1/me/wellbeing', staff.token)).status, 403, role);
    }
  } finally {
    await server.dispose();
  }
});

const SRC = fileURLToPath(new URL('..', import.meta.url));
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports of a file, followed to the bottom (type-only imports included: they are read as a dependency too). */
function importClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/from ['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
    importClosure(join(dirname(file), `${m[1]}.ts`), seen);
  }
  return seen;
}

test('no code path sends a message about viewing habits: only the recommendation digest may send mail, and it never reaches insights or wellbeing', () => {
  const senders: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (/from ['"]nodemailer['"]|require\(['"]nodemailer['"]\)|\.sendMail\s*\(|createTransport\s*\(/.test(text)) senders.push(relative(SRC, file));
  }
  for (const sender of senders) assert.match(sender, /^recommend\/digest/, `${sender} can send messages; only src/recommend/digest* may, and only about titles`);
  for (const sender of senders) {
    const reached = [...importClosure(join(SRC, sender))].map((f) => relative(SRC, f));
    const habits = reached.filter((f) => f.startsWith('insights/') || f === 'privacy/wellbeing.ts');
    assert.deepEqual(habits, [], `${sender} reaches viewing-habit code`);
  }
  const wellbeing = readFileSync(join(SRC, 'privacy/wellbeing.ts'), 'utf8');
  const imports = [...wellbeing.matchAll(/from ['"]([^'"]+)['"]/g)].map((m) => m[1]);
  assert.deepEqual(imports.sort(), ['../domain/definitions.js', '../domain/model.js', '../insights/still-watching.js', '../insights/viewing.js'], 'wellbeing imports nothing that can send');
});
