// A profile's year in review: personal and exact, for the member who owns the profile (the
// privacy hook of server/auth.ts asks the policy with the declaration below before the handler
// runs; someone else's profile answers 404 like a missing one). Compared with the latest public
// release of the year when one exists.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RoutePolicy } from '../../privacy/routes.js';
import { freshYearInReviewOf } from '../../insights/from-store.js';
import type { InsightsStore } from '../../store/insights-port.js';
import { accessOf } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ErrorBodySchema } from '../errors.js';

export const YearQuery = z.object({ year: z.coerce.number().int().min(1970).max(9999).describe('calendar year') }).strict();

const Named = { name: z.string() };
/** The answer's schema; Fastify's zod serializer checks and writes each answer with it (the insights bench does the same). */
export const YearInReviewSchema = z.object({
  profileId: z.string(),
  year: z.number().int(),
  minutesWatched: z.number(),
  topSeries: z.array(z.object({ seriesId: z.string(), ...Named, minutes: z.number() })),
  topFilms: z.array(z.object({ titleId: z.string(), ...Named, minutes: z.number() })),
  longestStreak: z.object({ scope: z.enum(['title', 'series']), id: z.string(), ...Named, days: z.number(), fromDay: z.string(), toDay: z.string() }).nullable(),
  biggestBinge: z.object({ seriesId: z.string(), ...Named, episodes: z.number(), day: z.string(), startMs: z.number(), endMs: z.number() }).nullable(),
  favouriteHour: z.number().int().nullable().describe('local hour 0-23 with the most viewing'),
  favouriteWeekday: z.string().nullable(),
  firsts: z.object({
    firstTitle: z.object({ titleId: z.string(), ...Named, day: z.string() }).nullable(),
    newSeries: z.array(z.object({ seriesId: z.string(), ...Named, firstDay: z.string() })),
  }),
  rewatches: z.object({ count: z.number(), top: z.array(z.object({ titleId: z.string(), ...Named, count: z.number() })) }),
  genres: z.array(z.object({ genre: z.string(), minutes: z.number() })),
  racer: z.array(z.object({ seriesId: z.string(), season: z.union([z.number(), z.string()]) })),
  comparisons: z
    .array(
      z.union([
        z.object({ kind: z.literal('racer'), seriesId: z.string(), season: z.union([z.number(), z.string()]), about: z.number() }),
        z.object({ kind: z.literal('streak'), scope: z.enum(['title', 'series']), id: z.string(), days: z.number(), about: z.number() }),
      ]),
    )
    .describe('"you were one of about N": noisy counts from the latest public release of the year'),
  comparedWith: z
    .object({ questionId: z.string(), epsilon: z.number(), delta: z.number(), method: z.string() })
    .nullable()
    .describe('the public release the comparisons come from, with its guarantee'),
});

/** Viewing history of one profile, read by its member. */
const OWN_PROFILE_HISTORY: RoutePolicy = { auth: 'token', data: 'history', purpose: 'self_service', action: 'read', subject: { from: 'params', field: 'id', kind: 'profile' } };

export function insightsRoutes(app: FastifyInstance, context: ServerContext, insights: InsightsStore): void {
  const { store, catalogue, config, now } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/v1/profiles/:id/year-in-review',
    {
      config: { privacy: OWN_PROFILE_HISTORY },
      schema: {
        summary: "A profile's year in review (personal, exact)",
        tags: ['insights'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().min(1).max(128) }),
        querystring: YearQuery,
        response: { 200: YearInReviewSchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      accessOf(request); // the hook allowed this profile for this member, so it exists
      const { id } = request.params;
      const publicFactsProfiles = (nowMs: number) => context.privacy!.store.profilesConsenting('public_facts', nowMs);
      return freshYearInReviewOf({ store, insights, catalogue, defs: config.definitions, now, publicFactsProfiles }, id, request.query.year);
    },
  );
}
