// Who is asking, and may they: bearer keys for services, signed tokens for people, and the
// privacy hook that runs before every handler. The hook reads the route's declaration
// (privacy/routes.ts), signs the caller in, finds the member the data is about, and asks the
// policy once (privacy/access.ts). A denial about a named profile or member answers 404, the
// same as an id that does not exist, so ids of other members reveal nothing.

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BingeError } from '../errors.js';
import type { KeyRing } from '../privacy/keys.js';
import type { AccessQuestion } from '../privacy/access.js';
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

/** What sign-in reads of a request: its headers (a Fastify request or a raw node:http one). */
interface WithHeaders {
  headers: IncomingHttpHeaders;
}

export async function requireKey(keys: KeyRing, request: WithHeaders, kinds: readonly KeyKind[]): Promise<StoredKey> {
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

/** The token of an `Authorization: Bearer <token>` header, else undefined. */
export function bearerToken(request: WithHeaders): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : undefined;
}

/** The signed-in person behind a bearer token, or 401. */
export async function requireAccount(privacy: PrivacyServices, request: WithHeaders): Promise<Account> {
  const token = bearerToken(request);
  const accountId = token ? await privacy.tokens.verify(token) : undefined;
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
    // A request the rows fast path (server/fast-rows.ts) has already put to the policy is not asked again.
    const { asker, account, subject, decision, audit } = await (takeAuthorization(request.raw, policy) ??
      authorize(policy, routeKey(request.method, url), request, deps));
    // Erasure writes its entry in its own transaction; everything else is recorded now, before any data moves.
    const deferred = decision.allow && policy.data === 'erasure';
    if (audit && !deferred) await deps.privacy.store.appendAudit(audit);
    if (!decision.allow) throw denial(policy, asker, subject);
    request.access = { asker, account, subjectMemberId: subject.memberId, decision, pendingAudit: deferred ? audit : null };
  });
  return declared;
}

/** What the privacy hook needs of a request: its headers, and its params and body (where a subject id may be). */
export interface RequestToAuthorize extends WithHeaders {
  params: unknown;
  body: unknown;
}

export interface Authorization {
  asker: Asker;
  account: Account | undefined;
  subject: Subject;
  decision: Decision;
  /** The audit entry the decision calls for (the hook writes it), or null. */
  audit: AuditFields | null;
}

type Subject = { memberId: string | null; named?: { kind: string; id: string } };

/**
 * Signs the caller in, finds the member the data is about, and asks the policy once: the whole
 * privacy decision of one request, shared by the hook and the rows fast path. Throws 401/403
 * when sign-in fails (before the policy is asked).
 */
export async function authorize(
  policy: RoutePolicy,
  what: string,
  request: RequestToAuthorize,
  deps: { store: Store; keys: KeyRing; privacy: PrivacyServices },
): Promise<Authorization> {
  const { asker, account } = await signIn(policy, request, deps);
  const subject = await subjectOf(policy, request, asker, deps.store);
  const { decision, audit } = await deps.privacy.gate.askDeferred(questionOf(policy, what, asker, subject));
  return { asker, account, subject, decision, audit };
}

/**
 * `authorize`'s answer when nothing it reads needs waiting: a token route, a token verified
 * before and valid now, the store's directory in memory, a subject that is the caller or a
 * named profile, and a decision that reads no grants and writes no audit entry. The same reads
 * and the same `decide` as `authorize`, in the same order; undefined whenever any of it would
 * wait or fail (then ask `authorize`, which also gives sign-in its 401). For the rows fast path:
 * a warm request then allocates no promise chain (DECISIONS.md, 26).
 */
export function authorizeNow(
  policy: RoutePolicy,
  what: string,
  request: RequestToAuthorize,
  deps: { store: Store; privacy: PrivacyServices },
): Authorization | undefined {
  if (policy.auth !== 'token') return undefined;
  const directory = deps.store.directoryNow?.();
  const token = directory ? bearerToken(request) : undefined;
  const accountId = token ? deps.privacy.tokens.verifiedNow(token) : undefined;
  const found = accountId ? directory!.account(accountId) : undefined;
  if (!found) return undefined;
  const account = { ...found };
  const asker: Asker = { id: account.accountId, role: account.role };
  let subject: Subject;
  const source = policy.subject;
  if (source === 'none') subject = { memberId: null };
  else if (source === 'me') subject = { memberId: asker.role === 'member' ? asker.id : null };
  else if (source.kind === 'profile') {
    const id = namedId(source, request);
    subject = { memberId: (id ? directory!.profile(id)?.memberId : undefined) ?? null, named: { kind: 'profile', id } };
  } else return undefined;
  const asked = deps.privacy.gate.askNow(questionOf(policy, what, asker, subject));
  return asked && { asker, account, subject, decision: asked.decision, audit: null };
}

