// A profile's history, continue watching, and hiding a view. The member who owns the profile
// reads it with their token; the privacy hook (server/auth.ts, privacy/routes.ts) has asked the
// policy before a handler runs, and a profile of someone else answers 404 like a missing one.
// Keys (ingest, admin) cannot read viewing data.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TITLE_KINDS } from '../../domain/model.js';
import { BingeError } from '../../errors.js';
import { continueWatching } from '../../history/continue-watching.js';
import { refreshViews } from '../../history/refresh-views.js';
import type { ServerContext } from '../context.js';
import { accessOf } from '../auth.js';
import { ErrorBodySchema } from '../errors.js';

const ProfileParams = z.object({ id: z.string().min(1).max(128) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local day as YYYY-MM-DD');

const ViewSchema = z.object({
  viewId: z.string(),
  titleId: z.string(),
  title: z.string().nullable().describe('the title name, when the catalogue knows it'),
  kind: z.enum(TITLE_KINDS),
  startedAt: z.string(),
  endedAt: z.string(),
  day: z.string().describe('local day of the start'),
  watchedS: z.number(),
  bookmarkS: z.number(),
  completed: z.boolean(),
  rewatch: z.boolean(),
  autoplayed: z.boolean(),
  days: z.array(z.object({ day: z.string(), watchedS: z.number() })),
});

const ContinueSchema = z.object({
  reason: z.enum(['resume', 'next_episode']),
  titleId: z.string(),
  title: z.string(),
  positionS: z.number(),
  label: z.string().describe('e.g. "minute 34 of episode 8"'),
  seriesName: z.string().optional(),
  season: z.union([z.number(), z.string()]).optional(),
  episode: z.number().optional(),
  lastWatchedAt: z.string(),
});

export function historyRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, catalogue, config, now } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  /** The policy allowed this profile (so it exists); its views are brought up to date before reading. */
  async function freshProfile(profileId: string): Promise<void> {
    await refreshViews(store, catalogue, config.definitions, { profileIds: [profileId] });
  }

  typed.get(
    '/v1/profiles/:id/history',
    {
      schema: {
        summary: "A profile's viewing history, newest first",
        tags: ['history'],
        security: [{ bearer: [] }],
        params: ProfileParams,
        querystring: z
          .object({
            from: Day.optional(),
            to: Day.optional(),
            kind: z.enum(TITLE_KINDS).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          })
          .strict(),
        response: { 200: z.object({ views: z.array(ViewSchema), next: z.number().int().nullable() }), 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      accessOf(request);
      const { id } = request.params;
      const { from, to, kind, limit, offset } = request.query;
      await freshProfile(id);
      const views = await store.views(id, { fromDay: from, toDay: to, kind, limit: limit + 1, offset });
      return {
        views: views.slice(0, limit).map((v) => ({
          viewId: v.viewId,
          titleId: v.titleId,
          title: catalogue.titleOf(v.titleId)?.name ?? null,
          kind: v.kind,
          startedAt: new Date(v.startMs).toISOString(),
          endedAt: new Date(v.endMs).toISOString(),
          day: v.day,
          watchedS: v.watchedS,
          bookmarkS: v.bookmarkS,
          completed: v.completed,
          rewatch: v.rewatch,
          autoplayed: v.autoplayed,
          days: v.days,
        })),
        next: views.length > limit ? offset + limit : null,
      };
    },
  );

  typed.get(
    '/v1/profiles/:id/continue-watching',
    {
      schema: {
        summary: 'Where to pick up: bookmarks of unfinished views and the next episode after a finished one',
        tags: ['history'],
        security: [{ bearer: [] }],
        params: ProfileParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
        response: { 200: z.object({ items: z.array(ContinueSchema) }), 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      accessOf(request);
      const { id } = request.params;
      await freshProfile(id);
      const views = (await store.allViews(id)).filter((v) => !v.hidden);
      const items = continueWatching(views, catalogue.titleOf, catalogue.episodesOfSeries, now(), request.query.limit);
      return {
        items: items.map((item) => ({
          reason: item.reason,
          titleId: item.titleId,
          title: item.title.name,
          positionS: item.positionS,
          label: bookmarkLabel(item.reason, item.positionS, item.episode, item.season),
          seriesName: item.seriesName,
          season: item.season,
          episode: item.episode,
          lastWatchedAt: new Date(item.lastWatchedMs).toISOString(),
        })),
      };
    },
  );

  typed.post(
    '/v1/profiles/:id/history/:viewId/hide',
    {
      schema: {
        summary: 'Hide a view: it leaves history, continue watching and recommendations',
        tags: ['history'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().min(1).max(128), viewId: z.string().min(1).max(64) }),
        response: { 200: z.object({ hidden: z.literal(true), viewId: z.string() }), 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      accessOf(request);
      const { id, viewId } = request.params;
      await freshProfile(id);
      if (!(await store.hideView(id, viewId))) {
        throw new BingeError('BINGE_NOT_FOUND', `profile ${id} has no view ${viewId}; list its views with GET /v1/profiles/${id}/history`);
      }
      return { hidden: true as const, viewId };
    },
  );
}

/** "minute 34 of episode 8" */
export function bookmarkLabel(reason: 'resume' | 'next_episode', positionS: number, episode?: number, season?: number | string): string {
  const where = episode !== undefined ? `episode ${episode}${season !== undefined ? ` of season ${season}` : ''}` : 'the film';
  if (reason === 'next_episode') return `start ${where}`;
  return `minute ${Math.floor(positionS / 60)} of ${where}`;
}
