// A Netflix export into the store: rows are read streaming, their events loaded with exact
// dedup (deterministic eventIds make a re-import change nothing), then the member, profiles,
// devices and titles are upserted, views refreshed, and rows the export marks hidden are hidden.

import { statSync } from 'node:fs';
import type { Catalogue } from '../../domain/catalogue.js';
import type { Definitions } from '../../domain/definitions.js';
import type { PlaybackEvent } from '../../domain/model.js';
import { BingeError } from '../../errors.js';
import { refreshViews } from '../../history/refresh-views.js';
import type { Store } from '../../store/port.js';
import { bulkLoad } from '../bulk-load.js';
import { NetflixFileError } from './errors.js';
import { memberNameOf, readViewingActivityBatches, type ReadOptions } from './read.js';
import { NetflixImportSummary, type ProfileTotals } from './summary.js';

export interface StoreImportResult {
  memberId: string;
  /** Data rows read. */
  rows: number;
  /** Views of the member's profiles after the import. */
  views: number;
  profiles: number;
  /** Events stored now; 0 on a re-import of the same file. */
  newEvents: number;
  skipped: { line: number; code: string; reason: string }[];
  totals: ProfileTotals[];
}

export async function importNetflixIntoStore(
  store: Store,
  catalogue: Catalogue,
  defs: Definitions,
  file: string,
  options: ReadOptions & { onRows?: (rows: number, estimatedTotal: number) => void } = {},
): Promise<StoreImportResult> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new BingeError('BINGE_IMPORT_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check the path`, { cause: error });
  }
  const estimatedRows = Math.max(1, Math.round(size / 150));
  const summary = new NetflixImportSummary(memberNameOf(file, options.member), { keepEvents: false });
  const hiddenRows: { profileId: string; titleId: string; atMs: number }[] = [];
  const countries = new Map<string, number>();
  let rows = 0;
  const batches = async function* (): AsyncGenerator<PlaybackEvent[]> {
    for await (const results of readViewingActivityBatches(file, options)) {
      const events: PlaybackEvent[] = [];
      for (const result of results) {
        summary.add(result);
        if (!result.ok) continue;
        events.push(result.row.events[0], result.row.events[1]);
        countries.set(result.row.country, (countries.get(result.row.country) ?? 0) + 1);
        if (result.row.hidden) hiddenRows.push({ profileId: result.row.profile.profileId, titleId: result.row.title.titleId, atMs: result.row.startMs });
      }
      rows += results.length;
      options.onRows?.(rows, Math.max(rows, estimatedRows));
      yield events;
    }
  };
  let loaded;
  try {
    loaded = await bulkLoad(store, batches(), { dedup: 'exact' });
  } catch (error) {
    if (error instanceof NetflixFileError) {
      throw new BingeError('BINGE_IMPORT_FILE', `${file}: ${error.message} [${error.code}]`, { cause: error });
    }
    throw error;
  }
  const result = summary.finish();
  await store.putMembers([{ memberId: result.memberId, country: options.country ?? mostCommonCountry(countries), createdAtMs: Date.now() }]);
  await store.putProfiles(result.profiles);
  await store.putDevices(result.devices);
  await store.putTitles(result.titles);
  catalogue.add(result.titles);
  const profileIds = result.profiles.map((p) => p.profileId);
  await refreshViews(store, catalogue, defs, { profileIds });
  const views = await store.viewsOfProfiles(profileIds);
  for (const hidden of hiddenRows) {
    const view = views.get(hidden.profileId)?.find((v) => v.titleId === hidden.titleId && v.startMs <= hidden.atMs && hidden.atMs <= v.endMs);
    if (view && !view.hidden) await store.hideView(hidden.profileId, view.viewId);
  }
  return {
    memberId: result.memberId,
    rows: result.rows,
    views: [...views.values()].reduce((n, list) => n + list.length, 0),
    profiles: result.profiles.length,
    newEvents: loaded.accepted,
    skipped: result.skipped.map((s) => ({ line: s.line, code: s.code, reason: s.reason })),
    totals: result.totals,
  };
}

function mostCommonCountry(counts: Map<string, number>): string {
  let best = 'US';
  let bestCount = 0;
  for (const [country, count] of counts) {
    if (count > bestCount) [best, bestCount] = [country, count];
  }
  return best;
}
