import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerContext } from '../context.js';

export function healthRoutes(app: FastifyInstance, context: ServerContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/health',
    {
      schema: {
        summary: 'Liveness and writer back-log',
        tags: ['operations'],
        response: { 200: z.object({ ok: z.boolean(), engine: z.string(), backlog: z.number().int() }) },
      },
    },
    async () => ({ ok: true, engine: context.store.engine, backlog: context.writer.backlog }),
  );
}
