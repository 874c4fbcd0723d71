// serving: GET /v1/profiles/{id}/rows on the real server (`binge serve`, compiled, in a child
// process, default log level) over loopback, from 50 concurrent keep-alive connections, each
// request with a signed-in member's bearer token and passing the whole privacy decision (token,
// account, profile owner, policy: the hook's `authorize`) and the per-request consent check.
// A warm rows request is answered by the server's fast path in front of Fastify
// (server/fast-rows.ts), as in the product; cold ones by Fastify's route. p50/p99/max latency
// and requests/s. Baseline, in the same run, same server, same connections and generator: GET
// /v1/health (Fastify's whole stack, hooks and logging; no sign-in, no rows). The goal: rows
// p99 under 10 ms. Also in the details: the server's and the generator's CPU per request, and a
// bare node:http server's latency under the same load (what the machine and the generator allow
// at that moment).
// The load comes from wrk when it is installed (bench/wrk.ts: C, far less CPU per request than
// a Node client on the same two cores), else from the Node client below (`underLoad` over bench/http-connection.ts; the result says which;
// BINGE_BENCH_CLIENT=node forces it). Timed rounds alternate health, rows, rows through
// Fastify's route and the bare server, so that other work on the machine falls on all alike.
//
// Data (untimed, written before the server starts): `events` = profiles (default 5,000) over
// 2,000 films in 40 taste groups, ~25 completed views each, an EASE model trained on them; 200
// of the members have accounts: their tokens come from the product's token issuer (the sign-in
// route is rate-limited to 10 a minute per address), and one signs in over HTTP with its
// password. Checks: every answer 200; a profile's body is the same every time (nothing is
// written meanwhile) and has the documented shape with personal rows; another member's token
// gets 404 and no token 401.
// Needs `npm run build` (dist/). Profile the server: BINGE_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR".

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { Catalogue } from '../domain/catalogue.js';
import type { Title, View } from '../domain/model.js';
import { randomFor } from '../demo/random.js';
import { hashPassword } from '../privacy/passwords.js';
import { privacyServices } from '../privacy/services.js';
import { trainAndStore } from '../recommend/training.js';
import { RowsAnswerSchema } from '../server/routes/recommend.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { privacyStoreOf } from '../store/duckdb/privacy.js';
import { recommendStoreOf } from '../store/duckdb/recommend.js';
import { type Benchmark, round3 } from './measure.js';
import { HttpConnection } from './http-connection.js';
import { cpuSeconds, exitedChildrenCpuSeconds, freePort, stop, vmHwmBytes, waitHealthy } from './server-process.js';
import { findWrk, Wrk } from './wrk.js';

const CLIENTS = 50;
const FILMS = 2000;
const GROUPS = 40;
const ACCOUNTS = 200;
const DAY = 86_400_000;
const PASSWORD = 'bench-password-long-enough';
/**
 * A timed round: wrk runs for this long on 50 new connections; the Node client sends this many
 * requests on connections kept open across rounds. Every wrk run opens its connections anew, and
 * the first answers on new connections wait tens of ms (a bare node:http server too: its first
 * requests on 50 new connections took 37-81 ms while its p50 was 3 ms); in 2-second rounds that
 * start was ~0.4 % of the answers and most of the rows p99 (DECISIONS.md, 32). Rounds of 8 s
 * (two per kind, the same 56 s of load) start 4x fewer connections per answer: the goal is about
 * clients that keep their connections, as apps and browsers do.
 */
const WRK_ROUND_S = 8;
const WRK_ROUNDS = 2;
const NODE_ROUND_REQUESTS = 2500;
const NODE_ROUNDS = 8;

