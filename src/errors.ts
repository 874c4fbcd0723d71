// One error type for the whole system: a stable code, an HTTP status, and a message that says
// what went wrong, where, and how to fix it. The HTTP layer and the CLI each turn it into output
// in one place (server/errors.ts, cli/main.ts). Every code is listed in docs/ERRORS.md; a test
// checks the list.

export const ERROR_CODES = {
  BINGE_BAD_JSON: 400,
  BINGE_BAD_REQUEST: 400,
  BINGE_EMPTY_BATCH: 400,
  BINGE_BATCH_TOO_MANY_EVENTS: 413,
  BINGE_BODY_TOO_LARGE: 413,
  BINGE_UNSUPPORTED_MEDIA_TYPE: 415,
  BINGE_EVENT_INVALID: 400,
  BINGE_EVENT_UNKNOWN_FIELD: 400,
  BINGE_EVENT_IN_FUTURE: 400,
  BINGE_EVENT_TOO_OLD: 400,
  BINGE_EVENT_NOT_YOUR_PROFILE: 403,
  BINGE_UNAUTHORIZED: 401,
  BINGE_FORBIDDEN: 403,
  BINGE_RATE_LIMITED: 429,
  BINGE_EMAIL_TAKEN: 409,
  BINGE_TOO_MANY_PROFILES: 409,
  BINGE_AUDIT_CHAIN_BROKEN: 500,
  BINGE_NOT_FOUND: 404,
  BINGE_URI_TOO_LONG: 414,
  BINGE_OVERLOADED: 503,
  BINGE_STORE_UNAVAILABLE: 503,
  BINGE_STORE_LOCKED: 409,
  BINGE_CONFIG_INVALID: 400,
  BINGE_USAGE: 400,
  BINGE_IMPORT_FILE: 400,
  BINGE_DP_BUDGET_EXCEEDED: 409,
  BINGE_RECOMMEND_NO_DATA: 409,
  BINGE_UNSUBSCRIBE_TOKEN_INVALID: 400,
  BINGE_MAIL_FAILED: 502,
  BINGE_INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class BingeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra machine-readable facts (never personal data: this may be logged). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly retryAfterS: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; retryAfterS?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BingeError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = options.details;
    this.retryAfterS = options.retryAfterS;
  }
}

export function isBingeError(error: unknown): error is BingeError {
  return error instanceof BingeError;
}
