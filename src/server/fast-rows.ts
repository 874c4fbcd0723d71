// The rows fast path: GET /v1/profiles/{id}/rows answered in front of Fastify, through its
// documented `serverFactory`, when the answer is already rendered. Under 50 concurrent requests
// Fastify's own per-request work (request and reply objects, hooks, routing, a child logger) cost
// about as much as the whole rows answer, and the p99 goal (10 ms) sat below that floor
// (DECISIONS.md, 20).
//
// The privacy decision is the hook's own: `authorize` (server/auth.ts) signs the caller in, finds
// the profile's member and asks the policy once, exactly as the hook does; `authorizeNow` makes
// the same decision without a promise when everything it reads is in memory (a warm request). The fast path answers
// only when that decision allows with no audit entry to write and the service holds a body that
// is current (`RecommendService.renderedRows`: model checked, inputs cached, rendered for this
// moment). Every other request, denied, unsigned, cold or unusual, goes to Fastify unchanged;
// one that was put to the policy carries its decision along (`passAuthorization`), so the hook
// answers it from that decision and no request is asked twice. Answers carry the same status,
// headers, body and log line as Fastify's (fast-rows.test.ts compares them).
//
// An answer sent this way is kept for the profile with the credentials it was decided on, and the
// next request for the profile with the very same Authorization header gets it again while nothing
// the decision or the body was made from has changed (`KeptAnswer`): the token still valid by the
// clock, the directory of profiles and accounts unwritten, the profile's cached inputs not dropped
// (every change that names the profile or its member drops them), the same model and the clock
// within the span the body was rendered for. That is the same answer, decided on the same facts;
// reading them again touched some twenty scattered objects per request, a fifth of a warm answer's
// time under load (DECISIONS.md, 36).
//
// With CORS on (server/cors.ts), a request that names an Origin is Fastify's: its answer needs the
// Access-Control-* headers, which @fastify/cors decides. A same-origin GET carries no Origin.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeRequestCompleted, type Logger } from '../logger.js';
import type { KeyRing } from '../privacy/keys.js';
import { ROUTE_POLICY, routeKey, type RoutePolicy } from '../privacy/routes.js';
import type { PrivacyServices } from '../privacy/services.js';
import type { VerifiedToken } from '../privacy/tokens.js';
import { DEFAULT_MAX_PROFILES } from '../recommend/serving-cache.js';
import { ROW_LIMIT, type KeptRows, type RecommendService } from '../recommend/serving.js';
import type { DirectoryView, Store } from '../store/port.js';
import { authorize, authorizeNow, bearerToken, passAuthorization, type Authorization } from './auth.js';
import { SECURITY_HEADERS } from './headers.js';

type FastifyHandler = (req: IncomingMessage, res: ServerResponse) => void;

const URL_TEMPLATE = '/v1/profiles/:id/rows';
/**
 * Exactly the URLs Fastify routes to the rows route with `{ id }` as written and the default limit:
 * no query string, no percent-escapes or dots to decode or normalise, at most 128 characters (the
 * longest id; the router's maxParamLength is more). Anything else is Fastify's.
 */
const ROWS_URL = /^\/v1\/profiles\/([A-Za-z0-9_-]{1,128})\/rows$/;

export interface FastRowsDeps {
  store: Store;
  keys: KeyRing;
  privacy: PrivacyServices;
  service: RecommendService;
  logger: Logger;
  /** The route's declaration, as the hook reads it (ROUTE_POLICY). */
  policy?: RoutePolicy;
  /** CORS is on (server/cors.ts): a request with an Origin header goes to Fastify, whose answer carries the Access-Control-* headers. */
  crossOrigin?: boolean;
}

/** An answer the fast path sent, and the facts it was decided and rendered on. */
interface KeptAnswer {
  /** The request's Authorization header, exactly: another header is decided afresh. */
  authorization: string;
  /** What verifying the token established (its account; valid from and until, by the clock). */
  token: VerifiedToken;
  directory: DirectoryView;
  directoryVersion: number;
  rows: KeptRows;
}

export class FastRows {
  /** Off while the server closes (Fastify then answers 503), and in tests that compare both paths. */
  enabled = true;
  /** `kept`: answers given again from `KeptAnswer`s (a part of `answered`). */
  readonly stats = { answered: 0, passed: 0, kept: 0 };
  /** By profile, the last answer sent; at most as many as the serving cache holds profiles, the oldest kept first to go. */
  private readonly kept = new Map<string, KeptAnswer>();
  private readonly policy: RoutePolicy;
  private readonly what = routeKey('GET', URL_TEMPLATE);
  /** The answer's headers; the request id and the length are set for each answer. */
  private readonly head: string[] = ['x-request-id', '', ...SECURITY_ENTRIES, 'content-type', 'application/json; charset=utf-8', 'content-length', ''];