export const servingBench: Benchmark = {
  name: 'serving',
  description: `GET /v1/profiles/{id}/rows on the real server, ${CLIENTS} concurrent keep-alive clients, signed-in members; p99 vs GET /v1/health on the same server`,
  defaultEvents: 5000,
  async run({ events, tmpDir, log }) {
    const profiles = Math.max(ACCOUNTS, events ?? this.defaultEvents);
    const run = join(PROJECT_ROOT, 'dist', 'cli', 'run.js');
    if (!existsSync(run)) throw new Error(`serving runs the compiled server: ${run} is missing, run \`npm run build\` first`);
    const dataDir = join(tmpDir, 'server');
    log(`writing ${profiles} profiles with ~25 completed views each, ${ACCOUNTS} accounts, and training a model (untimed)`);
    const members = await seed(dataDir, profiles, log);

    const port = await freePort();
    // BINGE_BENCH_SERVER_NODE_ARGS: node flags for the server alone (e.g. "--cpu-prof --cpu-prof-dir=DIR" to profile it under this load).
    const nodeArgs = (process.env.BINGE_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const server = spawn(process.execPath, [...nodeArgs, run, '--data', dataDir, 'serve', '--port', String(port)], {
      env: { ...process.env, BINGE_LOG_LEVEL: process.env.BINGE_LOG_LEVEL ?? 'info' },
      // BINGE_BENCH_SERVER_STDOUT=FILE keeps the server's standard output (its log lines, and e.g. --trace-gc's) for a look after the run.
      stdio: ['ignore', process.env.BINGE_BENCH_SERVER_STDOUT ? openSync(process.env.BINGE_BENCH_SERVER_STDOUT, 'w') : 'ignore', 'pipe'],
    });
    let serverErr = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      serverErr = (serverErr + chunk.toString()).slice(-4000);
    });
    const clients: HttpConnection[] = [];
    let bare: BareServer | undefined;
    const wrkVersion = findWrk();
    const generator = wrkVersion ? `${wrkVersion}, 1 thread` : process.env.BINGE_BENCH_CLIENT === 'node' ? 'the Node client (BINGE_BENCH_CLIENT=node)' : 'the Node client (wrk not installed)';
    try {
      await waitHealthy(port, server, () => serverErr);
      log(`server pid ${server.pid} on port ${port}`);
      // One member signs in with its password over HTTP, as an app would.
      const signIn = await HttpConnection.open(port);
      clients.push(signIn);
      const body = JSON.stringify({ email: members[0].email, password: PASSWORD });
      const session = await signIn.send(`POST /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      if (session.status !== 200) throw new Error(`POST /v1/sessions answered ${session.status}: ${session.body.toString().slice(0, 300)}`);
      members[0].token = (JSON.parse(session.body.toString()) as { token: string }).token;

      for (let i = 0; i < CLIENTS; i++) clients.push(await HttpConnection.open(port));
      const pool = clients.slice(1);
      const rowsRequest = members.map((m) => Buffer.from(`GET /v1/profiles/${m.profileId}/rows HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${m.token}\r\n\r\n`));
      const healthRequest = Buffer.from('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      // Bodies as received, compared byte for byte by the Node client before and after the timed rounds (no string per answer).
      const bodies = new Map<number, Buffer>();
      const problems: string[] = [];
      const rows = (n: number) => {
        const m = (n * 7919) % members.length;
        return {
          request: rowsRequest[m],
          check: (status: number, answer: Buffer) => {
            if (status !== 200) return void problems.push(`rows of member ${m}: status ${status}`);
            const first = bodies.get(m);
            if (first === undefined) bodies.set(m, answer);
            else if (!first.equals(answer)) problems.push(`rows of member ${m} changed between requests`);
          },
        };
      };
      const health = () => ({ request: healthRequest, check: (status: number) => void (status !== 200 && problems.push(`health: status ${status}`)) });
      // The same rows asked with the default limit written out: the fast path leaves query strings
      // to Fastify, so this is Fastify's route (hook, validation, handler) answering from the same
      // rendered body; it must send the same bytes.
      const viaFastifyRequest = members.map((m) => Buffer.from(`GET /v1/profiles/${m.profileId}/rows?limit=20 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${m.token}\r\n\r\n`));
      const rowsViaFastify = (n: number) => {
        const m = (n * 7919) % members.length;
        return {
          request: viaFastifyRequest[m],
          check: (status: number, answer: Buffer) => {
            if (status !== 200) problems.push(`rows?limit=20 of member ${m}: status ${status}`);
            else if (!bodies.get(m)?.equals(answer)) problems.push(`rows?limit=20 of member ${m} differ from the fast path's answer`);
          },
        };
      };

      // Cold: every profile once (the server reads its inputs from the store and renders its body).
      const cold = await underLoad(pool, members.length, (m) => ({
        request: rowsRequest[m],
        check: (status: number, answer: Buffer) => (status === 200 ? bodies.set(m, answer) : problems.push(`cold rows of member ${m}: status ${status}`)),
      }));
      await underLoad(pool, 2000, rows); // warm-up (JIT on both sides), every body compared
      await underLoad(pool, 2000, health);
      await underLoad(pool, 2000, rowsViaFastify);

      // The bare node:http server runs beside it from here on and takes its turn in every round.
      bare = await BareServer.start(problems);
      const kinds = ['health', 'rows', 'viaFastify', 'bare'] as const;
      type Kind = (typeof kinds)[number];
      const pidOf = (kind: Kind) => (kind === 'bare' ? bare!.pid : server.pid!);
      // One round of one kind, by whichever generator runs: wrk for a fixed time, or the Node client for a fixed count.
      let measureRound: (kind: Kind) => Promise<LoadResult>;
      if (wrkVersion) {
        const wrk = new Wrk(tmpDir);
        const order = members.map((_, n) => members[(n * 7919) % members.length]);
        const auth = (m: Member) => ({ Authorization: `Bearer ${m.token}` });
        const lists: Record<Kind, string> = {
          health: wrk.list([{ path: '/v1/health' }]),
          rows: wrk.list(order.map((m) => ({ path: `/v1/profiles/${m.profileId}/rows`, headers: auth(m) }))),
          viaFastify: wrk.list(order.map((m) => ({ path: `/v1/profiles/${m.profileId}/rows?limit=20`, headers: auth(m) }))),
          bare: wrk.list([{ path: '/' }]),
        };
        measureRound = async (kind) => {
          const run = await wrk.run(kind === 'bare' ? bare!.port : port, lists[kind], CLIENTS, WRK_ROUND_S);
          if (run.badStatus > 0) problems.push(`${kind}: ${run.badStatus} answers with an error status under wrk`);
          if (run.socketErrors > 0) problems.push(`${kind}: ${run.socketErrors} socket errors or timeouts under wrk`);
          return summary(run.latencies, run.seconds);
        };
        for (const kind of kinds) await measureRound(kind); // wrk's own warm-up (its connections, the servers' JIT for them)
      } else {
        log('wrk is not installed (Debian: apt-get install wrk): the load comes from a Node client, which shares the two cores with the server and costs more per request');
        const barePool: HttpConnection[] = [];
        for (let i = 0; i < CLIENTS; i++) barePool.push(await HttpConnection.open(bare.port));
        clients.push(...barePool);
        const bareRequest = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        const bareAnswer = () => ({ request: bareRequest, check: (status: number) => void (status !== 200 && problems.push(`bare node:http: status ${status}`)) });
        await underLoad(barePool, 2000, bareAnswer);
        const picks: Record<Kind, Parameters<typeof underLoad>[2]> = { health, rows, viaFastify: rowsViaFastify, bare: bareAnswer };
        measureRound = (kind) => underLoad(kind === 'bare' ? barePool : pool, NODE_ROUND_REQUESTS, picks[kind]);
      }
      // Rounds that alternate the kinds, so that a change in the machine's load (other work on the
      // same cores) falls on all of them alike; CPU per request is the median over rounds.
      const ROUNDS = wrkVersion ? WRK_ROUNDS : NODE_ROUNDS;
      const rounds: Record<Kind, { load: LoadResult; cpuMicros: number; mainMicros: number; clientMicros: number }[]> = { health: [], rows: [], viaFastify: [], bare: [] };
      // The generator's own CPU: wrk's (an exited child of this process), or this process's (the Node client).
      const clientCpu = wrkVersion ? exitedChildrenCpuSeconds : () => ((u) => (u.user + u.system) / 1e6)(process.cpuUsage());
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of kinds) {
          if (kind === 'viaFastify' && round % 2 === 1) continue; // Fastify's route: half the rounds
          const pid = pidOf(kind);
          const cpu0 = cpuSeconds(pid);
          const main0 = cpuSeconds(pid, pid);
          const client0 = clientCpu();
          const load = await measureRound(kind);
          const perRequest = (seconds: number) => Math.round((seconds / Math.max(1, load.requests)) * 1e6);
          rounds[kind].push({ load, cpuMicros: perRequest(cpuSeconds(pid) - cpu0), mainMicros: perRequest(cpuSeconds(pid, pid) - main0), clientMicros: perRequest(clientCpu() - client0) });
        }
      }
      // After the timed rounds: every profile's body still the one first served, on both paths.
      // Under wrk the Node client's connections sat idle, maybe past the server's keep-alive
      // timeout (72 s): the checks run on new ones.
      if (wrkVersion) {
        for (const c of pool) c.close();
        for (let i = 0; i < CLIENTS; i++) pool[i] = await HttpConnection.open(port);
        clients.push(...pool);
      }
      await underLoad(pool, 2000, rows);
      await underLoad(pool, 1000, rowsViaFastify);
      const merged = (kind: Kind) => mergeAll(rounds[kind].map((r) => r.load));
      const rowsAll = merged('rows');
      const healthAll = merged('health');
      const viaFastify = merged('viaFastify');
      const bareAll = merged('bare');
      const medianOf = (kind: Kind, field: 'cpuMicros' | 'mainMicros' | 'clientMicros') => median(rounds[kind].map((r) => r[field]));

      // Correctness: documented shape, personal rows, and the privacy hook still answering per request.
      for (const [m, text] of [...bodies].slice(0, 50)) {
        const parsed = RowsAnswerSchema.safeParse(JSON.parse(text.toString()));
        if (!parsed.success) problems.push(`rows of member ${m} do not match the schema: ${parsed.error.issues[0].message}`);
        else if (!parsed.data.personal || !parsed.data.rows.some((r) => r.id === 'top_picks')) problems.push(`rows of member ${m} are not personal`);
      }
      for (let m = 0; m < 20; m++) {
        const other = members[(m + 1) % members.length];
        const foreign = await pool[0].send(`GET /v1/profiles/${members[m].profileId}/rows HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${other.token}\r\n\r\n`);
        if (foreign.status !== 404) problems.push(`another member's token got ${foreign.status}, not 404`);
        const anonymous = await pool[0].send(`GET /v1/profiles/${members[m].profileId}/rows HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
        if (anonymous.status !== 401) problems.push(`no token got ${anonymous.status}, not 401`);
      }
      if (bodies.size !== members.length) problems.push(`${members.length - bodies.size} profiles never answered`);
      for (const p of problems.slice(0, 5)) log(`CHECK: ${p}`);
      const peakRss = vmHwmBytes(server.pid!);
      log(`rows p50 ${rowsAll.p50} p99 ${rowsAll.p99} max ${rowsAll.max} ms, ${rowsAll.perSecond} req/s; rows through Fastify's route p99 ${viaFastify.p99} ms, ${viaFastify.perSecond} req/s; health p50 ${healthAll.p50} p99 ${healthAll.p99} ms, ${healthAll.perSecond} req/s; cold rows p99 ${cold.p99} ms; bare node:http p50 ${bareAll.p50} p99 ${bareAll.p99} ms, ${bareAll.perSecond} req/s (load from ${generator})`);
      return {
        name: this.name,
        size: profiles,
        measured: { label: `GET /v1/profiles/{id}/rows p99, ${CLIENTS} concurrent`, value: rowsAll.p99, unit: 'ms', seconds: rowsAll.seconds },
        baseline: { label: `GET /v1/health p99, ${CLIENTS} concurrent, same server`, value: healthAll.p99, unit: 'ms', seconds: healthAll.seconds },
        ratio: round3(healthAll.p99 / rowsAll.p99),
        goal: 'rows p99 under 10 ms with 50 concurrent requests',
        met: rowsAll.p99 < 10,
        ok: problems.length === 0,
        details: {
          rows: rowsAll,
          health: healthAll,
          rowsRounds: rounds.rows.map((r) => r.load.p99),
          healthRounds: rounds.health.map((r) => r.load.p99),
          coldRows: cold,
          rowsThroughFastifyRoute: viaFastify,
          bareNodeHttpFloor: bareAll,
          bareRounds: rounds.bare.map((r) => r.load.p99),
          loadGenerator: generator,
          // Medians over the rounds.
          serverCpuMicrosPerRequest: {
            rows: medianOf('rows', 'cpuMicros'),
            rowsThroughFastifyRoute: medianOf('viaFastify', 'cpuMicros'),
            health: medianOf('health', 'cpuMicros'),
            bareNodeHttp: medianOf('bare', 'cpuMicros'),
          },
          // The event loop's thread alone (the rest: GC helpers, the log writer, DuckDB's threads).
          serverMainThreadCpuMicrosPerRequest: {
            rows: medianOf('rows', 'mainMicros'),
            rowsThroughFastifyRoute: medianOf('viaFastify', 'mainMicros'),
            health: medianOf('health', 'mainMicros'),
            bareNodeHttp: medianOf('bare', 'mainMicros'),
          },
          // The load generator's CPU per request (its process; for the Node client, the bench's own).
          clientCpuMicrosPerRequest: {
            rows: medianOf('rows', 'clientMicros'),
            rowsThroughFastifyRoute: medianOf('viaFastify', 'clientMicros'),
            health: medianOf('health', 'clientMicros'),
            bareNodeHttp: medianOf('bare', 'clientMicros'),
          },
          accounts: ACCOUNTS,
          problems: problems.length,
          serverPeakRssMiB: Math.round(peakRss / 2 ** 20),
          serverLogLevel: process.env.BINGE_LOG_LEVEL ?? 'info',
        },
      };
    } finally {
      for (const c of clients) c.close();
      await stop(server);
      await bare?.stop();
    }
  },
};

