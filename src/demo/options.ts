// Options of the demo population, validated once at the edge (zod), with errors that name the
// option, say what is wrong and how to fix it.

import { z } from 'zod';
import { isoToDayNumber } from '../domain/time.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const isoDay = z
  .string()
  .regex(ISO_DAY, 'must be an ISO date YYYY-MM-DD')
  .refine((day) => {
    const ms = Date.parse(`${day}T00:00:00Z`);
    return ISO_DAY.test(day) && Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === day;
  }, 'is not a calendar date');

/** A longer period is allowed but ten years of heartbeats is already far beyond any demo. */
export const MAX_PERIOD_DAYS = 3660;

export const demoOptionsSchema = z
  .strictObject({
    /** Number of members (households). Planted cases need at least MIN_MEMBERS_FOR_ALL_CASES. */
    members: z.number().int().min(1).max(10_000_000).default(100),
    /** Same seed and options give byte-identical output. Numbers are used as their decimal string. */
    seed: z
      .union([z.string().min(1).max(200), z.number()])
      .default('binge')
      .transform((seed) => String(seed)),
    /** First local day of the period, included. */
    fromDay: isoDay.default('2025-01-01'),
    /** Last local day of the period, included. */
    toDay: isoDay.default('2025-12-31'),
    /** Seconds between heartbeats while playing. Larger values make fewer events (fast tests). */
    heartbeatS: z.number().int().min(5).max(3600).default(60),
    /** Plant the documented cases (Christmas streaks, office week, pirate year, shop screen, racers). */
    plantCases: z.boolean().default(true),
    /** Events per yielded batch, roughly: a batch closes after the profile-day that fills it. */
    batchSize: z.number().int().min(1).max(1_000_000).default(4096),
  })
  .superRefine((options, ctx) => {
    if (!ISO_DAY.test(options.fromDay) || !ISO_DAY.test(options.toDay)) return;
    const days = isoToDayNumber(options.toDay) - isoToDayNumber(options.fromDay) + 1;
    if (days < 1) {
      ctx.addIssue({ code: 'custom', path: ['toDay'], message: `must not be before fromDay (${options.fromDay})` });
    } else if (days > MAX_PERIOD_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['toDay'], message: `period is ${days} days; at most ${MAX_PERIOD_DAYS}` });
    }
  });

export type DemoOptionsInput = z.input<typeof demoOptionsSchema>;
export type DemoOptions = z.output<typeof demoOptionsSchema>;

export class DemoOptionsError extends Error {
  readonly code = 'BINGE_DEMO_BAD_OPTIONS';
  readonly status = 400;
  constructor(readonly issues: readonly string[]) {
    super(`invalid demo options: ${issues.join('; ')}`);
    this.name = 'DemoOptionsError';
  }
}

export function parseDemoOptions(input: unknown = {}): DemoOptions {
  const result = demoOptionsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new DemoOptionsError(
    result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'options'}: ${issue.message}`),
  );
}

/** The demo period as local day numbers (days since 1970-01-01), both ends included. */
export interface DemoPeriod {
  fromDay: string;
  toDay: string;
  firstDayNumber: number;
  lastDayNumber: number;
  days: number;
  /** Every event's atMs is in [startMs, endMs): local days of the period in any zone (UTC-14..UTC+14). */
  startMs: number;
  endMs: number;
}

const DAY_MS = 86_400_000;
const WIDEST_OFFSET_MS = 14 * 3_600_000;

export function periodOf(options: Pick<DemoOptions, 'fromDay' | 'toDay'>): DemoPeriod {
  const firstDayNumber = isoToDayNumber(options.fromDay);
  const lastDayNumber = isoToDayNumber(options.toDay);
  return {
    fromDay: options.fromDay,
    toDay: options.toDay,
    firstDayNumber,
    lastDayNumber,
    days: lastDayNumber - firstDayNumber + 1,
    startMs: firstDayNumber * DAY_MS - WIDEST_OFFSET_MS,
    endMs: (lastDayNumber + 1) * DAY_MS + WIDEST_OFFSET_MS,
  };
}
