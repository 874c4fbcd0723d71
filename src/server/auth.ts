// Who is asking, and may they: bearer keys for services, signed tokens for people, and the
// privacy hook that runs before every handler. The hook reads the route's declaration
// (privacy/routes.ts), signs the caller in, finds the member the data is about, and asks the
// policy once (privacy/access.ts). A denial about a named profile or member answers 404, the
// same as an id that does not exist, so ids of other members reveal nothing.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BingeError } from '../errors.js';
import type { KeyRing } from '../privacy/keys.js';
import type { AuditFields } from '../privacy/audit.js';
import type { Asker, Decision } from '../privacy/policy.js';
import { ROUTE_POLICY, routeKey, type RoutePolicy } from '../privacy/routes.js';
import type { PrivacyServices } from '../privacy/services.js';
import type { KeyKind, Store, StoredKey } from '../store/port.js';
import type { Account } from '../store/privacy-port.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's privacy declaration, when it is not in ROUTE_POLICY. */
    privacy?: RoutePolicy;
  }
  interface FastifyRequest {
    access?: GrantedAccess;
  }
}

export interface GrantedAccess {
  asker: Asker;
  /** The signed-in account (token routes). */
  account: Account | undefined;
  /** The member the data is about, when the route names one. */
  subjectMemberId: string | null;
  decision: Extract<Decision, { allow: true }>;
  /** For erasure: the audit entry the handler writes in the same transaction as the work. */
  pendingAudit: AuditFields | null;
}

export async function requireKey(keys: KeyRing, request: FastifyRequest, kinds: readonly KeyKind[]): Promise<StoredKey> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) {
    throw new BingeError('BINGE_UNAUTHORIZED', 'missing Authorization header: send "Authorization: Bearer <key>" (create one with `binge keys create --kind ingest`)');
  }
  const key = await keys.verify(match[1]);
  if (!key) throw new BingeError('BINGE_UNAUTHORIZED', 'the key is not known: create one with `binge keys create --kind ingest`');
  if (!kinds.includes(key.kind)) {
    throw new BingeError('BINGE_FORBIDDEN', `a ${key.kind} key cannot do this; it needs a ${kinds.join(' or ')} key`);
  }
  return key;
}

/** The signed-in person behind a bearer token, or 401. */
export async function requireAccount(privacy: PrivacyServices, request: FastifyRequest): Promise<Account> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const accountId = match ? await privacy.tokens.verify(match[1]) : undefined;
  const account = accountId ? await privacy.store.account(accountId) : undefined;
  if (!account) {
    throw new BingeError('BINGE_UNAUTHORIZED', 'sign in first: POST /v1/sessions with your e-mail and password gives a token; send it as "Authorization: Bearer <token>"');
  }
  return account;
}

/** What the handler may do, as the privacy hook decided; a handler without it fails closed. */
export function accessOf(request: FastifyRequest): GrantedAccess {
  if (!request.access) throw new BingeError('BINGE_INTERNAL', `route ${request.method} ${request.routeOptions.url} ran without a privacy decision`);
  return request.access;
}

export interface DeclaredRoute {
  method: string;
  url: string;
  policy: RoutePolicy | undefined;
}

export function policyOf(method: string, url: string, config: { privacy?: RoutePolicy } | undefined): RoutePolicy | undefined {
  return config?.privacy ?? ROUTE_POLICY[routeKey(method, url)];
}

/** Installs the hook; returns the list of routes registered afterwards, with their declarations. */
export function installPrivacyHook(app: FastifyInstance, deps: { store: Store; keys: KeyRing; privacy: PrivacyServices }): DeclaredRoute[] {
  const declared: DeclaredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      declared.push({ method, url: route.url, policy: policyOf(method, route.url, route.config as { privacy?: RoutePolicy } | undefined) });
    }
  });

  // Before validation: a caller who may not use the route learns nothing, not even its schema.
  app.addHook('preValidation', async (request) => {
    if (request.is404) return;
    const url = request.routeOptions.url ?? '';
    const policy = policyOf(request.method, url, request.routeOptions.config);
    if (!policy) {
      throw new BingeError('BINGE_INTERNAL', `route ${request.method} ${url} declares no privacy policy; add it to ROUTE_POLICY in src/privacy/routes.ts`);
    }
    const { asker, account } = await signIn(policy, request, deps);
    const subject = await subjectOf(policy, request, asker, deps.store);
    const { decision, audit } = await deps.privacy.gate.askDeferred({
      asker,
      subject: subject.memberId === null ? null : { memberId: subject.memberId },
      purpose: policy.purpose,
      data: policy.data,
      action: policy.action,
      what: routeKey(request.method, url),
    });
    // Erasure writes its entry in its own transaction; everything else is recorded now, before any data moves.
    const deferred = decision.allow && policy.data === 'erasure';
    if (audit && !deferred) await deps.privacy.store.appendAudit(audit);
    if (!decision.allow) {
      if (subject.named) throw new BingeError('BINGE_NOT_FOUND', `no ${subject.named.kind} ${subject.named.id}; check the id`);
      throw new BingeError('BINGE_FORBIDDEN', `a ${asker.role} account cannot do this (${policy.data}, ${policy.purpose})`);
    }
    request.access = { asker, account, subjectMemberId: subject.memberId, decision, pendingAudit: deferred ? audit : null };
  });
  return declared;
}

async function signIn(
  policy: RoutePolicy,
  request: FastifyRequest,
  deps: { keys: KeyRing; privacy: PrivacyServices },
): Promise<{ asker: Asker; account: Account | undefined }> {
  switch (policy.auth) {
    case 'none':
      return { asker: { id: 'anonymous', role: 'anonymous' }, account: undefined };
    case 'ingest_key': {
      const key = await requireKey(deps.keys, request, ['ingest']);
      return { asker: { id: `ingest:${key.keyId}`, role: 'ingest' }, account: undefined };
    }
    case 'token': {
      const account = await requireAccount(deps.privacy, request);
      return { asker: { id: account.accountId, role: account.role }, account };
    }
  }
}

/** The member the request is about; `named` when the caller gave an id (a denial then looks like "not found"). */
async function subjectOf(
  policy: RoutePolicy,
  request: FastifyRequest,
  asker: Asker,
  store: Store,
): Promise<{ memberId: string | null; named?: { kind: string; id: string } }> {
  const source = policy.subject;
  if (source === 'none') return { memberId: null };
  if (source === 'me') return { memberId: asker.role === 'member' ? asker.id : null };
  const holder = (source.from === 'params' ? request.params : request.body) as Record<string, unknown> | null | undefined;
  const raw = holder && typeof holder === 'object' ? holder[source.field] : undefined;
  const id = typeof raw === 'string' ? raw.slice(0, 256) : '';
  if (source.kind === 'profile') {
    const profile = id ? await store.profile(id) : undefined;
    return { memberId: profile?.memberId ?? null, named: { kind: 'profile', id } };
  }
  const member = id ? await store.member(id) : undefined;
  return { memberId: member?.memberId ?? null, named: { kind: 'member', id } };
}