export interface Member {
  memberId: string;
  profileId: string;
  email: string;
  token: string;
}

/** Writes the catalogue, members, views and a trained model into `dataDir`; returns the members with accounts, signed in. */
export async function seed(dataDir: string, profiles: number, log: (line: string) => void): Promise<Member[]> {
  const store = await openDuckDbStore({ dataDir });
  try {
    const now = Date.now();
    const rng = randomFor('serving-bench', 'data', 0);
    const titles: Title[] = Array.from({ length: FILMS }, (_, i) => ({ titleId: `f${i}`, kind: 'movie', name: `Film ${i}`, runtimeS: 5400, genres: [`g${i % GROUPS}`] }));
    await store.putTitles(titles);
    const catalogue = new Catalogue(titles);
    const privacyStore = privacyStoreOf(store);
    const privacy = privacyServices(store, privacyStore, () => Date.now());
    const passwordHash = await hashPassword(PASSWORD);
    const members: Member[] = [];
    const plain: { memberId: string; country: string; createdAtMs: number }[] = [];
    const plainProfiles: { profileId: string; memberId: string; name: string }[] = [];
    const work: { profileId: string; fromMs: number; views: View[] }[] = [];
    for (let p = 0; p < profiles; p++) {
      const memberId = randomUUID();
      const profileId = `${memberId}-p1`;
      const country = ['MX', 'US', 'DE', 'BR'][p % 4];
      if (p < ACCOUNTS) {
        const email = `bench-${p}@example.org`;
        await privacyStore.createMemberAccount({
          member: { memberId, country, createdAtMs: now },
          account: { accountId: memberId, email, passwordHash, role: 'member', createdAtMs: now },
          profile: { profileId, memberId, name: 'Main' },
        });
        members.push({ memberId, profileId, email, token: '' });
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
          viewId: `${profileId}-${v}`, profileId, titleId: `f${film}`, kind: 'movie', startMs: endMs - 3_600_000, endMs, watchedS: 3600, furthestS: 5400, bookmarkS: v % 10 === 0 ? 1800 : 5400,
          completed: v % 10 !== 0, rewatch: false, autoplayed: false, endedByTimeout: false, interacted: true, sessions: 1, deviceId: 'tv', country, offsetMin: 0, day,
          days: [{ day, watchedS: 3600 }], hidden: false,
        });
      }
      work.push({ profileId, fromMs: -Infinity, views });
    }
    await store.putMembers(plain);
    await store.putProfiles(plainProfiles);
    for (let i = 0; i < work.length; i += 1000) await store.replaceViews(work.slice(i, i + 1000));
    const started = performance.now();
    const model = await trainAndStore({ store: recommendStoreOf(store), privacy: privacyStore, catalogue, now: Date.now });
    log(`trained ${model.kind} on ${model.itemIds.length} items in ${Math.round(performance.now() - started)} ms (${String(model.params.inversePath)})`);
    // Tokens from the product's issuer (the signing key is kept in the store; the server reads the same one).
    for (const m of members) m.token = (await privacy.tokens.issue(m.memberId)).token;
    return members;
  } finally {
    await store.close();
  }
}

