// Benchmark data: exactly N events of the seeded demo population, held in memory (so that the
// timed part measures loading, not generating), and the same events as a CSV for DuckDB's
// read_csv baseline.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { PlaybackEvent } from '../domain/model.js';
import { generatePopulation, type Population } from '../demo/population.js';
import { isoToDayNumber, dayNumberToIso } from '../domain/time.js';

export interface BenchEvents {
  population: Population;
  batches: PlaybackEvent[][];
  count: number;
}

/** About this many events per member per day of the demo period (measured: ~57,000 a year). */
const EVENTS_PER_MEMBER_DAY = 150;

/** The first `count` events of a demo population over [fromDay, toDay] (members added until there are enough). */
export function demoEvents(count: number, period: { fromDay: string; toDay: string; seed?: string }): BenchEvents {
  const days = isoToDayNumber(period.toDay) - isoToDayNumber(period.fromDay) + 1;
  const members = Math.max(2, Math.ceil((count / (EVENTS_PER_MEMBER_DAY * days)) * 1.5) + 2);
  const population = generatePopulation({ members, seed: period.seed ?? 'bench', fromDay: period.fromDay, toDay: period.toDay, plantCases: false });
  const batches: PlaybackEvent[][] = [];
  let n = 0;
  for (const batch of population.eventBatches()) {
    const room = count - n;
    if (room <= 0) break;
    const taken = batch.length <= room ? batch : batch.slice(0, room);
    batches.push(taken);
    n += taken.length;
  }
  if (n < count) throw new Error(`the demo population gave ${n} events, fewer than the ${count} asked for`);
  return { population, batches, count: n };
}

/** Local days of the last month, ending the day before yesterday (live ingest accepts 30 days back). */
export function recentPeriod(nowMs = Date.now()): { fromDay: string; toDay: string } {
  const today = Math.floor(nowMs / 86_400_000);
  return { fromDay: dayNumberToIso(today - 27), toDay: dayNumberToIso(today - 2) };
}

/** The events table's columns, in order, as read_csv wants them. */
export const EVENT_CSV_COLUMNS = `{'event_id': 'VARCHAR', 'playback_id': 'VARCHAR', 'profile_id': 'VARCHAR', 'title_id': 'VARCHAR', 'type': 'VARCHAR',
  'position_s': 'DOUBLE', 'at_ms': 'BIGINT', 'offset_min': 'SMALLINT', 'device_id': 'VARCHAR', 'country': 'VARCHAR',
  'autoplayed': 'BOOLEAN', 'user_action': 'VARCHAR'}`;

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One CSV line (no header) per event, in the events table's column order. */
export function eventCsvLine(e: PlaybackEvent): string {
  return `${quote(e.eventId)},${quote(e.playbackId)},${quote(e.profileId)},${quote(e.titleId)},${e.type},${e.positionS},${e.atMs},${e.offsetMin ?? ''},${quote(e.deviceId)},${quote(e.country)},${e.autoplayed},${e.userAction}\n`;
}

export async function writeEventsCsv(path: string, batches: Iterable<readonly PlaybackEvent[]>): Promise<void> {
  const out = createWriteStream(path);
  for (const batch of batches) {
    let text = '';
    for (const e of batch) text += eventCsvLine(e);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export const sqlPath = (path: string): string => `'${path.replace(/'/g, "''")}'`;
