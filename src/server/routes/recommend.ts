// Recommendations over HTTP: a profile's rows, onboarding picks (recommendations at once, no
// retraining), the titles to pick from, and the one-click unsubscribe of digest e-mails. The
// privacy hook has asked the policy before a handler runs (privacy/routes.ts); consent to
// personalisation is checked by the service at the moment of each request (from the member's
// consent history, cached until a consent change is reported). Also starts the scheduled
// retrain when an interval is configured.

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BingeError } from '../../errors.js';
import { refreshViews } from '../../history/refresh-views.js';
import { recommendConfig, type RecommendConfig } from '../../recommend/config.js';
import { memberOfToken, unsubscribeSecret } from '../../recommend/digest/unsubscribe-token.js';
import { ROW_IDS } from '../../recommend/rows.js';
import { RetrainSchedule } from '../../recommend/schedule.js';
import { RecommendService, ROW_LIMIT } from '../../recommend/serving.js';
import { trainAndStore } from '../../recommend/training.js';
import { DuckDbStore } from '../../store/duckdb/adapter.js';
import { recommendStoreOf } from '../../store/duckdb/recommend.js';
import { accessOf } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ErrorBodySchema } from '../errors.js';

/** The recommendation service and retrain schedule of each app (tests and the serving bench read them). */
export const recommendOf = new WeakMap<FastifyInstance, { service: RecommendService; schedule: RetrainSchedule }>();

const ProfileParams = z.object({ id: z.string().min(1).max(128) });
const RowItemSchema = z.object({ itemId: z.string(), titleId: z.string(), name: z.string(), reason: z.string() });
const RowSchema = z.object({
  id: z.enum(ROW_IDS),
  title: z.string(),
  because: z.object({ itemId: z.string(), name: z.string() }).optional(),
  items: z.array(RowItemSchema),
});
/** The rows answer (exported: the tests check served bodies against it, as the route sends them pre-serialised). */
export const RowsAnswerSchema = z.object({ personal: z.boolean(), modelId: z.string().nullable(), rows: z.array(RowSchema) }).strict();
const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };

