// Support look-ups. A support account opens a grant on one member with a ticket number and a
// reason; it names the data it covers and expires (8 h by default). Reads go through the privacy
// hook like every other route: the policy allows them only under a live grant covering that
// data, and every read is written to the audit log with the ticket. Without a grant support
// gets 404, the same as for a member who does not exist.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BingeError } from '../../errors.js';
import { refreshViews } from '../../history/refresh-views.js';
import { GRANTABLE_DATA } from '../../privacy/policy.js';
import type { PrivacyServices } from '../../privacy/services.js';
import { accessOf } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ErrorBodySchema } from '../errors.js';
import { SMALL_BODY_BYTES } from './members.js';

const errors = { 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };
const MemberParams = z.object({ memberId: z.string().min(1).max(128) });

export function supportRoutes(app: FastifyInstance, context: ServerContext, privacy: PrivacyServices): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { store, now, catalogue } = context;
  const maxHours = privacy.options.grantHours;

  typed.post(
    '/v1/support/grants',
    {
      bodyLimit: SMALL_BODY_BYTES,
      schema: {
        summary: 'Open a grant on one member for a ticket: named data, limited time, every read logged',
        tags: ['support'],
        security: [{ bearer: [] }],
        body: z
          .object({
            memberId: z.string().min(1).max(128),
            ticket: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'a ticket number such as SUP-1234'),
            reason: z.string().trim().min(10, 'say why, in at least 10 characters').max(500),
            data: z.array(z.enum(GRANTABLE_DATA)).min(1).max(GRANTABLE_DATA.length),
            hours: z.number().positive().max(maxHours).optional(),
          })
          .strict(),
        response: { 201: z.object({ grantId: z.string(), memberId: z.string(), ticket: z.string(), data: z.array(z.string()), expiresAt: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const { asker, subjectMemberId } = accessOf(request);
      const { memberId, ticket, reason, data, hours } = request.body;
      if (!subjectMemberId) throw new BingeError('BINGE_NOT_FOUND', `no member ${memberId}; check the id`);
      const openedAtMs = now();
      const grant = {
        grantId: randomUUID(),
        supportId: asker.id,
        memberId: subjectMemberId,
        ticket,
        reason,
        data: [...new Set(data)],
        openedAtMs,
        expiresAtMs: openedAtMs + (hours ?? maxHours) * 3_600_000,
        closedAtMs: null,
      };
      await privacy.store.openGrant(grant);
      return reply.code(201).send({ grantId: grant.grantId, memberId, ticket, data: grant.data, expiresAt: new Date(grant.expiresAtMs).toISOString() });
    },
  );

  // The page of a support agent lists the grants it works under; the grant's reason and ticket
  // are the agent's own words, and no member data comes with them (DECISIONS.md, 39).
  typed.get(
    '/v1/support/grants',
    {
      schema: {
        summary: 'The open grants of the signed-in support account (not closed, not expired), oldest first',
        tags: ['support'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            grants: z.array(
              z.object({ grantId: z.string(), memberId: z.string(), ticket: z.string(), reason: z.string(), data: z.array(z.string()), openedAt: z.string(), expiresAt: z.string() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { asker } = accessOf(request);
      const grants = await privacy.store.openGrantsOf(asker.id, now());
      return {
        grants: grants.map((g) => ({
          grantId: g.grantId,
          memberId: g.memberId,
          ticket: g.ticket,
          reason: g.reason,
          data: [...g.data],
          openedAt: new Date(g.openedAtMs).toISOString(),
          expiresAt: new Date(g.expiresAtMs).toISOString(),
        })),
      };
    },
  );

  typed.delete(
    '/v1/support/grants/:grantId',
    {
      schema: {
        summary: 'Close a grant before it expires',
        tags: ['support'],
        security: [{ bearer: [] }],
        params: z.object({ grantId: z.string().min(1).max(64) }),
        response: { 200: z.object({ closed: z.literal(true) }), ...errors },
      },
    },
    async (request) => {
      const { asker } = accessOf(request);
      if (!(await privacy.store.closeGrant(request.params.grantId, asker.id, now()))) {
        throw new BingeError('BINGE_NOT_FOUND', `no open grant ${request.params.grantId} of yours`);
      }
      return { closed: true as const };
    },
  );

  const schema = (summary: string, item: z.ZodType) => ({
    summary,
    tags: ['support'],
    security: [{ bearer: [] }],
    params: MemberParams,
    response: { 200: z.object({ ticket: z.string(), items: z.array(item) }), ...errors },
  });
  const ticketOf = (request: Parameters<typeof accessOf>[0]): string => accessOf(request).decision.ticket ?? '';
  const subjectOf = (request: Parameters<typeof accessOf>[0]): string => accessOf(request).subjectMemberId!;

  typed.get(
    '/v1/support/members/:memberId/history',
    {
      schema: schema(
        "The member's views, newest first (under a grant covering history)",
        z.object({ profileId: z.string(), viewId: z.string(), titleId: z.string(), title: z.string().nullable(), startedAt: z.string(), watchedS: z.number(), completed: z.boolean() }),
      ),
    },
    async (request) => {
      const profiles = await privacy.store.profilesOf(subjectOf(request));
      const profileIds = profiles.map((p) => p.profileId);
      if (profileIds.length > 0) await refreshViews(store, catalogue, context.config.definitions, { profileIds });
      const views = (await Promise.all(profileIds.map((id) => store.views(id, { limit: 200, offset: 0, includeHidden: false })))).flat();
      views.sort((a, b) => b.startMs - a.startMs);
      return {
        ticket: ticketOf(request),
        items: views.map((v) => ({
          profileId: v.profileId,
          viewId: v.viewId,
          titleId: v.titleId,
          title: catalogue.titleOf(v.titleId)?.name ?? null,
          startedAt: new Date(v.startMs).toISOString(),
          watchedS: v.watchedS,
          completed: v.completed,
        })),
      };
    },
  );

  typed.get(
    '/v1/support/members/:memberId/devices',
    { schema: schema("The member's devices (under a grant covering devices)", z.object({ deviceId: z.string(), kind: z.string().nullable(), lastSeenAt: z.string().nullable() })) },
    async (request) => ({
      ticket: ticketOf(request),
      items: (await privacy.store.devicesOf(subjectOf(request))).map((d) => ({
        deviceId: d.deviceId,
        kind: d.kind,
        lastSeenAt: d.lastSeenMs === null ? null : new Date(d.lastSeenMs).toISOString(),
      })),
    }),
  );

  typed.get(
    '/v1/support/members/:memberId/searches',
    { schema: schema("The member's searches, newest first (under a grant covering searches)", z.object({ profileId: z.string(), query: z.string(), at: z.string() })) },
    async (request) => ({
      ticket: ticketOf(request),
      items: (await privacy.store.searchesOf(subjectOf(request))).map((s) => ({ profileId: s.profileId, query: s.query, at: new Date(s.atMs).toISOString() })),
    }),
  );

  typed.get(
    '/v1/support/members/:memberId/profiles',
    { schema: schema("The member's profiles (under a grant covering profiles)", z.object({ profileId: z.string(), name: z.string() })) },
    async (request) => ({
      ticket: ticketOf(request),
      items: (await privacy.store.profilesOf(subjectOf(request))).map((p) => ({ profileId: p.profileId, name: p.name })),
    }),
  );
}