  constructor(private readonly deps: FastRowsDeps) {
    const policy = deps.policy ?? ROUTE_POLICY[this.what];
    if (!policy) throw new Error(`${this.what} declares no privacy policy`);
    this.policy = policy;
  }

  /** The server's request listener: answers a current rows request, hands everything else to `fastify` (Fastify's handler). */
  handle(req: IncomingMessage, res: ServerResponse, fastify: FastifyHandler): void {
    const match = this.enabled && req.method === 'GET' ? ROWS_URL.exec(req.url ?? '') : null;
    const { headers } = req;
    if (
      !match ||
      headers['content-length'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      headers.expect !== undefined ||
      (this.deps.crossOrigin === true && headers.origin !== undefined)
    ) {
      return fastify(req, res);
    }
    const startedMs = performance.now();
    const profileId = match[1];
    const kept = this.kept.get(profileId);
    // Another header leaves the kept answer where it is (a request with it is decided afresh and
    // may replace it); a kept answer that no longer holds goes.
    if (kept !== undefined && kept.authorization === headers.authorization) {
      if (this.stillHolds(kept)) {
        this.stats.kept++;
        return this.send(req, res, kept.rows.body, startedMs);
      }
      this.kept.delete(profileId);
    }
    const request = { headers, params: { id: profileId }, body: undefined };
    // A warm request is decided without waiting; anything else the way the hook decides it.
    const now = authorizeNow(this.policy, this.what, request, this.deps);
    if (now) return this.answer(req, res, fastify, profileId, now, startedMs, headers.authorization);
    const authorization = authorize(this.policy, this.what, request, this.deps);
    authorization.then(
      (a) => this.answer(req, res, fastify, profileId, a, startedMs),
      () => this.toFastify(req, res, fastify, authorization),
    );
  }

  /**
   * Sends the rendered rows when the decision allows them and they are current, else hands the
   * request and its decision to Fastify. A decision made without waiting (`authorization` given)
   * is kept with the answer.
   */
  private answer(req: IncomingMessage, res: ServerResponse, fastify: FastifyHandler, profileId: string, a: Authorization, startedMs: number, authorization?: string): void {
    const memberId = a.subject.memberId;
    const rows = this.enabled && a.decision.allow && a.audit === null && memberId !== null ? this.deps.service.currentRows({ profileId, memberId }, ROW_LIMIT) : undefined;
    if (!rows) return this.toFastify(req, res, fastify, Promise.resolve(a));
    if (authorization !== undefined) this.keep(profileId, authorization, rows);
    this.send(req, res, rows.body, startedMs);
  }

  /** Keeps an answer decided now on this header (authorizeNow read the token and the directory in this same turn). */
  private keep(profileId: string, authorization: string, rows: KeptRows): void {
    const directory = this.deps.store.directoryNow?.();
    const token = bearerToken({ headers: { authorization } });
    const verified = token === undefined ? undefined : this.deps.privacy.tokens.verifiedRecordNow(token);
    if (!directory || !verified) return;
    if (this.kept.size >= MAX_KEPT && !this.kept.has(profileId)) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(profileId, { authorization, token: verified, directory, directoryVersion: directory.version, rows });
  }

  /** Whether the decision and the body of `kept` are what asking again with its header would give. */
  private stillHolds(kept: KeptAnswer): boolean {
    return (
      kept.directory === this.deps.store.directoryNow?.() &&
      kept.directory.version === kept.directoryVersion &&
      this.deps.privacy.tokens.stillValid(kept.token) &&
      this.deps.service.stillCurrent(kept.rows)
    );
  }

  private toFastify(req: IncomingMessage, res: ServerResponse, fastify: FastifyHandler, authorization: Promise<Authorization>): void {
    this.stats.passed++;
    passAuthorization(req, this.policy, authorization);
    fastify(req, res);
  }

  private send(req: IncomingMessage, res: ServerResponse, body: Buffer, startedMs: number): void {
    this.stats.answered++;
    const id = randomUUID();
    // As Fastify sends them (app.ts onRequest hook, the route's content type), in the same order.
    // One list filled in place: writeHead reads it before it returns and keeps none of it.
    const head = this.head;
    head[1] = id;
    head[head.length - 1] = String(body.length);
    res.writeHead(200, head);
    res.end(body);
    // Fastify's one line per answered request (app.ts OneLinePerRequest), with its child logger's
    // reqId binding; the URL matched ROWS_URL, so it is the path, with no query string.
    if (this.deps.logger.isLevelEnabled('info')) writeRequestCompleted(this.deps.logger, id, 'GET', req.url!, 200, performance.now() - startedMs);
  }
}

const SECURITY_ENTRIES = Object.entries(SECURITY_HEADERS).flat();
const MAX_KEPT = DEFAULT_MAX_PROFILES;