interface LoadResult {
  requests: number;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
  perSecond: number;
  latencies: number[];
}

/** `total` requests over the pool's connections, each connection sending its next request when the previous answer has arrived. */
async function underLoad(pool: readonly HttpConnection[], total: number, pick: (n: number) => { request: Buffer; check: (status: number, body: Buffer) => unknown }): Promise<LoadResult & { toJSON(): unknown }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    pool.map(async (client) => {
      for (let n = next++; n < total; n = next++) {
        const { request, check } = pick(n);
        const t0 = performance.now();
        const answer = await client.send(request);
        latencies.push(performance.now() - t0);
        check(answer.status, answer.body);
      }
    }),
  );
  return summary(latencies, (performance.now() - started) / 1000);
}

function summary(latencies: number[], seconds: number): LoadResult & { toJSON(): unknown } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => round3(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN);
  const result = { requests: sorted.length, p50: at(0.5), p99: at(0.99), max: round3(sorted.at(-1) ?? Number.NaN), seconds: round3(seconds), perSecond: Math.round(sorted.length / seconds), latencies: sorted };
  return { ...result, toJSON: () => ({ requests: result.requests, p50: result.p50, p99: result.p99, max: result.max, seconds: result.seconds, perSecond: result.perSecond }) };
}

function mergeAll(parts: readonly LoadResult[]): LoadResult & { toJSON(): unknown } {
  return summary(parts.flatMap((p) => p.latencies), parts.reduce((sum, p) => sum + p.seconds, 0));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/**
 * What the machine allows at this moment: a bare node:http server (no framework, a fixed 11-byte
 * JSON answer) in a child process, loaded by the same generator with the same concurrency, in the
 * same rounds. Not the baseline (it does none of the work); it shows how much of a latency is the
 * machine's load and the generator rather than binge.
 */
class BareServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(problems: string[]): Promise<BareServer> {
    const port = await freePort();
    const script = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }); s.end('{"ok":true}'); }).listen(${port}, '127.0.0.1')`;
    const bare = new BareServer(spawn(process.execPath, ['-e', script], { stdio: 'ignore' }), port);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = await HttpConnection.open(port).catch(() => undefined);
      if (client) {
        const answer = await client.send('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        client.close();
        if (answer.status !== 200) problems.push(`bare node:http: status ${answer.status}`);
        return bare;
      }
      if (Date.now() > deadline) {
        await bare.stop();
        throw new Error('the bare node:http server did not start');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): Promise<void> {
    return stop(this.child);
  }
}