/** The error a denial answers with: about a named profile or member, the same 404 as a missing id. */
export function denial(policy: RoutePolicy, asker: Asker, subject: Subject): BingeError {
  if (subject.named) return new BingeError('BINGE_NOT_FOUND', `no ${subject.named.kind} ${subject.named.id}; check the id`);
  return new BingeError('BINGE_FORBIDDEN', `a ${asker.role} account cannot do this (${policy.data}, ${policy.purpose})`);
}

const AUTHORIZED = Symbol('binge.authorized');
type Authorized = IncomingMessage & { [AUTHORIZED]?: { policy: RoutePolicy; authorization: Promise<Authorization> } };

/**
 * Hands a request that has been put to the policy on to Fastify: the hook takes this decision
 * instead of asking again, so each request is asked exactly once whichever path answers it.
 */
export function passAuthorization(raw: IncomingMessage, policy: RoutePolicy, authorization: Promise<Authorization>): void {
  // A refusal is thrown to the client by the hook; until the hook awaits it, it is not unhandled.
  authorization.catch(() => undefined);
  (raw as Authorized)[AUTHORIZED] = { policy, authorization };
}

function takeAuthorization(raw: IncomingMessage, policy: RoutePolicy): Promise<Authorization> | undefined {
  const passed = (raw as Authorized)[AUTHORIZED];
  if (!passed) return undefined;
  delete (raw as Authorized)[AUTHORIZED];
  // Decided for another route's declaration: fail closed rather than ask twice.
  if (passed.policy !== policy) throw new BingeError('BINGE_INTERNAL', 'the request was authorised for another route');
  return passed.authorization;
}

async function signIn(
  policy: RoutePolicy,
  request: WithHeaders,
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
    case 'ingest_key_or_token': {
      const caller = await requireIngestKeyOrMember(deps.keys, deps.privacy, request);
      return caller.account ? { asker: { id: caller.account.accountId, role: caller.account.role }, account: caller.account } : { asker: { id: `ingest:${caller.key!.keyId}`, role: 'ingest' }, account: undefined };
    }
  }
}

/**
 * An ingest key, or else a member's token (a browser player, which must not hold a key: DECISIONS.md,
 * 38). Neither: the key's 401, as before. Keys are tried first: that is the players' common case.
 */
export async function requireIngestKeyOrMember(
  keys: KeyRing,
  privacy: PrivacyServices | undefined,
  request: WithHeaders,
): Promise<{ key: StoredKey; account?: undefined } | { key?: undefined; account: Account }> {
  try {
    return { key: await requireKey(keys, request, ['ingest']) };
  } catch (error) {
    if (!privacy || !(error instanceof BingeError) || error.code !== 'BINGE_UNAUTHORIZED' || !bearerToken(request)) throw error;
    const token = bearerToken(request)!;
    const accountId = await privacy.tokens.verify(token);
    const account = accountId ? await privacy.store.account(accountId) : undefined;
    if (!account) throw error;
    if (account.role !== 'member') throw new BingeError('BINGE_FORBIDDEN', `a ${account.role} account cannot send playback events; players send them with an ingest key or the member's token`);
    return { account };
  }
}

/** The member the request is about; `named` when the caller gave an id (a denial then looks like "not found"). */
async function subjectOf(
  policy: RoutePolicy,
  request: RequestToAuthorize,
  asker: Asker,
  store: Store,
): Promise<Subject> {
  const source = policy.subject;
  if (source === 'none') return { memberId: null };
  if (source === 'me') return { memberId: asker.role === 'member' ? asker.id : null };
  const id = namedId(source, request);
  if (source.kind === 'profile') {
    const profile = id ? await store.profile(id) : undefined;
    return { memberId: profile?.memberId ?? null, named: { kind: 'profile', id } };
  }
  const member = id ? await store.member(id) : undefined;
  return { memberId: member?.memberId ?? null, named: { kind: 'member', id } };
}

/** The policy question of a request: who asks about whose data, for what. */
function questionOf(policy: RoutePolicy, what: string, asker: Asker, subject: Subject): AccessQuestion {
  return { asker, subject: subject.memberId === null ? null : { memberId: subject.memberId }, purpose: policy.purpose, data: policy.data, action: policy.action, what };
}

/** The id a route's declaration names its subject by (a path parameter or a body field), at most 256 characters; '' when absent. */
function namedId(source: { from: 'params' | 'body'; field: string }, request: RequestToAuthorize): string {
  const holder = (source.from === 'params' ? request.params : request.body) as Record<string, unknown> | null | undefined;
  const raw = holder && typeof holder === 'object' ? holder[source.field] : undefined;
  return typeof raw === 'string' ? raw.slice(0, 256) : '';
}
