// Cross-origin calls from browsers (CORS), for a player or a site that another host serves: the
// player SDK in a page on https://player.example.com posting events with the member's token, or
// a service's own front end asking for rows. Only the origins the configuration names
// (BINGE_CORS_ORIGINS) get the Access-Control-* headers; with none configured (the default) the
// plugin is not registered and only pages binge serves itself can call the API from a browser.
//
// @fastify/cors answers the preflights (OPTIONS, declared public in privacy/routes.ts: they carry
// no data and change nothing) and adds the headers to Fastify's answers. The rows fast path
// (fast-rows.ts) hands every request with an Origin header to Fastify when CORS is on, so a
// cross-origin answer always carries the headers. Tokens travel in the Authorization header,
// never in cookies: credentials mode is off, so a page on an allowed origin still needs the
// member's token, and one on any other origin cannot read an answer.

import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** The methods the routes use, the request headers a client sends, and the answer headers its code may read. */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;
export const CORS_REQUEST_HEADERS = ['authorization', 'content-type'] as const;
/** Retry-After: the SDK waits as the server asks (a 429 or 503); x-request-id: to quote in a support ticket. */
export const CORS_EXPOSED_HEADERS = ['retry-after', 'x-request-id'] as const;
/** How long a browser may reuse a preflight's answer, in seconds. */
export const CORS_MAX_AGE_S = 600;

export async function corsRoutes(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await app.register(cors, {
    // Exact matches only: no patterns, no reflection of whatever Origin a request names.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: [...CORS_METHODS],
    allowedHeaders: [...CORS_REQUEST_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    credentials: false,
    maxAge: CORS_MAX_AGE_S,
    strictPreflight: true,
    hideOptionsRoute: true,
  });
}
