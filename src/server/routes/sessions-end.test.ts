// Signing out (DELETE /v1/sessions): the token presented is refused from then on, by every route,
// by the rows fast path that kept an answer for it, and after a restart; the person's other
// tokens are not touched. With ?everywhere=true every token of the account issued so far is
// refused the same way, and signing in again works at once.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMember, addStaff, call, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';
import { DAY, loadWorld, view } from '../../recommend/test-support.js';
import { fastRowsOf } from '../app.js';
import { recommendOf } from './recommend.js';
import { openDuckDbStore } from '../../store/duckdb/adapter.js';

async function signIn(server: PrivacyTestServer, member: { email: string; password: string }): Promise<string> {
  const answer = await call(server, 'POST', '/v1/sessions', undefined, { email: member.email, password: member.password });
  assert.equal(answer.status, 200, answer.text);
  return answer.body.token as string;
}

const signOut = (server: PrivacyTestServer, token?: string) => call(server, 'DELETE', '/v1/sessions', token);

/** A member with two views and a model to serve them rows from (the rows fast path's subject). */
async function memberWithRows(server: PrivacyTestServer): Promise<TestMember> {
  await loadWorld(server, { perGroup: 6 });
  assert.ok(await recommendOf.get(server.app)!.schedule.runOnce(), 'a model to serve');
  const member = await addMember(server, 'MX');
  const now = server.clock.nowMs;
  await server.store.replaceViews([{ profileId: member.profileId, fromMs: -Infinity, views: [view(member.profileId, 'f01', now - 2 * DAY), view(member.profileId, 'f02', now - DAY)] }]);
  return member;
}

/** Asks for rows until the fast path gives its kept answer: the first request renders, the next is answered by the fast path and kept. */
async function untilKeptAnswer(server: PrivacyTestServer, rows: () => Promise<Response>): Promise<void> {
  const fast = fastRowsOf.get(server.app)!;
  const kept = fast.stats.kept;
  for (let i = 0; i < 5 && fast.stats.kept === kept; i++) assert.equal((await rows()).status, 200);
  assert.equal(fast.stats.kept, kept + 1, 'an answer was given from the kept one');
}