export async function recommendRoutes(app: FastifyInstance, context: ServerContext, config: RecommendConfig = recommendConfig()): Promise<void> {
  const { store, catalogue, now } = context;
  const privacy = context.privacy!;
  const recommend = recommendStoreOf(store);
  // The server is the store's only writer: its change reports keep the serving cache exact (DECISIONS.md, 9).
  const service = new RecommendService({
    store,
    recommend,
    privacy: privacy.store,
    catalogue,
    now,
    changes: store instanceof DuckDbStore ? store : undefined,
    refresh: async (profileIds) => {
      await refreshViews(store, catalogue, context.config.definitions, { profileIds: [...profileIds] });
    },
    modelCheckMs: config.modelCheckS * 1000,
  });
  const schedule = new RetrainSchedule({
    train: () => trainAndStore({ store: recommend, privacy: privacy.store, catalogue, now }, { kind: config.trainModel }),
    trained: (model) => service.use(model),
    intervalMs: config.trainIntervalMin * 60_000,
    logger: context.logger,
    erasure: { flagged: () => recommend.recomputeFlag(), hasModel: async () => (await recommend.latestModelId()) !== undefined },
  });
  recommendOf.set(app, { service, schedule });
  // An erasure retrains at once (a stored model may carry the member's influence), off the event loop as every training.
  const unsubscribe = store instanceof DuckDbStore ? store.onChange((change) => change.recompute && void schedule.recompute()) : undefined;
  schedule.start();
  app.addHook('onClose', async () => {
    unsubscribe?.();
    await schedule.stop();
    service.close();
  });
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/v1/profiles/:id/rows',
    {
      schema: {
        summary: "A profile's home rows (continue watching, because you watched X, top picks, popular in your country), each item with its reason",
        tags: ['recommend'],
        security: [{ bearer: [] }],
        params: ProfileParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(50).default(ROW_LIMIT) }).strict(),
        response: { 200: RowsAnswerSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const profileId = request.params.id;
      // Sent as rendered and kept by the service (the schema above documents it; recommend.test.ts checks answers against it).
      const body = await service.rowsBody({ profileId, memberId: access.subjectMemberId! }, request.query.limit);
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(body);
    },
  );

  typed.post(
    '/v1/profiles/:id/picks',
    {
      schema: {
        summary: 'Onboarding: three (up to ten) titles the profile likes; answers with recommendations from the current model at once',
        tags: ['recommend'],
        security: [{ bearer: [] }],
        params: ProfileParams,
        body: z.object({ titleIds: z.array(z.string().min(1).max(128)).min(3).max(10) }).strict(),
        response: { 200: z.object({ personal: z.boolean(), picks: z.array(z.string()), items: z.array(RowItemSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const titleIds = [...new Set(request.body.titleIds)];
      const unknown = titleIds.filter((t) => !service.items().itemOfTitle(t));
      if (unknown.length > 0) {
        throw new BingeError('BINGE_BAD_REQUEST', `body.titleIds: ${unknown.slice(0, 3).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a film or series episode of the catalogue; pick from GET /v1/onboarding/titles`);
      }
      const answer = await service.pick({ profileId: request.params.id, memberId: access.subjectMemberId! }, titleIds);
      return { personal: answer.personal, picks: titleIds, items: answer.items };
    },
  );

  typed.get(
    '/v1/onboarding/titles',
    {
      schema: {
        summary: 'Titles to pick from at sign-up: popular ones spread over genres, not only the most popular',
        tags: ['recommend'],
        querystring: z.object({ limit: z.coerce.number().int().min(3).max(60).default(24) }).strict(),
        response: {
          200: z.object({ titles: z.array(z.object({ itemId: z.string(), titleId: z.string(), name: z.string(), genres: z.array(z.string()) })) }),
          400: ErrorBodySchema,
        },
      },
    },
    async (request) => ({ titles: (await service.onboarding(request.query.limit)).map((t) => ({ ...t, genres: [...t.genres] })) }),
  );

  // One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" as a form to
  // the URL of the List-Unsubscribe header; people click the same URL (GET). The signed token is
  // the credential: it withdraws one consent of one member, recorded in the consent history.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const scoped = scope.withTypeProvider<ZodTypeProvider>();
    const schema = {
      summary: 'Stop recommendation e-mails (the link in every digest; one click, no sign-in)',
      tags: ['recommend'],
      querystring: z.object({ token: z.string().min(1).max(600) }).strict(),
      response: { 200: z.object({ unsubscribed: z.literal(true), purpose: z.literal('recommendation_emails') }), 400: ErrorBodySchema, 404: ErrorBodySchema },
    };
    const unsubscribe = async (token: string, what: string) => {
      const memberId = memberOfToken(await unsubscribeSecret(store), token);
      if (!(await store.member(memberId))) throw new BingeError('BINGE_NOT_FOUND', 'this unsubscribe link belongs to an account that no longer exists');
      const nowMs = now();
      if (await privacy.store.consentedAt(memberId, 'recommendation_emails', nowMs)) {
        await privacy.store.recordConsents(memberId, [{ purpose: 'recommendation_emails', granted: false }], nowMs);
        if (store instanceof DuckDbStore) store.changed({ memberIds: [memberId] });
      }
      await privacy.store.appendAudit({
        atMs: nowMs,
        asker: 'unsubscribe-link',
        role: 'anonymous',
        subject: await privacy.store.pseudonymOf(memberId),
        purpose: 'self_service',
        ticket: null,
        data: 'consents',
        what,
        outcome: 'allowed',
      });
      return { unsubscribed: true as const, purpose: 'recommendation_emails' as const };
    };
    scoped.get('/v1/unsubscribe', { schema }, async (request) => unsubscribe(request.query.token, 'GET /v1/unsubscribe'));
    scoped.post('/v1/unsubscribe', { schema: { ...schema, body: z.object({ 'List-Unsubscribe': z.literal('One-Click') }).optional() } }, async (request) =>
      unsubscribe(request.query.token, 'POST /v1/unsubscribe'),
    );
  });
}
