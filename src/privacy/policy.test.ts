import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, GRANTABLE_DATA, PERSONAL_DATA, type Asker, type Grant, type Question } from './policy.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const ana: Asker = { id: 'ana', role: 'member' };
const q = (over: Partial<Question>): Question => ({
  asker: ana,
  subject: { memberId: 'ana' },
  purpose: 'self_service',
  data: 'history',
  action: 'read',
  nowMs: NOW,
  ...over,
});
const grant = (over: Partial<Grant> = {}): Grant => ({
  grantId: 'g1',
  supportId: 'sam',
  memberId: 'ana',
  ticket: 'SUP-7',
  data: ['history'],
  expiresAtMs: NOW + 3_600_000,
  closedAtMs: null,
  ...over,
});
const sam: Asker = { id: 'sam', role: 'support' };

test('a member reads and changes their own data; reads are not audited, changes, exports and erasure are', () => {
  assert.deepEqual(decide(q({})), { allow: true, audit: false });
  assert.deepEqual(decide(q({ data: 'consents', action: 'change' })), { allow: true, audit: true });
  assert.deepEqual(decide(q({ data: 'export' })), { allow: true, audit: true });
  assert.deepEqual(decide(q({ data: 'erasure', action: 'change' })), { allow: true, audit: true });
});

test("a member never reaches another member's data, nor data about no one", () => {
  for (const data of PERSONAL_DATA) {
    assert.deepEqual(decide(q({ data, subject: { memberId: 'bo' } })), { allow: false, reason: 'not_own_data' }, data);
    assert.deepEqual(decide(q({ data, subject: null })), { allow: false, reason: 'no_subject' }, data);
  }
  assert.equal(decide(q({ purpose: 'support_ticket' })).allow, false);
});

test('support sees a member only under a live grant covering that data, and every such read is audited with the ticket', () => {
  const ask = (grants: Grant[], over: Partial<Question> = {}) => decide(q({ asker: sam, purpose: 'support_ticket', grants, ...over }));
  assert.deepEqual(ask([grant()]), { allow: true, audit: true, ticket: 'SUP-7', grantId: 'g1' });
  assert.deepEqual(ask([]), { allow: false, reason: 'no_grant' }, 'no grant, nothing');
  assert.deepEqual(ask([grant({ expiresAtMs: NOW })]), { allow: false, reason: 'no_grant' }, 'expired');
  assert.deepEqual(ask([grant({ closedAtMs: NOW - 1 })]), { allow: false, reason: 'no_grant' }, 'closed');
  assert.deepEqual(ask([grant({ memberId: 'bo' })]), { allow: false, reason: 'no_grant' }, 'a grant on someone else');
  assert.deepEqual(ask([grant({ supportId: 'other' })]), { allow: false, reason: 'no_grant' }, "another agent's grant");
  assert.deepEqual(ask([grant()], { data: 'searches' }), { allow: false, reason: 'no_grant' }, 'data the grant does not name');
  assert.deepEqual(ask([grant()], { purpose: 'self_service' }), { allow: false, reason: 'purpose_not_allowed' });
  for (const data of ['wellbeing', 'export', 'erasure', 'consents', 'account', 'access_log'] as const) {
    assert.deepEqual(ask([grant({ data: [...GRANTABLE_DATA] })], { data }), { allow: false, reason: 'role_not_allowed' }, data);
  }
  assert.deepEqual(ask([grant()], { action: 'change' }), { allow: false, reason: 'role_not_allowed' }, 'support reads, never changes');
});

test('analysts read released facts only; admins keys and configuration, never viewing data; wellbeing is the member\'s alone', () => {
  for (const role of ['analyst', 'admin'] as const) {
    for (const data of PERSONAL_DATA) {
      for (const purpose of ['self_service', 'support_ticket', 'configuration'] as const) {
        assert.equal(decide(q({ asker: { id: role, role }, data, purpose })).allow, false, `${role} ${data} ${purpose}`);
      }
    }
  }
  assert.equal(decide(q({ asker: { id: 'al', role: 'analyst' }, subject: null, data: 'released_facts', purpose: 'released_facts' })).allow, true);
  assert.equal(decide(q({ asker: { id: 'al', role: 'analyst' }, subject: null, data: 'keys', purpose: 'configuration' })).allow, false);
  assert.deepEqual(decide(q({ asker: { id: 'ad', role: 'admin' }, subject: null, data: 'keys', purpose: 'configuration' })), { allow: true, audit: true });
  assert.equal(decide(q({ asker: { id: 'anonymous', role: 'anonymous' }, subject: null, data: 'released_facts', purpose: 'released_facts' })).allow, false);
  for (const role of ['analyst', 'support', 'admin', 'operator', 'ingest'] as const) {
    assert.equal(decide(q({ asker: { id: role, role }, data: 'wellbeing', purpose: 'support_ticket', grants: [grant({ supportId: role })] })).allow, false, role);
  }
});

test("a member's token writes the member's own playback events (a browser player), unaudited like a player's key; never another member's, and nothing else under the ingest purpose", () => {
  const ingestOwn = { data: 'events', action: 'change', purpose: 'ingest' } as const;
  assert.deepEqual(decide(q({ ...ingestOwn })), { allow: true, audit: false });
  assert.deepEqual(decide(q({ ...ingestOwn, subject: { memberId: 'bob' } })), { allow: false, reason: 'not_own_data' });
  assert.deepEqual(decide(q({ ...ingestOwn, subject: null })), { allow: false, reason: 'not_own_data' });
  assert.equal(decide(q({ ...ingestOwn, data: 'history' })).allow, false);
  assert.equal(decide(q({ ...ingestOwn, action: 'read' })).allow, false);
});

test('the ingest key writes events and reads nothing; an operator only fulfils export, erasure and history-reading requests', () => {
  const ingest: Asker = { id: 'ingest:k', role: 'ingest' };
  assert.deepEqual(decide(q({ asker: ingest, subject: null, data: 'events', action: 'change', purpose: 'ingest' })), { allow: true, audit: false });
  assert.equal(decide(q({ asker: ingest, data: 'history', purpose: 'ingest' })).allow, false);
  const operator: Asker = { id: 'cli:root', role: 'operator' };
  assert.deepEqual(decide(q({ asker: operator, data: 'export', purpose: 'member_request' })), { allow: true, audit: true });
  assert.deepEqual(decide(q({ asker: operator, data: 'erasure', action: 'change', purpose: 'member_request' })), { allow: true, audit: true });
  assert.deepEqual(decide(q({ asker: operator, data: 'history', purpose: 'member_request' })), { allow: true, audit: true });
  assert.equal(decide(q({ asker: operator, data: 'history', action: 'change', purpose: 'member_request' })).allow, false);
  assert.equal(decide(q({ asker: operator, data: 'history', purpose: 'self_service' })).allow, false);
  assert.equal(decide(q({ asker: operator, data: 'devices', purpose: 'member_request' })).allow, false);
  assert.equal(decide(q({ asker: operator, subject: null, data: 'staff_accounts', purpose: 'configuration' })).allow, true);
});
