// The HTTP door: Fastify with zod schemas per route, an OpenAPI document generated from them,
// coded errors in one shape, request ids, and pino logs through a whitelist.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { BingeError } from '../errors.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { MAX_PARAM_LENGTH, SECURITY_HEADERS } from './headers.js';
import { parseJsonBody, rawBodies, UNPARSED_JSON_ROUTES, UnparsedJson } from './raw-bodies.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { insightsRoutes } from './routes/insights.js';
import { factsRoutes } from './routes/facts.js';
import { duckDbInsights } from '../store/duckdb/insights.js';
import { privacyServices } from '../privacy/services.js';
import { privacyStoreOf } from '../store/duckdb/privacy.js';
import { installPrivacyHook, type DeclaredRoute } from './auth.js';
import { auditRoutes } from './routes/audit.js';
import { memberRoutes } from './routes/members.js';
import { meRoutes } from './routes/me.js';
import { supportRoutes } from './routes/support.js';
import { recommendOf, recommendRoutes } from './routes/recommend.js';
import { corsRoutes } from './cors.js';
import { FastRows } from './fast-rows.js';
import { recommendConfig } from '../recommend/config.js';
import { webAppRoutes } from './web-app.js';

/** One log line per request, when it is answered (method, path, status, time), instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** Every route registered on an app, with its privacy declaration (the route-coverage test reads it). */
export const declaredRoutes = new WeakMap<FastifyInstance, DeclaredRoute[]>();
/** The rows fast path of each app (tests switch it off to compare both paths). */
export const fastRowsOf = new WeakMap<FastifyInstance, FastRows>();

export async function buildServer(context: ServerContext): Promise<FastifyInstance> {
  let fastRows: FastRows | undefined;
  const app = Fastify({
    // Fastify's documented serverFactory: the rows fast path (fast-rows.ts) sees each request
    // first and hands every one it does not answer to Fastify's handler unchanged.
    serverFactory: (fastify, fastifyOptions) => {
      const options = fastifyOptions as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
      const server = createServer((req: IncomingMessage, res: ServerResponse) => (fastRows ? fastRows.handle(req, res, fastify) : fastify(req, res)));
      // What Fastify sets on a server it makes itself (and skips for a factory's).
      server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
      server.requestTimeout = options.requestTimeout ?? 0;
      server.setTimeout(options.connectionTimeout ?? 0);
      return server;
    },
    loggerInstance: context.logger as FastifyBaseLogger,
    bodyLimit: context.config.maxBodyBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    logController: new OneLinePerRequest(),
    // An id is at most 128 characters (ingest/event-schema.ts); URL-encoded, up to three times that.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Answers Fastify makes before any hook runs (a path parameter past maxParamLength: 414; a
    // malformed URL: 400) get the headers and the error shape of every other answer.
    frameworkErrors: (error, request, reply) => {
      reply.headers({ 'x-request-id': String(request.id), ...SECURITY_HEADERS });
      const binge =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new BingeError('BINGE_URI_TOO_LONG', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters; ids are at most 128 characters and are sent URL-encoded`)
          : new BingeError('BINGE_BAD_REQUEST', `the URL is not valid (${error.message}); encode path parameters with encodeURIComponent`);
      sendError(binge, request, reply);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Bodies are read as bytes: a batch of events keeps them (rawBodies) so that the ingest log can
  // store them as sent (ingest/log-records.ts) instead of serialising the events again.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (UNPARSED_JSON_ROUTES.has(request.routeOptions.url ?? '')) {
      done(null, new UnparsedJson(body as Buffer));
      return;
    }
    let parsed: unknown;
    try {
      parsed = parseJsonBody(body as Buffer);
    } catch (error) {
      done(error as BingeError, undefined);
      return;
    }
    done(null, parsed);
  });
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'buffer' }, (_request, body, done) => {
    const events: unknown[] = [];
    const lines = (body as Buffer).toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      try {
        events.push(JSON.parse(line));
      } catch (error) {
        done(new BingeError('BINGE_BAD_JSON', `NDJSON line ${i + 1} is not valid JSON (${(error as Error).message}); one event per line`), undefined);
        return;
      }
    }
    rawBodies.set(events, { form: 'ndjson', bytes: body as Buffer });
    done(null, events);
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.headers({ 'x-request-id': String(request.id), ...SECURITY_HEADERS });
    done();
  });


  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(new BingeError('BINGE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; see GET /openapi.json`), request, reply),
  );

  // Every route with a schema, as "METHOD /path" in OpenAPI form (a test checks the document lists them).
  const bingeRoutes: string[] = [];
  app.decorate('bingeRoutes', bingeRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.schema || (route.schema as { hide?: boolean }).hide) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      bingeRoutes.push(`${method} ${route.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'binge', version: '0.1.0', description: 'Viewing-data platform: ingest, history, insights, recommendations, privacy.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  // Privacy: every route below is declared in privacy/routes.ts and passes the policy once.
  const privacy = (context.privacy ??= privacyServices(context.store, privacyStoreOf(context.store), context.now));
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, limit) =>
      new BingeError('BINGE_RATE_LIMITED', `too many attempts; try again in ${Math.ceil(limit.ttl / 1000)} s`, { retryAfterS: Math.ceil(limit.ttl / 1000) }),
  });
  declaredRoutes.set(app, installPrivacyHook(app, { store: context.store, keys: context.keys, privacy }));
  // After the privacy hook, so that its preflight route (OPTIONS *) is declared like every other.
  await corsRoutes(app, context.config.corsOrigins);

  healthRoutes(app, context);
  eventRoutes(app, context);
  historyRoutes(app, context);
  insightsRoutes(app, context, duckDbInsights(context.store));
  factsRoutes(app, context, duckDbInsights(context.store));
  memberRoutes(app, context, privacy);
  meRoutes(app, context, privacy);
  supportRoutes(app, context, privacy);
  auditRoutes(app, privacy);
  await recommendRoutes(app, context, recommendConfig(process.env));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await webAppRoutes(app, context.config.webDir);
  const rows = new FastRows({
    store: context.store,
    keys: context.keys,
    privacy,
    service: recommendOf.get(app)!.service,
    logger: context.logger,
    crossOrigin: context.config.corsOrigins.length > 0,
  });
  fastRowsOf.set(app, rows);
  // While closing, Fastify answers 503 (return503OnClosing): the fast path steps aside.
  app.addHook('preClose', async () => {
    rows.enabled = false;
  });
  await app.ready();
  fastRows = rows;
  return app;
}
