// POST /v1/events: a batch of playback events as a JSON array or NDJSON. Each event is checked
// on its own: valid events are kept even when others are rejected; duplicates by eventId are
// dropped; the answer comes after the ingest log is synced, so every accepted or duplicate event is
// durable (the store loads it shortly after: docs/DECISIONS.md, 11).

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BingeError, type ErrorCode } from '../../errors.js';
import { checkEvent, WireEventSchema } from '../../ingest/event-schema.js';
import { loadableAsSent } from '../../ingest/log-records.js';
import { parseJsonBody, rawBodies, UnparsedJson } from '../raw-bodies.js';
import { readCleanBatch } from '../../ingest/clean-batch.js';
import type { PlaybackEvent } from '../../domain/model.js';
import type { ServerContext } from '../context.js';
import { accessOf, requireIngestKeyOrMember } from '../auth.js';
import { ErrorBodySchema } from '../errors.js';

export const IngestAnswerSchema = z.object({
  accepted: z.number().int().describe('events stored by this request'),
  duplicates: z.number().int().describe('events whose eventId was already stored (safe to forget)'),
  duplicateIndexes: z.array(z.number().int()),
  rejected: z.array(
    z.object({
      index: z.number().int().describe('position in the batch, from 0'),
      code: z.string(),
      message: z.string().describe('what is wrong and how to fix it'),
    }),
  ),
});

export function eventRoutes(app: FastifyInstance, context: ServerContext): void {
  const { config, writer, keys, now, cleanBatches } = context;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: 'POST',
    url: '/v1/events',
    schema: {
      summary: 'Send a batch of playback events',
      description: `A JSON array (application/json) or NDJSON (application/x-ndjson) of at most ${config.maxBatchEvents} events and ${config.maxBodyBytes} bytes. Retry on 5xx and on network errors with the same eventIds; rejected events must not be retried unchanged. Send with an ingest key (server-side players) or a member's token (browser players: only events of the member's own profiles are taken, others are rejected with BINGE_EVENT_NOT_YOUR_PROFILE).`,
      tags: ['ingest'],
      security: [{ bearer: [] }],
      body: z.array(WireEventSchema),
      response: { 200: IngestAnswerSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 413: ErrorBodySchema, 503: ErrorBodySchema },
    },
    // Events are checked one by one below, so that one bad event does not sink the batch.
    validatorCompiler: () => (data) => ({ value: data }),
    // The key and the writer's back-pressure are checked before the body is read: a refused batch
    // costs no parsing, which is what lets an overloaded server catch up.
    onRequest: async (request) => {
      await requireIngestKeyOrMember(keys, context.privacy, request);
      const refusal = writer.refusal();
      if (refusal) throw refusal;
    },
    handler: async (request) => {
      const rules = { nowMs: now(), maxEventAgeDays: config.maxEventAgeDays, maxFutureS: config.maxFutureS };
      let batch = request.body as unknown;
      // A member's token (a browser player) may send only the member's own profiles' events.
      const { asker } = accessOf(request);
      const member = asker.role === 'member' ? asker.id : undefined;
      if (batch instanceof UnparsedJson && member === undefined) {
        // The common batch, every event valid, is read straight from its bytes and logged as sent;
        // any other body is parsed and checked event by event below (same answers, zod's words).
        // A worker thread reads it when the server has one (clean-batch-pool.ts): the same reading.
        const clean = cleanBatches ? await cleanBatches.read(batch.bytes, rules, config.maxBatchEvents) : readCleanBatch(batch.bytes, rules, config.maxBatchEvents);
        if (clean !== undefined) {
          const outcome = await writer.write(clean, { form: 'array', bytes: batch.bytes });
          return { accepted: outcome.accepted.length, duplicates: outcome.duplicates.length, duplicateIndexes: outcome.duplicates, rejected: [] };
        }
      }
      if (batch instanceof UnparsedJson) batch = parseJsonBody(batch.bytes);
      if (!Array.isArray(batch)) {
        throw new BingeError('BINGE_BAD_REQUEST', 'the body must be a JSON array of events (or NDJSON, one event per line)');
      }
      if (batch.length === 0) throw new BingeError('BINGE_EMPTY_BATCH', 'the batch is empty; send at least one event');
      if (batch.length > config.maxBatchEvents) {
        throw new BingeError('BINGE_BATCH_TOO_MANY_EVENTS', `the batch has ${batch.length} events; the limit is ${config.maxBatchEvents}: split it`);
      }
      const valid: PlaybackEvent[] = [];
      const validIndex: number[] = [];
      const rejected: { index: number; code: ErrorCode; message: string }[] = [];
      const owned = member === undefined ? undefined : await ownProfiles(context, member, batch);
      batch.forEach((input, index) => {
        const checked = checkEvent(input, rules);
        if (checked.ok && owned && !owned.has(checked.event.profileId)) {
          // The same words for another member's profile and for none at all: ids reveal nothing.
          rejected.push({ index, code: 'BINGE_EVENT_NOT_YOUR_PROFILE', message: `profileId ${checked.event.profileId} is not one of your profiles: a member's token sends only that member's profiles' events` });
        } else if (checked.ok) {
          valid.push(checked.event);
          validIndex.push(index);
        } else {
          rejected.push({ index, code: checked.code, message: checked.message });
        }
      });
      // Every event valid and the bytes unambiguous: the writer may log the body as it came.
      const raw = rejected.length === 0 ? rawBodies.get(batch) : undefined;
      const asSent = raw !== undefined && loadableAsSent(raw.bytes, batch) ? raw : undefined;
      const outcome = valid.length > 0 ? await writer.write(valid, asSent) : { accepted: [], duplicates: [] };
      return {
        accepted: outcome.accepted.length,
        duplicates: outcome.duplicates.length,
        duplicateIndexes: outcome.duplicates.map((i) => validIndex[i]),
        rejected,
      };
    },
  });
}

/**
 * The profiles of `memberId` among those the batch names, read from the store's in-memory
 * directory of profiles when it has one (the one the privacy decision reads), else one look-up
 * per named profile.
 */
async function ownProfiles(context: ServerContext, memberId: string, batch: unknown[]): Promise<Set<string>> {
  const named = new Set<string>();
  for (const e of batch) {
    const id = typeof e === 'object' && e !== null ? (e as { profileId?: unknown }).profileId : undefined;
    if (typeof id === 'string') named.add(id);
  }
  const directory = context.store.directoryNow?.();
  const owned = new Set<string>();
  for (const id of named) {
    const profile = directory ? directory.profile(id) : await context.store.profile(id);
    if (profile?.memberId === memberId) owned.add(id);
  }
  return owned;
}
