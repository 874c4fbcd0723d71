// Signing up and signing in. Members sign up here (e-mail, password, country, first profile);
// staff accounts are made with `binge users create`. Both are rate-limited per client address;
// a wrong e-mail and a wrong password get the same answer in the same time.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BingeError } from '../../errors.js';
import { normaliseEmail } from '../../privacy/accounts.js';
import { CONSENT_DEFAULTS } from '../../privacy/consent.js';
import { checkPassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../privacy/passwords.js';
import type { PrivacyServices } from '../../privacy/services.js';
import { SIGN_IN_MAX_S } from '../../privacy/tokens.js';
import { accessOf, bearerToken } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ErrorBodySchema } from '../errors.js';

export const SMALL_BODY_BYTES = 16 * 1024;

const Email = z.string().trim().max(254).pipe(z.email('an e-mail address such as ana@example.org'));
const Password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH);

export function memberRoutes(app: FastifyInstance, context: ServerContext, privacy: PrivacyServices): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const rateLimit = { max: privacy.options.signInPerMinute, timeWindow: 60_000 };

  typed.post(
    '/v1/members',
    {
      bodyLimit: SMALL_BODY_BYTES,
      config: { rateLimit },
      schema: {
        summary: 'Sign up as a member: an account, and a first profile',
        tags: ['members'],
        body: z
          .object({
            email: Email,
            password: Password,
            country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as MX'),
            profileName: z.string().trim().min(1).max(40).default('Main'),
          })
          .strict(),
        response: {
          201: z.object({ memberId: z.string(), profileId: z.string(), consents: z.record(z.string(), z.boolean()) }),
          400: ErrorBodySchema,
          409: ErrorBodySchema,
          429: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { email, password, country, profileName } = request.body;
      const nowMs = context.now();
      const memberId = randomUUID();
      const profileId = randomUUID();
      const outcome = await privacy.store.createMemberAccount({
        member: { memberId, country, createdAtMs: nowMs },
        account: { accountId: memberId, email: normaliseEmail(email), passwordHash: await hashPassword(password), role: 'member', createdAtMs: nowMs },
        profile: { profileId, memberId, name: profileName },
      });
      if (outcome === 'email_taken') throw new BingeError('BINGE_EMAIL_TAKEN', 'an account with this e-mail address exists; sign in with POST /v1/sessions');
      return reply.code(201).send({ memberId, profileId, consents: { ...CONSENT_DEFAULTS } });
    },
  );

  typed.post(
    '/v1/sessions',
    {
      bodyLimit: SMALL_BODY_BYTES,
      config: { rateLimit },
      schema: {
        summary: 'Sign in: a short-lived token for "Authorization: Bearer <token>"',
        tags: ['members'],
        body: z.object({ email: z.string().max(254), password: z.string().max(MAX_PASSWORD_LENGTH) }).strict(),
        response: {
          200: z.object({ token: z.string(), expiresAt: z.string(), accountId: z.string(), role: z.string() }),
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          429: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      const account = await privacy.store.accountByEmail(normaliseEmail(request.body.email));
      if (!(await checkPassword(account?.passwordHash, request.body.password)) || !account) {
        throw new BingeError('BINGE_UNAUTHORIZED', 'the e-mail address or the password is wrong');
      }
      const { token, expiresAtMs } = await privacy.tokens.issue(account.accountId);
      return { token, expiresAt: new Date(expiresAtMs).toISOString(), accountId: account.accountId, role: account.role };
    },
  );

  // A token lasts 15 minutes; an open page renews it before then, for up to SIGN_IN_MAX_S after
  // the password was given. The hook has signed the caller in (an erased account or a changed
  // role shows at once, as on every request); the new token keeps the sign-in's time.
  typed.post(
    '/v1/sessions/renew',
    {
      // Not rate-limited as the password routes are: nothing here can be guessed (a token is signed).
      bodyLimit: SMALL_BODY_BYTES,
      schema: {
        summary: `Renew a sign-in: a new token from one still valid, for the same sign-in (which lasts at most ${SIGN_IN_MAX_S / 3600} hours)`,
        tags: ['members'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({ token: z.string(), expiresAt: z.string(), signInEndsAt: z.string(), accountId: z.string(), role: z.string() }),
          401: ErrorBodySchema,
          403: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      const account = accessOf(request).account;
      const token = bearerToken(request);
      const renewed = account && token ? await privacy.tokens.renew(token) : undefined;
      if (!account || !renewed) {
        throw new BingeError('BINGE_UNAUTHORIZED', `this sign-in is ${SIGN_IN_MAX_S / 3600} hours old or its token has expired; sign in again with POST /v1/sessions`);
      }
      return {
        token: renewed.token,
        expiresAt: new Date(renewed.expiresAtMs).toISOString(),
        signInEndsAt: new Date(renewed.signInEndsAtMs).toISOString(),
        accountId: account.accountId,
        role: account.role,
      };
    },
  );

  // Signing out: the token presented is refused from now on (and after a restart, until it would
  // have expired), whatever copy of it is left in a page or a log. Other tokens of the same person
  // (another tab, a renewed one) are theirs to sign out, or `?everywhere=true` signs out every
  // token of the account issued so far (a lost phone, a shared computer left signed in).
  typed.delete(
    '/v1/sessions',
    {
      schema: {
        summary: 'Sign out: the token sent is refused from now on; with everywhere=true, every token of the account issued so far',
        tags: ['members'],
        security: [{ bearer: [] }],
        querystring: z.object({ everywhere: z.enum(['true', 'false']).optional() }).strict(),
        response: { 200: z.object({ signedOut: z.literal(true), everywhere: z.boolean() }), 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => {
      // The hook has checked the token; it can only have ended since through a sign-out racing this one.
      const token = bearerToken(request);
      const everywhere = request.query.everywhere === 'true';
      const signedOut = token ? await (everywhere ? privacy.tokens.revokeEverywhere(token) : privacy.tokens.revoke(token)) : false;
      if (!signedOut) throw new BingeError('BINGE_UNAUTHORIZED', 'this token has expired or is already signed out; there is nothing to sign out');
      return { signedOut: true as const, everywhere };
    },
  );
}
