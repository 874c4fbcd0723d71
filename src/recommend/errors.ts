// Coded errors of recommend/. The CLI and the HTTP layer turn them into output in one place;
// `status` is the HTTP status a door should answer with.

export const RECOMMEND_ERROR_CODES = {
  BINGE_ML100K_MISSING: 404,
  BINGE_RECOMMEND_BAD_INPUT: 400,
  BINGE_RECOMMEND_NO_TIMESTAMPS: 400,
  BINGE_RECOMMEND_NOT_POSITIVE_DEFINITE: 500,
  BINGE_RECOMMEND_NATIVE_UNAVAILABLE: 500,
  BINGE_RECOMMEND_WORKER_FAILED: 500,
} as const;

export type RecommendErrorCode = keyof typeof RECOMMEND_ERROR_CODES;

export class RecommendError extends Error {
  readonly code: RecommendErrorCode;
  readonly status: number;

  constructor(code: RecommendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecommendError';
    this.code = code;
    this.status = RECOMMEND_ERROR_CODES[code];
  }
}
