// The zone offsets of each (country, UTC day) that a refresh needs where events or imported rows
// carry no offset, from the same zone clock as the pure functions, as a temp table that the view
// statements join: (country, day, start_off, switch_ms, end_off), switch_ms the end of the day's
// first offset (a daylight-saving change) or the end of the day.

import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { zoneOfCountry } from '../../domain/time.js';
import { zoneClock } from '../../domain/zone-clock.js';

const DAY_MS = 86_400_000;
const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));

/** Writes `table` (temp) from rows of { country, day } through the Appender (list parameters cost ~0.5 s per 37k days). */
export async function writeZoneDays(c: DuckDBConnection, table: string, rows: readonly Record<string, DuckDBValue>[]): Promise<void> {
  await c.run(`CREATE OR REPLACE TEMP TABLE ${table} (country VARCHAR, day BIGINT, start_off INTEGER, switch_ms BIGINT, end_off INTEGER)`);
  const zones = await c.createAppender(table, 'main', 'temp');
  try {
    for (const row of rows) {
      const country = row.country as string;
      const day = num(row.day);
      const clock = zoneClock(zoneOfCountry(country));
      const span = clock.span(day * DAY_MS);
      const switches = span.toMs < (day + 1) * DAY_MS;
      zones.appendVarchar(country);
      zones.appendBigInt(BigInt(day));
      zones.appendInteger(span.offsetMin);
      zones.appendBigInt(BigInt(switches ? span.toMs : (day + 1) * DAY_MS));
      zones.appendInteger(switches ? clock.offsetAt(span.toMs) : span.offsetMin);
      zones.endRow();
    }
    zones.flushSync();
  } finally {
    zones.closeSync();
  }
}

/** Days from `fromDay` to `toDay` (UTC days since 1970) of one country's rows. */
export interface CountryDays {
  country: string;
  fromDay: number;
  toDay: number;
}

/**
 * Writes `table` (temp) as writeZoneDays does, for every day of each country's range, from runs
 * of days the JS side computes: a day without a change of offset joins its neighbours (its
 * switch_ms is NULL: both offsets are the same), so a few hundred rows cross to the engine
 * instead of one per day, and the engine expands them.
 */
export async function writeZoneDayRanges(c: DuckDBConnection, table: string, ranges: readonly CountryDays[]): Promise<void> {
  const runs = `${table}_runs`;
  await c.run(`CREATE OR REPLACE TEMP TABLE ${runs} (country VARCHAR, from_day BIGINT, to_day BIGINT, start_off INTEGER, switch_ms BIGINT, end_off INTEGER)`);
  const appender = await c.createAppender(runs, 'main', 'temp');
  try {
    for (const { country, fromDay, toDay } of ranges) {
      const clock = zoneClock(zoneOfCountry(country));
      let run: { from: number; to: number; offset: number } | null = null;
      const flush = () => {
        if (run === null) return;
        appendRun(appender, country, run.from, run.to, run.offset, null, run.offset);
        run = null;
      };
      for (let day = fromDay; day <= toDay; day++) {
        const span = clock.span(day * DAY_MS);
        if (span.toMs < (day + 1) * DAY_MS) {
          flush();
          appendRun(appender, country, day, day, span.offsetMin, span.toMs, clock.offsetAt(span.toMs));
        } else if (run !== null && run.offset === span.offsetMin && run.to === day - 1) {
          run.to = day;
        } else {
          flush();
          run = { from: day, to: day, offset: span.offsetMin };
        }
      }
      flush();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  await c.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT country, unnest(range(from_day, to_day + 1)) AS day, start_off, switch_ms, end_off FROM ${runs}`);
  await c.run(`DROP TABLE ${runs}`);
}

function appendRun(appender: DuckDBAppender, country: string, from: number, to: number, startOff: number, switchMs: number | null, endOff: number): void {
  appender.appendVarchar(country);
  appender.appendBigInt(BigInt(from));
  appender.appendBigInt(BigInt(to));
  appender.appendInteger(startOff);
  if (switchMs === null) appender.appendNull();
  else appender.appendBigInt(BigInt(switchMs));
  appender.appendInteger(endOff);
  appender.endRow();
}

/**
 * Fills the zone clocks' cache for these days, yielding to the event loop every few hundred days: called while the engine works (an import's insert), the Intl probes of a
 * first import overlap it instead of following it.
 */
export async function warmZoneClocks(ranges: readonly CountryDays[]): Promise<void> {
  for (const { country, fromDay, toDay } of ranges) {
    const clock = zoneClock(zoneOfCountry(country));
    for (let day = fromDay; day <= toDay; day++) {
      if ((day - fromDay) % WARM_SLICE_DAYS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      clock.span(day * DAY_MS);
    }
  }
}

/** Days warmed between two turns of the event loop (a few milliseconds of Intl probes when cold). */
const WARM_SLICE_DAYS = 256;
