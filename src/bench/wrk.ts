// The HTTP load generator for the serving benchmark when it is installed: wrk (C, epoll; Debian
// package `wrk`). A Node client shares the machine's two cores with the server and spent a good
// part of them on its own sockets and promises; wrk costs a fraction of that per request, so the
// server under test gets the CPU it would get from remote clients. wrk cycles through a list of
// pre-built requests (a small Lua script: varying paths and bearer tokens), keeps one request in
// flight per connection as the Node client does, and hands back its latency distribution (2,000
// quantiles of its 1 µs histogram) so that rounds can be merged: a merged p99 is exact to within
// 0.05 % of a round's answers.

import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = String.raw`-- binge bench: one pre-built request per line of the file args[1]: path, then "Name: value" headers, TAB-separated.
local reqs, n, i = {}, 0, 0
QUANTILES = 2000
function init(args)
  for line in io.lines(args[1]) do
    local fields = {}
    for f in line:gmatch("[^\t]+") do fields[#fields + 1] = f end
    local headers = {}
    for k = 2, #fields do
      local name, value = fields[k]:match("^([^:]+):%s*(.*)$")
      headers[name] = value
    end
    n = n + 1
    reqs[n] = wrk.format("GET", fields[1], headers)
  end
end
function request()
  i = i % n + 1
  return reqs[i]
end
-- wrk's Lua cannot read its histogram's buckets (latency[i] is not exposed in this build), so the
-- distribution leaves as QUANTILES quantiles, each standing for an equal share of the answers.
function done(summary, latency, requests)
  local out = {}
  if summary.requests > 0 then
    for k = 1, QUANTILES do out[k] = latency:percentile((k - 0.5) * 100 / QUANTILES) end
  end
  local e = summary.errors
  io.write(string.format('BINGE-WRK {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"maxUs":%d,"quantiles":"%s"}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, summary.requests > 0 and latency.max or 0, table.concat(out, ",")))
end
`;

/** wrk's version line when it is on the PATH and the bench may use it (BINGE_BENCH_CLIENT=node forces the Node client). */
export function findWrk(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BINGE_BENCH_CLIENT === 'node') return undefined;
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) return undefined;
  // `wrk --version` prints its banner and usage, and exits 1.
  const banner = /^wrk\s+(\S+)/m.exec(`${probe.stdout}${probe.stderr}`);
  return banner ? `wrk ${banner[1]}` : undefined;
}

export interface WrkRequest {
  path: string;
  headers?: Record<string, string>;
}

export interface WrkRun {
  /** Completed answers (any status). */
  requests: number;
  seconds: number;
  /** Answers with a status outside 2xx/3xx. */
  badStatus: number;
  /** Connect, read and write errors and timeouts. */
  socketErrors: number;
  /** One latency in ms per answer, ascending, rebuilt from wrk's quantiles. */
  latencies: number[];
}

/** A wrk runner bound to a folder for its script and request lists. */
export class Wrk {
  private readonly script: string;
  private lists = 0;

  constructor(private readonly dir: string) {
    this.script = join(dir, 'binge-bench.lua');
    writeFileSync(this.script, SCRIPT);
  }

  /** Writes a request list once; wrk cycles through it. Values must hold no TAB or newline. */
  list(requests: readonly WrkRequest[]): string {
    const file = join(this.dir, `requests-${this.lists++}.tsv`);
    const line = (r: WrkRequest) => [r.path, ...Object.entries(r.headers ?? {}).map(([name, value]) => `${name}: ${value}`)].join('\t');
    writeFileSync(file, `${requests.map(line).join('\n')}\n`);
    return file;
  }

  /** `connections` keep-alive connections on one wrk thread for `seconds`, cycling through the list. */
  run(port: number, list: string, connections: number, seconds: number): Promise<WrkRun> {
    const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', this.script, `http://127.0.0.1:${port}`, '--', list];
    return new Promise((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const line = out.split('\n').find((l) => l.startsWith('BINGE-WRK '));
        if (code !== 0 || !line) return reject(new Error(`wrk ${args.join(' ')} exited with ${code}: ${(err || out).slice(0, 500)}`));
        const r = JSON.parse(line.slice('BINGE-WRK '.length)) as Record<string, number> & { quantiles: string };
        // Back to one latency per answer: answer i (of n, ascending) takes the quantile that covers it.
        const quantiles = r.quantiles ? r.quantiles.split(',').map((us) => Number(us) / 1000) : [];
        const latencies = quantiles.length === 0 ? [] : Array.from({ length: r.requests }, (_, i) => quantiles[Math.floor((i * quantiles.length) / r.requests)]);
        if (latencies.length > 0) latencies[latencies.length - 1] = r.maxUs / 1000;
        resolve({
          requests: r.requests,
          seconds: r.durationUs / 1e6,
          badStatus: r.status,
          socketErrors: r.connect + r.read + r.write + r.timeout,
          latencies,
        });
      });
    });
  }
}