describe('DELETE /v1/sessions', () => {
  test('the token is refused from then on, renewal included; another token of the same member still works', async () => {
    const server = await startPrivacyServer();
    try {
      const ana = await addMember(server);
      const token = await signIn(server, ana);
      const otherTab = await signIn(server, ana);
      assert.equal((await call(server, 'GET', '/v1/me', token)).status, 200);
      const out = await signOut(server, token);
      assert.equal(out.status, 200, out.text);
      assert.deepEqual(out.body, { signedOut: true, everywhere: false });
      assert.equal((await call(server, 'GET', '/v1/me', token)).status, 401);
      assert.equal((await call(server, 'POST', '/v1/sessions/renew', token)).status, 401);
      assert.equal((await signOut(server, token)).status, 401, 'nothing left to sign out');
      assert.equal((await call(server, 'GET', '/v1/me', otherTab)).status, 200);
      assert.equal((await signOut(server)).status, 401, 'no token');
      const support = await addStaff(server, 'support');
      assert.equal((await signOut(server, support.token)).status, 200, 'staff sign out too');
      assert.equal((await call(server, 'GET', '/v1/support/grants', support.token)).status, 401);
    } finally {
      await server.dispose();
    }
  });

  test('the rows fast path drops the answer it kept for the token', async () => {
    const server = await startPrivacyServer();
    try {
      const ana = await memberWithRows(server);
      const token = await signIn(server, ana);
      const rows = () => fetch(`${server.url}/v1/profiles/${ana.profileId}/rows`, { headers: { authorization: `Bearer ${token}` } });
      await untilKeptAnswer(server, rows);
      assert.equal((await signOut(server, token)).status, 200);
      assert.equal((await rows()).status, 401);
    } finally {
      await server.dispose();
    }
  });

  test('a restart does not bring a signed-out token back (the signing key is the same, so an unsigned-out token still works)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'binge-sign-out-'));
    try {
      const first = await startPrivacyServer({ dataDir });
      const ana = await addMember(first);
      const out = await signIn(first, ana);
      const kept = await signIn(first, ana);
      assert.equal((await signOut(first, out)).status, 200);
      const startMs = first.clock.nowMs;
      await first.dispose();
      const second = await startPrivacyServer({ dataDir, startMs });
      try {
        assert.equal((await call(second, 'GET', '/v1/me', kept)).status, 200);
        assert.equal((await call(second, 'GET', '/v1/me', out)).status, 401);
      } finally {
        await second.dispose();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('?everywhere=true refuses every token of the account issued so far (renewed ones and the kept fast-path answer too); a new sign-in works at once; other members are untouched', async () => {
    const server = await startPrivacyServer();
    try {
      const ana = await memberWithRows(server);
      const bo = await addMember(server);
      const phone = await signIn(server, ana);
      const laptop = await signIn(server, ana);
      const renewed = await call(server, 'POST', '/v1/sessions/renew', laptop);
      assert.equal(renewed.status, 200, renewed.text);
      const boToken = await signIn(server, bo);
      // The laptop's renewed token has an answer kept by the rows fast path.
      const rows = (token: string) => fetch(`${server.url}/v1/profiles/${ana.profileId}/rows`, { headers: { authorization: `Bearer ${token}` } });
      await untilKeptAnswer(server, () => rows(renewed.body.token));

      const out = await call(server, 'DELETE', '/v1/sessions?everywhere=true', phone);
      assert.equal(out.status, 200, out.text);
      assert.deepEqual(out.body, { signedOut: true, everywhere: true });
      for (const token of [phone, laptop, renewed.body.token as string]) {
        assert.equal((await call(server, 'GET', '/v1/me', token)).status, 401);
        assert.equal((await call(server, 'POST', '/v1/sessions/renew', token)).status, 401);
      }
      assert.equal((await rows(renewed.body.token)).status, 401, 'the kept answer is refused');
      assert.equal((await call(server, 'DELETE', '/v1/sessions?everywhere=true', phone)).status, 401, 'nothing left to sign out');
      assert.equal((await call(server, 'GET', '/v1/me', boToken)).status, 200, 'another member is untouched');
      // The same second on the server's clock: the new sign-in is issued after the cut.
      const again = await signIn(server, ana);
      assert.equal((await call(server, 'GET', '/v1/me', again)).status, 200);
      assert.equal((await rows(again)).status, 200);
    } finally {
      await server.dispose();
    }
  });

  test('?everywhere takes true or false only, and the cut survives a restart until the last token it refuses would have expired', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'binge-sign-out-all-'));
    try {
      const first = await startPrivacyServer({ dataDir });
      const ana = await addMember(first);
      const token = await signIn(first, ana);
      const other = await signIn(first, ana);
      const bad = await call(first, 'DELETE', '/v1/sessions?everywhere=yes', token);
      assert.equal(bad.status, 400, bad.text);
      assert.equal((await call(first, 'GET', '/v1/me', token)).status, 200, 'a refused request signs nothing out');
      assert.equal((await call(first, 'DELETE', '/v1/sessions?everywhere=true', token)).status, 200);
      const startMs = first.clock.nowMs;
      await first.dispose();
      const second = await startPrivacyServer({ dataDir, startMs });
      try {
        assert.equal((await call(second, 'GET', '/v1/me', other)).status, 401);
        const fresh = await signIn(second, ana);
        assert.equal((await call(second, 'GET', '/v1/me', fresh)).status, 200);
      } finally {
        await second.dispose();
      }
      const rowsLeft = async () => {
        const store = await openDuckDbStore({ dataDir });
        try {
          return store.withConnection(async (c) => Number((await c.runAndReadAll('SELECT count(*) FROM account_sign_outs')).getRows()[0][0]));
        } finally {
          await store.close();
        }
      };
      assert.equal(await rowsLeft(), 1);
      // Once every token it refuses has expired, the cut is forgotten when next read.
      const later = await startPrivacyServer({ dataDir, startMs: startMs + 16 * 60_000 });
      try {
        assert.equal((await call(later, 'GET', '/v1/me', other)).status, 401, 'expired anyway');
        await signIn(later, ana);
      } finally {
        await later.dispose();
      }
      assert.equal(await rowsLeft(), 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
