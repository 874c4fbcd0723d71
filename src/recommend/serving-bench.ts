// serving: GET /v1/profiles/{id}/rows on the real server (in this process, real HTTP on
// loopback), 50 concurrent keep-alive clients, each request signed in as the profile's member
// and passing the privacy hook; p50/p99 latency. Baseline: GET /v1/profiles/{id}/continue-watching
// under the same load (the same hook and view reads, no model). Also the in-process serving
// call (RecommendService.rowsFor, 50 concurrent) and the in-memory part alone (rows from a
// profile's signals), to show where the time goes. The goal: p99 under 10 ms.
// Rows are measured warm (every profile's inputs in the serving cache) and cold (the cache
// emptied first, every request a different profile, so each one reads the store).
// Run alone: `node --import tsx src/recommend/serving-bench.ts [profiles]`.
//
// Data: `events` = profiles (default 5,000) over 2,000 films in 40 taste groups, ~25 completed
// views each, an EASE model trained on them (native inverse when built).

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'node:http';
import type { Benchmark } from '../bench/measure.js';
import { round3 } from '../bench/measure.js';
import { loadConfig } from '../config.js';
import type { Title, View } from '../domain/model.js';
import { createLogger } from '../logger.js';
import { recommendOf } from '../server/routes/recommend.js';
import { startServer } from '../server/start.js';
import { randomFor } from '../demo/random.js';

const CLIENTS = 50;
const FILMS = 2000;
const GROUPS = 40;
const MEMBERS_WITH_ACCOUNTS = 200;
const DAY = 86_400_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function get(agent: Agent, port: number, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Latencies (ms) of `total` calls of `work`, `clients` at a time. */
async function underLoad(total: number, clients: number, work: (n: number) => Promise<void>): Promise<{ p50: number; p99: number; max: number; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let n = next++; n < total; n = next++) {
        const t0 = performance.now();
        await work(n);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: round3(percentile(latencies, 50)), p99: round3(percentile(latencies, 99)), max: round3(latencies.at(-1)!), seconds: round3(seconds) };
}

