// Public facts of a year with differential privacy: counts of profiles only, each number with
// its epsilon, delta and method. Any signed-in account may read released facts (the policy's
// `released_facts`), but asking a new question spends the yearly budget, so only analysts and
// admins may ask (the handler checks the role the hook signed in). The same question gives the
// same answer and spends nothing again; over the yearly budget the answer is 409
// BINGE_DP_BUDGET_EXCEEDED. Asking spends budget, so the route refreshes all dirty views first
// (a release must describe the data as it is).

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { refreshViews } from '../../history/refresh-views.js';
import { latestYearWithViews, publicFactsLedger, releasePublicFacts } from '../../insights/from-store.js';
import { BingeError } from '../../errors.js';
import { DP_METHODS } from '../../privacy/release/mechanism.js';
import type { InsightsStore } from '../../store/insights-port.js';
import { accessOf } from '../auth.js';
import type { RoutePolicy } from '../../privacy/routes.js';
import type { ServerContext } from '../context.js';
import { ErrorBodySchema } from '../errors.js';

const FactsQuery = z
  .object({
    year: z.coerce.number().int().min(1970).max(9999).optional().describe('calendar year (default: the latest with viewing)'),
    epsilon: z.coerce.number().min(1e-9).max(10).default(0.5).describe('privacy loss of this release'),
    delta: z.coerce.number().gt(0).lt(1).default(1e-6),
    method: z.enum(DP_METHODS).default('discrete-laplace'),
  })
  .strict();

const Released = { epsilon: z.number(), delta: z.number(), method: z.enum(DP_METHODS) };
const FactsSchema = z.object({
  dataset: z.string(),
  year: z.number().int(),
  questionId: z.string().describe('same question, same id, same answer'),
  ...Released,
  maxFacts: z.number().int(),
  kMin: z.number().int(),
  threshold: z.number().describe('noisy count a group outside the public catalogue needs to be released'),
  noiseParameter: z.number().describe('discrete Laplace scale or Gaussian variance'),
  charged: z.boolean().describe('false when this question was asked before (nothing spent)'),
  budget: z.object({ epsilon: z.number(), spent: z.number(), remaining: z.number() }),
  facts: z.array(
    z.object({
      key: z.string(),
      group: z.record(z.string(), z.union([z.string(), z.number()])).describe('what the count is of'),
      name: z.string().optional().describe("the catalogue's name of the title or series the count is about (public data)"),
      value: z.number().int().describe('noisy count of profiles'),
      ...Released,
    }),
  ),
});

const RELEASED_FACTS: RoutePolicy = { auth: 'token', data: 'released_facts', purpose: 'released_facts', action: 'read', subject: 'none' };
const MAY_SPEND_BUDGET = ['analyst', 'admin'];

export function factsRoutes(app: FastifyInstance, context: ServerContext, insights: InsightsStore): void {
  const { store, catalogue, config, now } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/v1/facts',
    {
      config: { privacy: RELEASED_FACTS },
      schema: {
        summary: 'Public facts of a year with differential privacy',
        tags: ['insights'],
        security: [{ bearer: [] }],
        querystring: FactsQuery,
        response: { 200: FactsSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema },
      },
    },
    async (request) => {
      const { asker } = accessOf(request);
      if (!MAY_SPEND_BUDGET.includes(asker.role)) {
        throw new BingeError('BINGE_FORBIDDEN', `a ${asker.role} account cannot ask for a release (it spends the privacy budget); it needs an analyst or admin account`);
      }
      await refreshViews(store, catalogue, config.definitions);
      const year = request.query.year ?? (await latestYearWithViews(insights));
      if (year === undefined) throw new BingeError('BINGE_NOT_FOUND', 'no viewing stored yet, so there are no facts to release');
      const { epsilon, delta, method } = request.query;
      const publicFactsProfiles = (nowMs: number) => context.privacy!.store.profilesConsenting('public_facts', nowMs);
      return releasePublicFacts({ store, insights, catalogue, defs: config.definitions, now, publicFactsProfiles }, { year, epsilon, delta, method });
    },
  );

  // What the yearly budget holds before anyone asks: the analyst page shows it, and says what a
  // question would spend, before the analyst confirms (DECISIONS.md, 39). Reading it spends nothing.
  typed.get(
    '/v1/facts/ledger',
    {
      config: { privacy: RELEASED_FACTS },
      schema: {
        summary: 'The privacy budget of the public facts of a year: spent, left, and every question charged (spends nothing)',
        tags: ['insights'],
        security: [{ bearer: [] }],
        querystring: z.object({ year: FactsQuery.shape.year }).strict(),
        response: {
          200: z.object({
            dataset: z.string(),
            year: z.number().int(),
            budget: z.object({ epsilon: z.number(), spent: z.number(), remaining: z.number() }),
            charges: z.array(z.object({ questionId: z.string(), epsilon: z.number(), delta: z.number(), method: z.enum(DP_METHODS), at: z.string() })),
          }),
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          403: ErrorBodySchema,
          404: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      accessOf(request);
      // The default year is the latest with viewing, as GET /v1/facts picks it: from views as they are.
      if (request.query.year === undefined) await refreshViews(store, catalogue, config.definitions);
      const year = request.query.year ?? (await latestYearWithViews(insights));
      if (year === undefined) throw new BingeError('BINGE_NOT_FOUND', 'no viewing stored yet, so there is no year to show the budget of');
      const ledger = await publicFactsLedger({ insights, now }, year);
      return { ...ledger, charges: ledger.charges.map(({ atMs, ...c }) => ({ ...c, at: new Date(atMs).toISOString() })) };
    },
  );
}
