// The headers every answer carries (set by app.ts's onRequest hook, and by the rows fast path,
// which answers in front of Fastify: server/fast-rows.ts), in the order they are sent.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'self'",
});

/** The longest path parameter the router takes: ids are at most 128 characters, each up to 3 when URL-encoded. */
export const MAX_PARAM_LENGTH = 3 * 128;
