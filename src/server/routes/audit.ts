// Verifying the audit log's hash chain over HTTP (admin; `binge audit verify` does the same
// offline). The answer holds sequence numbers and a problem, never entries.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyChain } from '../../privacy/audit.js';
import type { PrivacyServices } from '../../privacy/services.js';
import { accessOf } from '../auth.js';
import { ErrorBodySchema } from '../errors.js';

export function auditRoutes(app: FastifyInstance, privacy: PrivacyServices): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/audit/verify',
    {
      schema: {
        summary: "Check the audit log's hash chain",
        tags: ['operations'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({ ok: z.boolean(), entries: z.number().int(), firstBad: z.number().int().optional(), problem: z.string().optional() }),
          401: ErrorBodySchema,
          403: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      accessOf(request);
      return verifyChain(await privacy.store.auditEntries(), await privacy.store.auditHead());
    },
  );
}
