// The one place where errors become HTTP answers: { error: { code, message, requestId } }.
// Never a stack trace, never a 500 for bad input.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { BingeError, isBingeError } from '../errors.js';
import { z } from 'zod';

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable error code, listed in docs/ERRORS.md'),
      message: z.string().describe('what went wrong, where, and how to fix it'),
      requestId: z.string(),
    }),
  })
  .describe('Every error has this shape');

/** Maps Fastify's own errors (parsing, limits, routing) to binge codes. */
function fromFastify(error: FastifyError, request: FastifyRequest): BingeError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BingeError('BINGE_BODY_TOO_LARGE', `the body is larger than the limit of ${request.routeOptions.bodyLimit ?? 'configured'} bytes; send smaller batches`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BingeError('BINGE_UNSUPPORTED_MEDIA_TYPE', `content-type ${request.headers['content-type'] ?? '(none)'} is not accepted; send application/json or application/x-ndjson`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BingeError('BINGE_BAD_JSON', 'the body is empty; send a JSON document');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BingeError('BINGE_BAD_REQUEST', 'the Content-Length header does not match the body');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new BingeError('BINGE_BAD_JSON', `the body is not valid JSON (${error.message}); check quoting and commas`);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const where = `${error.validationContext ?? 'request'}${issue.instancePath ? issue.instancePath.replaceAll('/', '.') : ''}`;
    return new BingeError('BINGE_BAD_REQUEST', `${where}: ${issue.message}`);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new BingeError('BINGE_BAD_REQUEST', error.message);
  }
  return new BingeError('BINGE_INTERNAL', 'something went wrong on our side; the request id helps us find it');
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const binge = isBingeError(error) ? error : fromFastify(error as FastifyError, request);
  if (binge.status >= 500) request.log.error({ err: error, code: binge.code }, 'request failed');
  if (binge.retryAfterS !== undefined) reply.header('retry-after', String(binge.retryAfterS));
  return reply.code(binge.status).type('application/json').send({
    error: { code: binge.code, message: binge.message, requestId: String(request.id) },
  });
}