export const servingBench: Benchmark = {
  name: 'recommend-serving',
  description: `GET /v1/profiles/{id}/rows, ${CLIENTS} concurrent clients, p99 latency vs continue-watching on the same server`,
  defaultEvents: 5000,
  async run({ events, tmpDir, log }) {
    const profiles = events ?? this.defaultEvents;
    const rng = randomFor('serving-bench', 'data', 0);
    const config = loadConfig({}, { dataDir: tmpDir, port: 0, logLevel: 'silent' });
    const server = await startServer(config, createLogger('silent'));
    try {
      const now = Date.now();
      const titles: Title[] = Array.from({ length: FILMS }, (_, i) => ({ titleId: `f${i}`, kind: 'movie', name: `Film ${i}`, runtimeS: 5400, genres: [`g${i % GROUPS}`] }));
      await server.store.putTitles(titles);
      server.context.catalogue.add(titles);
      log(`writing ${profiles} profiles with ~25 completed views each (untimed)`);
      const privacy = server.context.privacy!;
      const tokens: { profileId: string; token: string }[] = [];
      const work: { profileId: string; fromMs: number; views: View[] }[] = [];
      const plain: { memberId: string; country: string; createdAtMs: number }[] = [];
      const plainProfiles: { profileId: string; memberId: string; name: string }[] = [];
      for (let p = 0; p < profiles; p++) {
        const memberId = randomUUID();
        const profileId = `${memberId}-p1`;
        const country = ['MX', 'US', 'DE', 'BR'][p % 4];
        if (p < MEMBERS_WITH_ACCOUNTS) {
          await privacy.store.createMemberAccount({
            member: { memberId, country, createdAtMs: now },
            account: { accountId: memberId, email: `bench-${p}@example.org`, passwordHash: 'not-a-hash', role: 'member', createdAtMs: now },
            profile: { profileId, memberId, name: 'Main' },
          });
          tokens.push({ profileId, token: (await privacy.tokens.issue(memberId)).token });
        } else {
          plain.push({ memberId, country, createdAtMs: now });
          plainProfiles.push({ profileId, memberId, name: 'Main' });
        }
        const group = rng.int(0, GROUPS - 1);
        const seen = new Set<number>();
        const views: View[] = [];
        for (let v = 0; v < 25; v++) {
          const film = rng.chance(0.8) ? group + GROUPS * rng.int(0, FILMS / GROUPS - 1) : rng.int(0, FILMS - 1);
          if (seen.has(film)) continue;
          seen.add(film);
          const endMs = now - rng.int(1, 300) * DAY;
          const day = new Date(endMs).toISOString().slice(0, 10);
          views.push({
            viewId: `${profileId}-${v}`, profileId, titleId: `f${film}`, kind: 'movie', startMs: endMs - 3_600_000, endMs, watchedS: 3600, furthestS: 5400, bookmarkS: 5400,
            completed: v % 10 !== 0, rewatch: false, autoplayed: false, endedByTimeout: false, interacted: true, sessions: 1, deviceId: 'tv', country, offsetMin: 0, day,
            days: [{ day, watchedS: 3600 }], hidden: false,
          });
        }
        work.push({ profileId, fromMs: -Infinity, views });
      }
      await server.store.putMembers(plain);
      await server.store.putProfiles(plainProfiles);
      for (let i = 0; i < work.length; i += 1000) await server.store.replaceViews(work.slice(i, i + 1000));
      const { service, schedule } = recommendOf.get(server.app)!;
      const trainStart = performance.now();
      const model = await schedule.runOnce();
      if (!model) throw new Error('training failed');
      log(`trained ${model.kind} on ${model.itemIds.length} items in ${Math.round(performance.now() - trainStart)} ms (${String(model.params.inversePath)})`);

      const port = Number(new URL(server.url).port);
      const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
      const total = Math.max(1000, CLIENTS * 20);
      const pick = (n: number) => tokens[(n * 7919) % tokens.length];
      let failed = 0;
      const http = (path: (profileId: string) => string) => async (n: number) => {
        const { profileId, token } = pick(n);
        if ((await get(agent, port, path(profileId), token)) !== 200) failed++;
      };
      const rowsPath = (p: string) => `/v1/profiles/${p}/rows`;
      const cold = async () => {
        service.cache!.apply({ catalogue: true }); // empties the cache (as a catalogue change would)
        return underLoad(tokens.length, CLIENTS, async (n) => {
          const { profileId, token } = tokens[n];
          if ((await get(agent, port, rowsPath(profileId), token)) !== 200) failed++;
        });
      };
      await underLoad(200, CLIENTS, http(rowsPath)); // warm-up (JIT, connections)
      const coldRows = await cold();
      const rows = await underLoad(total, CLIENTS, http(rowsPath));
      const coldAgain = await cold();
      await underLoad(tokens.length, CLIENTS, http(rowsPath)); // fills the cache again
      const baseline = await underLoad(total, CLIENTS, http((p) => `/v1/profiles/${p}/continue-watching`));
      // The service alone (what the route does after the privacy hook), members known up front.
      const owners = new Map(await Promise.all(tokens.map(async (t) => [t.profileId, (await server.store.profile(t.profileId))!.memberId] as const)));
      const inProcess = await underLoad(total, CLIENTS, async (n) => {
        const { profileId } = pick(n);
        await service.rowsFor({ profileId, memberId: owners.get(profileId)! });
      });
      const signals = await Promise.all(tokens.slice(0, 100).map(async (t) => (await service.signalsOf(t.profileId)).signals));
      const scoring = await underLoad(total, 1, async (n) => {
        const s = signals[n % signals.length];
        service.rowsFromSignals(s, 'MX');
      });
      agent.destroy();
      log(`rows warm p50 ${rows.p50} ms p99 ${rows.p99} ms; cold p50 ${coldRows.p50}/${coldAgain.p50} ms p99 ${coldRows.p99}/${coldAgain.p99} ms; continue-watching p99 ${baseline.p99} ms; in-process p99 ${inProcess.p99} ms; in-memory rows p99 ${scoring.p99} ms`);
      return {
        name: 'recommend-serving',
        size: profiles,
        measured: { label: `GET rows p99 (${CLIENTS} concurrent, warm cache)`, value: rows.p99, unit: 'ms', seconds: rows.seconds },
        baseline: { label: `GET continue-watching p99 (${CLIENTS} concurrent)`, value: baseline.p99, unit: 'ms', seconds: baseline.seconds },
        ratio: round3(baseline.p99 / rows.p99),
        goal: 'p99 under 10 ms with 50 concurrent requests',
        met: rows.p99 < 10,
        ok: failed === 0,
        details: { requests: total, failed, rows, coldRows: [coldRows, coldAgain], cache: { ...service.cache!.stats, size: service.cache!.size }, continueWatching: baseline, inProcessRowsFor: inProcess, inMemoryRows: scoring, items: model.itemIds.length, inversePath: model.params.inversePath },
      };
    } finally {
      await server.stop();
    }
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tmpDir = mkdtempSync(join(tmpdir(), 'binge-serving-bench-'));
  const events = process.argv[2] ? Number(process.argv[2]) : undefined;
  servingBench
    .run({ events, tmpDir, log: (line) => console.error(line) })
    .then((result) => console.log(JSON.stringify(result, null, 2)))
    .finally(() => rmSync(tmpDir, { recursive: true, force: true }));
}
