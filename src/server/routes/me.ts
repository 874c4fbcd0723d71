// The member's own corner: account and profiles, consents, the access log, export, erasure and
// wellbeing nudges. Every route here is declared `subject: 'me'` in privacy/routes.ts: the
// privacy hook has signed the member in and asked the policy before the handler runs.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_PROFILES } from '../../domain/model.js';
import { BingeError } from '../../errors.js';
import { refreshViews } from '../../history/refresh-views.js';
import { CONSENT_PURPOSES, consentsAt } from '../../privacy/consent.js';
import { eraseMember } from '../../privacy/erasure.js';
import { accessLogLines, collectExport, exportToCsv } from '../../privacy/export.js';
import { checkPassword, MAX_PASSWORD_LENGTH } from '../../privacy/passwords.js';
import type { PrivacyServices } from '../../privacy/services.js';
import { BEDTIME, wellbeingNudges } from '../../privacy/wellbeing.js';
import { accessOf } from '../auth.js';
import type { ServerContext } from '../context.js';
import { DuckDbStore } from '../../store/duckdb/adapter.js';
import { ErrorBodySchema } from '../errors.js';
import { SMALL_BODY_BYTES } from './members.js';

const errors = { 401: ErrorBodySchema, 403: ErrorBodySchema };
const Consents = z.object(Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, z.boolean()])) as Record<(typeof CONSENT_PURPOSES)[number], z.ZodBoolean>);

