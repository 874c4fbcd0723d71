// Signing out (DELETE /v1/sessions): the token presented is refused from then on, by every route,
// by the rows fast path that kept an answer for it, and after a restart; the person's other
// tokens are not touched.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMember, addStaff, call, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';
import { DAY, loadWorld, view } from '../../recommend/test-support.js';
import { fastRowsOf } from '../app.js';
import { recommendOf } from './recommend.js';

async function signIn(server: PrivacyTestServer, member: { email: string; password: string }): Promise<string> {
  const answer = await call(server, 'POST', '/v1/sessions', undefined, { email: member.email, password: member.password });
  assert.equal(answer.status, 200, answer.text);
  return answer.body.token as string;
}

const signOut = (server: PrivacyTestServer, token?: string) => call(server, 'DELETE', '/v1/sessions', token);

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
      assert.deepEqual(out.body, { signedOut: true });
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
      await loadWorld(server, { perGroup: 6 });
      assert.ok(await recommendOf.get(server.app)!.schedule.runOnce(), 'a model to serve');
      const ana: TestMember = await addMember(server, 'MX');
      const now = server.clock.nowMs;
      await server.store.replaceViews([{ profileId: ana.profileId, fromMs: -Infinity, views: [view(ana.profileId, 'f01', now - 2 * DAY), view(ana.profileId, 'f02', now - DAY)] }]);
      const token = await signIn(server, ana);
      const rows = () => fetch(`${server.url}/v1/profiles/${ana.profileId}/rows`, { headers: { authorization: `Bearer ${token}` } });
      const fast = fastRowsOf.get(server.app)!;
      // The first request renders the rows, the next is answered by the fast path and kept, then the kept answer is given.
      const kept = fast.stats.kept;
      for (let i = 0; i < 5 && fast.stats.kept === kept; i++) assert.equal((await rows()).status, 200);
      assert.equal(fast.stats.kept, kept + 1, 'an answer was given from the kept one');
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
});
