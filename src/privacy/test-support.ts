// Helpers for privacy tests: the real server on port 0 with a real database in a temporary
// folder and an injectable clock, members and staff with tokens, and requests through inject.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigInput } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { formatAt } from '../ingest/event-schema.js';
import { startServer, type RunningServer } from '../server/start.js';
import type { PrivacyServices } from './services.js';
import { createKey } from './keys.js';
import { hashPassword } from './passwords.js';
import type { Role } from './policy.js';

export interface PrivacyTestServer extends RunningServer {
  dataDir: string;
  privacy: PrivacyServices;
  clock: { nowMs: number };
  ingestKey: string;
  adminKey: string;
  dispose(): Promise<void>;
}

/** The clock starts at `startMs` and moves only when a test moves it. */
export async function startPrivacyServer(options: { startMs?: number; logger?: Logger; dataDir?: string; config?: ConfigInput } = {}): Promise<PrivacyTestServer> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'binge-privacy-'));
  const clock = { nowMs: options.startMs ?? Date.now() };
  const config = loadConfig({}, { dataDir: dir, port: 0, logLevel: 'silent', ...options.config });
  const server = await startServer(config, options.logger ?? createLogger('silent'), { now: () => clock.nowMs });
  const { key: ingestKey } = await createKey(server.store, 'ingest', 'test');
  const { key: adminKey } = await createKey(server.store, 'admin', 'test');
  return {
    ...server,
    dataDir: dir,
    privacy: server.context.privacy!,
    clock,
    ingestKey,
    adminKey,
    async dispose() {
      await server.stop();
      if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestMember {
  memberId: string;
  profileId: string;
  email: string;
  password: string;
  token: string;
}

// One hash for every test account: argon2 is slow on purpose.
let sharedHash: Promise<string> | undefined;
export const TEST_PASSWORD = 'correct horse battery staple';

/** A member made straight in the store (no sign-up rate limit), with a token. */
export async function addMember(server: PrivacyTestServer, country = 'MX'): Promise<TestMember> {
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const memberId = randomUUID();
  const profileId = randomUUID();
  const email = `member-${memberId.slice(0, 8)}@example.org`;
  const nowMs = server.clock.nowMs;
  await server.privacy.store.createMemberAccount({
    member: { memberId, country, createdAtMs: nowMs },
    account: { accountId: memberId, email, passwordHash: await sharedHash, role: 'member', createdAtMs: nowMs },
    profile: { profileId, memberId, name: 'Main' },
  });
  const { token } = await server.privacy.tokens.issue(memberId);
  return { memberId, profileId, email, password: TEST_PASSWORD, token };
}

export async function addStaff(server: PrivacyTestServer, role: Exclude<Role, 'member'>): Promise<{ accountId: string; token: string }> {
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const accountId = randomUUID();
  await server.privacy.store.createStaffAccount({
    accountId,
    email: `${role}-${accountId.slice(0, 8)}@example.org`,
    passwordHash: await sharedHash,
    role,
    createdAtMs: server.clock.nowMs,
  });
  return { accountId, token: (await server.privacy.tokens.issue(accountId)).token };
}

export async function call(
  server: { app: RunningServer['app'] },
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }> {
  const response = await server.app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed: unknown;
  try {
    parsed = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.statusCode, body: parsed, text: response.body, headers: response.headers };
}

/**
 * A playback of `minutes` on `profileId` ending `endsAgoMin` before the server clock, sent
 * through the ingest route (start, a heartbeat per minute, stop) with the given offset.
 */
export async function watch(
  server: PrivacyTestServer,
  profileId: string,
  options: { titleId?: string; minutes?: number; endsAgoMin?: number; offsetMin?: number; autoplayed?: boolean; device?: string } = {},
): Promise<void> {
  const { titleId = 'title-1', minutes = 5, endsAgoMin = 10, offsetMin = 0, autoplayed = false, device = 'tv-1' } = options;
  const playbackId = randomUUID();
  const startMs = server.clock.nowMs - (endsAgoMin + minutes) * 60_000;
  const events = [];
  for (let m = 0; m <= minutes; m++) {
    events.push({
      eventId: randomUUID(),
      playbackId,
      profileId,
      titleId,
      type: m === 0 ? 'start' : m === minutes ? 'stop' : 'heartbeat',
      positionS: m * 60,
      at: formatAt(startMs + m * 60_000, offsetMin),
      device,
      country: 'MX',
      autoplayed,
      userAction: 'none',
    });
  }
  const answer = await call(server, 'POST', '/v1/events', server.ingestKey, events);
  if (answer.status !== 200 || answer.body.accepted !== events.length) throw new Error(`ingest failed: ${answer.text}`);
  await server.writer.settled(); // reads follow the ingest log's loader
}
