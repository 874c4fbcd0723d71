// The headers every answer carries (set by app.ts's onRequest hook, and by the rows fast path,
// which answers in front of Fastify: server/fast-rows.ts), in the order they are sent.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'self'",
});