export function meRoutes(app: FastifyInstance, context: ServerContext, privacy: PrivacyServices): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { store, now } = context;
  /** Consents and erasure are written through the privacy store: report them so serving caches drop the member (DECISIONS.md, 9). */
  const memberChanged = (memberId: string) => {
    if (store instanceof DuckDbStore) store.changed({ memberIds: [memberId] });
  };

  /** The signed-in member's id (the policy allowed only a member here). */
  const memberOf = (request: FastifyRequest): string => {
    const { subjectMemberId } = accessOf(request);
    if (!subjectMemberId) throw new BingeError('BINGE_INTERNAL', 'a /v1/me route ran without its member');
    return subjectMemberId;
  };

  typed.get(
    '/v1/me',
    {
      schema: {
        summary: 'Your account and profiles',
        tags: ['me'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            memberId: z.string(),
            email: z.string(),
            country: z.string(),
            createdAt: z.string(),
            profiles: z.array(z.object({ profileId: z.string(), name: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const memberId = memberOf(request);
      const account = accessOf(request).account!;
      const member = await store.member(memberId);
      const profiles = await privacy.store.profilesOf(memberId);
      return {
        memberId,
        email: account.email,
        country: member?.country ?? '',
        createdAt: new Date(account.createdAtMs).toISOString(),
        profiles: profiles.map((p) => ({ profileId: p.profileId, name: p.name })),
      };
    },
  );

  typed.post(
    '/v1/me/profiles',
    {
      bodyLimit: SMALL_BODY_BYTES,
      schema: {
        summary: `Add a profile (at most ${MAX_PROFILES} per member)`,
        tags: ['me'],
        security: [{ bearer: [] }],
        body: z.object({ name: z.string().trim().min(1).max(40) }).strict(),
        response: { 201: z.object({ profileId: z.string(), name: z.string() }), 409: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const memberId = memberOf(request);
      const profile = { profileId: randomUUID(), memberId, name: request.body.name };
      if (!(await privacy.store.addProfile(profile, MAX_PROFILES))) {
        throw new BingeError('BINGE_TOO_MANY_PROFILES', `a member has at most ${MAX_PROFILES} profiles; remove one first`);
      }
      return reply.code(201).send({ profileId: profile.profileId, name: profile.name });
    },
  );

  const ConsentAnswer = z.object({
    consents: Consents,
    history: z.array(z.object({ purpose: z.enum(CONSENT_PURPOSES), granted: z.boolean(), at: z.string() })),
  });
  const consentAnswer = async (memberId: string) => {
    const history = await privacy.store.consentHistory(memberId);
    return {
      consents: consentsAt(history, now()),
      history: history.map((h) => ({ purpose: h.purpose, granted: h.granted, at: new Date(h.atMs).toISOString() })),
    };
  };

  typed.get(
    '/v1/me/consents',
    { schema: { summary: 'Your consent per purpose, and every change you made', tags: ['me'], security: [{ bearer: [] }], response: { 200: ConsentAnswer, ...errors } } },
    async (request) => consentAnswer(memberOf(request)),
  );

  typed.put(
    '/v1/me/consents',
    {
      bodyLimit: SMALL_BODY_BYTES,
      schema: {
        summary: 'Give or withdraw consent for some purposes; it applies from the next computation',
        tags: ['me'],
        security: [{ bearer: [] }],
        body: Consents.partial().strict(),
        response: { 200: ConsentAnswer, ...errors },
      },
    },
    async (request) => {
      const memberId = memberOf(request);
      const changes = CONSENT_PURPOSES.filter((p) => request.body[p] !== undefined).map((p) => ({ purpose: p, granted: request.body[p]! }));
      await privacy.store.recordConsents(memberId, changes, now());
      memberChanged(memberId);
      return consentAnswer(memberId);
    },
  );

  typed.get(
    '/v1/me/access-log',
    {
      schema: {
        summary: 'Who read or changed your data, when and why (entries of the audit log about you)',
        tags: ['me'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            entries: z.array(
              z.object({
                seq: z.number().int(),
                at: z.string(),
                who: z.string(),
                role: z.string(),
                purpose: z.string(),
                ticket: z.string().nullable(),
                data: z.string(),
                what: z.string(),
                outcome: z.string(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const pseudonym = await privacy.store.pseudonymOf(memberOf(request));
      return { entries: accessLogLines(await privacy.store.auditEntriesAbout(pseudonym), pseudonym) };
    },
  );

  typed.get(
    '/v1/me/export',
    {
      schema: {
        summary: 'Everything kept about you, as JSON or CSV (layout: src/privacy/README.md)',
        tags: ['me'],
        security: [{ bearer: [] }],
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }).strict(),
        response: { 200: z.any(), ...errors },
      },
    },
    async (request, reply) => {
      const memberId = memberOf(request);
      await freshViews(context, privacy, memberId);
      const data = await collectExport(privacy.store, memberId, now());
      const stamp = new Date(now()).toISOString().slice(0, 10);
      if (request.query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="binge-export-${stamp}.csv"`).send(exportToCsv(data));
      }
      return reply.type('application/json').header('content-disposition', `attachment; filename="binge-export-${stamp}.json"`).send(JSON.stringify(data));
    },
  );

  typed.delete(
    '/v1/me',
    {
      bodyLimit: SMALL_BODY_BYTES,
      schema: {
        summary: 'Erase your account and everything kept about you (send your password again)',
        tags: ['me'],
        security: [{ bearer: [] }],
        body: z.object({ password: z.string().max(MAX_PASSWORD_LENGTH) }).strict(),
        response: { 200: z.object({ erased: z.literal(true), removed: z.record(z.string(), z.number()) }), ...errors },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const memberId = memberOf(request);
      if (!(await checkPassword(access.account?.passwordHash, request.body.password))) {
        throw new BingeError('BINGE_UNAUTHORIZED', 'the password is wrong; erasure needs your current password');
      }
      if (!access.pendingAudit) throw new BingeError('BINGE_INTERNAL', 'erasure ran without its audit entry');
      const result = await eraseMember(privacy.store, memberId, access.pendingAudit, now());
      memberChanged(memberId);
      return { erased: true as const, removed: result.removed };
    },
  );

  const WellbeingAnswer = z.object({
    enabled: z.boolean().describe('your wellbeing_nudges consent; turn it on with PUT /v1/me/consents'),
    bedtime: z.string().nullable(),
    nudges: z.array(z.record(z.string(), z.unknown())),
  });

  typed.get(
    '/v1/me/wellbeing',
    {
      schema: {
        summary: 'Wellbeing nudges from your own viewing (only when you turned them on; only ever shown to you)',
        tags: ['me'],
        security: [{ bearer: [] }],
        response: { 200: WellbeingAnswer, ...errors },
      },
    },
    async (request) => {
      const memberId = memberOf(request);
      const nowMs = now();
      const settings = await privacy.store.wellbeingSettings(memberId);
      if (!(await privacy.store.consentedAt(memberId, 'wellbeing_nudges', nowMs))) return { enabled: false, bedtime: settings.bedtime, nudges: [] };
      const views = await freshViews(context, privacy, memberId);
      return { enabled: true, bedtime: settings.bedtime, nudges: wellbeingNudges(views, context.catalogue.titleOf, context.config.definitions, settings, nowMs) };
    },
  );

  typed.put(
    '/v1/me/wellbeing',
    {
      bodyLimit: SMALL_BODY_BYTES,
      schema: {
        summary: 'Choose a bedtime (local HH:MM) for the past-bedtime nudge, or null for none',
        tags: ['me'],
        security: [{ bearer: [] }],
        body: z.object({ bedtime: z.string().regex(BEDTIME, 'a local time as HH:MM').nullable() }).strict(),
        response: { 200: z.object({ bedtime: z.string().nullable() }), ...errors },
      },
    },
    async (request) => {
      await privacy.store.setWellbeingSettings(memberOf(request), { bedtime: request.body.bedtime }, now());
      return { bedtime: request.body.bedtime };
    },
  );
}

/** Brings the member's views up to date and returns them (every profile, oldest first). */
async function freshViews(context: ServerContext, privacy: PrivacyServices, memberId: string) {
  const profileIds = (await privacy.store.profilesOf(memberId)).map((p) => p.profileId);
  if (profileIds.length === 0) return [];
  await refreshViews(context.store, context.catalogue, context.config.definitions, { profileIds });
  return (await Promise.all(profileIds.map((id) => context.store.allViews(id)))).flat();
}
