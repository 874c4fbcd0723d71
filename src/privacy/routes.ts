// What every HTTP route touches, in one table the privacy hook (server/auth.ts) reads before any
// handler runs: how the caller signs in, the data class, the purpose, and where the subject
// comes from. A route may instead carry the same object as its `config.privacy` option. A /v1
// route with neither is refused (fail closed), and a test enumerates every registered route and
// fails on one that is not declared here.

import type { Action, DataClass, Purpose } from './policy.js';

/** `ingest_key_or_token`: an ingest key (server-side players), or a signed-in person's token (browser players; DECISIONS.md, 38). */
export type RouteAuth = 'none' | 'ingest_key' | 'token' | 'ingest_key_or_token';

/** Where the member the data is about comes from: no one, the caller, or a path parameter or body field holding a profile or member id. */
export type RouteSubject = 'none' | 'me' | { from: 'params' | 'body'; field: string; kind: 'profile' | 'member' };

export interface RoutePolicy {
  auth: RouteAuth;
  data: DataClass;
  purpose: Purpose;
  action: Action;
  subject: RouteSubject;
}

const publicRoute: RoutePolicy = { auth: 'none', data: 'public', purpose: 'self_service', action: 'read', subject: 'none' };
const own = (data: DataClass, action: Action = 'read'): RoutePolicy => ({ auth: 'token', data, purpose: 'self_service', action, subject: 'me' });
const ownProfile = (data: DataClass, action: Action = 'read'): RoutePolicy => ({
  auth: 'token',
  data,
  purpose: 'self_service',
  action,
  subject: { from: 'params', field: 'id', kind: 'profile' },
});
const supportRead = (data: DataClass): RoutePolicy => ({
  auth: 'token',
  data,
  purpose: 'support_ticket',
  action: 'read',
  subject: { from: 'params', field: 'memberId', kind: 'member' },
});

/** Keyed by "METHOD /url/:param" exactly as registered (HEAD follows GET). */
export const ROUTE_POLICY: Readonly<Record<string, RoutePolicy>> = Object.freeze({
  'GET /v1/health': publicRoute,
  'GET /openapi.json': publicRoute,
  // The member web app: static pages and assets that carry no member data (the pages ask the API with the member's token).
  'GET /': publicRoute,
  'GET /app': publicRoute,
  'GET /app/*': publicRoute,
  // CORS preflights (server/cors.ts, only when BINGE_CORS_ORIGINS names origins): a browser asks
  // whether a call may be made; the answer carries no data and nothing changes.
  'OPTIONS *': publicRoute,
  // A player's key, or a member's token from a browser player: then only the member's own profiles'
  // events are taken (the route checks each event's profile; others are rejected one by one).
  'POST /v1/events': { auth: 'ingest_key_or_token', data: 'events', purpose: 'ingest', action: 'change', subject: 'me' },

  // Signing up and in: the caller has no account yet; the only data written is their own.
  'POST /v1/members': publicRoute,
  'POST /v1/sessions': publicRoute,
  // Renewing a sign-in: any signed-in person (members and staff), for themselves; no data, only a new token.
  'POST /v1/sessions/renew': { auth: 'token', data: 'public', purpose: 'self_service', action: 'read', subject: 'none' },
  // Signing out: the same, ending the token presented.
  'DELETE /v1/sessions': { auth: 'token', data: 'public', purpose: 'self_service', action: 'change', subject: 'none' },

  'GET /v1/profiles/:id/history': ownProfile('history'),
  'GET /v1/profiles/:id/continue-watching': ownProfile('history'),
  'POST /v1/profiles/:id/history/:viewId/hide': ownProfile('history', 'change'),

  'GET /v1/me': own('account'),
  'POST /v1/me/profiles': own('profiles', 'change'),
  'GET /v1/me/consents': own('consents'),
  'PUT /v1/me/consents': own('consents', 'change'),
  'GET /v1/me/access-log': own('access_log'),
  'GET /v1/me/export': own('export'),
  'DELETE /v1/me': own('erasure', 'change'),
  'GET /v1/me/wellbeing': own('wellbeing'),
  'PUT /v1/me/wellbeing': own('wellbeing', 'change'),

  'POST /v1/support/grants': {
    auth: 'token',
    data: 'support_grants',
    purpose: 'support_ticket',
    action: 'change',
    subject: { from: 'body', field: 'memberId', kind: 'member' },
  },
  // A support agent's own open grants: about no one member (each names the member id it covers).
  'GET /v1/support/grants': { auth: 'token', data: 'support_grants', purpose: 'support_ticket', action: 'read', subject: 'none' },
  'DELETE /v1/support/grants/:grantId': { auth: 'token', data: 'support_grants', purpose: 'support_ticket', action: 'change', subject: 'none' },
  'GET /v1/support/members/:memberId/history': supportRead('history'),
  'GET /v1/support/members/:memberId/devices': supportRead('devices'),
  'GET /v1/support/members/:memberId/searches': supportRead('searches'),
  'GET /v1/support/members/:memberId/profiles': supportRead('profiles'),

  // Recommendations are computed from the profile's history (and consent is checked per request).
  'GET /v1/profiles/:id/rows': ownProfile('history'),
  'POST /v1/profiles/:id/picks': ownProfile('history', 'change'),
  'GET /v1/onboarding/titles': publicRoute,
  // One-click unsubscribe: no sign-in (RFC 8058); the HMAC token in the link is the credential and
  // names the member; the handler withdraws only recommendation_emails, in the consent history and audit log.
  'GET /v1/unsubscribe': { auth: 'none', data: 'public', purpose: 'self_service', action: 'change', subject: 'none' },
  'POST /v1/unsubscribe': { auth: 'none', data: 'public', purpose: 'self_service', action: 'change', subject: 'none' },

  'GET /v1/audit/verify': { auth: 'token', data: 'audit_chain', purpose: 'configuration', action: 'read', subject: 'none' },
});

export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}
