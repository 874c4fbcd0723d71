// A Netflix export into the store: each row is stored as one imported session (imported-history.ts)
// with exact dedup (deterministic row ids make a re-import change nothing), by the store's engine
// when it can read the file exactly (sql-import.ts), else by the reader; then the member,
// profiles, devices and titles are upserted, the imported views of the file's profiles are
// recomputed (in the store; the pure functions for a profile with a local day over 24 h), and
// rows the export marks hidden are hidden. No events are written: nothing reads an imported
// row as events (history, continue watching, insights, recommendations, export and erasure
// read views and imported_sessions), and a live refresh of the profile leaves imported views be.

import { statSync } from 'node:fs';
import type { Catalogue } from '../../domain/catalogue.js';
import type { Definitions } from '../../domain/definitions.js';
import type { Device, Profile, Title } from '../../domain/model.js';
import { BingeError } from '../../errors.js';
import type { ImportedHistoryStore, ImportedSession } from '../../store/csv-import-port.js';
import type { Store } from '../../store/port.js';
import { NetflixFileError, type NetflixSkip } from './errors.js';
import { importedViewsOf, sessionOfRow } from './imported-history.js';
import { bulkImportNetflix } from './sql-import.js';
import { memberNameOf, readViewingActivityBatches, type ReadOptions } from './read.js';
import { NetflixImportSummary, type ProfileTotals } from './summary.js';

export interface StoreImportResult {
  memberId: string;
  /** Data rows read. */
  rows: number;
  /** Views of the member's profiles after the import. */
  views: number;
  profiles: number;
  /** Rows stored now; 0 on a re-import of the same file. */
  newRows: number;
  skipped: { line: number; code: string; reason: string }[];
  totals: ProfileTotals[];
  /** Who read the rows: the store's engine (bulk path) or the importer's reader. */
  path: 'engine' | 'reader';
}

export interface ImportOptions extends ReadOptions {
  onRows?: (rows: number, estimatedTotal: number) => void;
  /** 'auto' (default): the store's engine reads the file when it can do so exactly (sql-import.ts), else the reader; 'reader': always the reader. */
  engine?: 'auto' | 'reader';
  /** Wall seconds of each step once done (benchmarks): rows stored, catalogue, views refreshed, hidden views marked. */
  onStep?: (step: 'rows' | 'catalogue' | 'views' | 'hidden', seconds: number) => void;
}

export async function importNetflixIntoStore(
  store: Store,
  catalogue: Catalogue,
  defs: Definitions,
  file: string,
  options: ImportOptions = {},
): Promise<StoreImportResult> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new BingeError('BINGE_IMPORT_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check the path`, { cause: error });
  }
  let stepStart = performance.now();
  const step = (name: 'rows' | 'catalogue' | 'views' | 'hidden') => {
    const now = performance.now();
    options.onStep?.(name, (now - stepStart) / 1000);
    stepStart = now;
  };
  const memberName = memberNameOf(file, options.member);
  const history = store.importedHistory;
  if (history === undefined) throw new Error(`the ${store.engine} store cannot hold imported history`);
  const bulk = options.engine === 'reader' ? null : await bulkImportNetflix(store, file, { member: memberName, ...countryOption(options) });
  const loaded = bulk ?? (await readIntoStore(history, file, memberName, size, options));
  if (bulk !== null) options.onRows?.(bulk.rows, bulk.rows);
  step('rows');
  await store.putMembers([{ memberId: loaded.memberId, country: options.country ?? mostCommonCountry(loaded.countries), createdAtMs: Date.now() }]);
  await store.putProfiles(loaded.profiles);
  await store.putDevices(loaded.devices);
  await store.putTitles(loaded.titles);
  catalogue.add(loaded.titles);
  step('catalogue');
  const profileIds = loaded.profiles.map((p) => p.profileId);
  // Recomputed whole from all the profile's imported rows (also on a re-import: the same rows give the same views).
  await refreshImportedHistory(history, catalogue, defs, profileIds);
  step('views');
  if (loaded.hidden.length > 0) {
    // Only the profiles with hidden rows are read back (an export rarely has many).
    const views = await store.viewsOfProfiles([...new Set(loaded.hidden.map((h) => h.profileId))]);
    for (const hidden of loaded.hidden) {
      const view = views.get(hidden.profileId)?.find((v) => v.titleId === hidden.titleId && v.startMs <= hidden.atMs && hidden.atMs <= v.endMs);
      if (view && !view.hidden) {
        await store.hideView(hidden.profileId, view.viewId);
        view.hidden = true;
      }
    }
  }
  const views = await store.countViews(profileIds);
  step('hidden');
  return {
    memberId: loaded.memberId,
    rows: loaded.rows,
    views,
    profiles: loaded.profiles.length,
    newRows: loaded.accepted,
    skipped: loaded.skipped.map((s) => ({ line: s.line, code: s.code, reason: s.reason })),
    totals: loaded.totals,
    path: bulk === null ? 'reader' : 'engine',
  };
}

/**
 * Recomputes the imported views of these profiles from all their imported rows: in the store,
 * and with the pure functions (imported-history.ts) for the profiles the store hands back
 * because a local day holds more than 24 h (the cap applies).
 */
export async function refreshImportedHistory(
  history: ImportedHistoryStore,
  catalogue: Catalogue,
  defs: Definitions,
  profileIds: readonly string[],
): Promise<{ views: number; capped: string[] }> {
  const result = await history.refreshImportedViews(profileIds, defs);
  let views = result.views;
  if (result.capped.length > 0) {
    const sessions = await history.importedSessionsOf(result.capped);
    for (const profileId of result.capped) {
      const capped = importedViewsOf(sessions.get(profileId) ?? [], catalogue.titleOf, defs);
      await history.replaceImportedViews(profileId, capped);
      views += capped.length;
    }
  }
  return { views, capped: result.capped };
}

interface Loaded {
  memberId: string;
  rows: number;
  accepted: number;
  profiles: Profile[];
  devices: Device[];
  titles: Title[];
  totals: ProfileTotals[];
  countries: Map<string, number>;
  hidden: { profileId: string; titleId: string; atMs: number }[];
  skipped: NetflixSkip[];
}

/** The reader's path (read.ts): every row parsed and mapped here, stored as imported sessions with exact dedup. */
async function readIntoStore(history: ImportedHistoryStore, file: string, memberName: string, size: number, options: ImportOptions): Promise<Loaded> {
  const estimatedRows = Math.max(1, Math.round(size / 150));
  const summary = new NetflixImportSummary(memberName, { keepEvents: false });
  const hidden: Loaded['hidden'] = [];
  const countries = new Map<string, number>();
  const sessions: ImportedSession[] = [];
  let rows = 0;
  try {
    for await (const results of readViewingActivityBatches(file, options)) {
      for (const result of results) {
        summary.add(result);
        if (!result.ok) continue;
        sessions.push(sessionOfRow(result.row));
        countries.set(result.row.country, (countries.get(result.row.country) ?? 0) + 1);
        if (result.row.hidden) hidden.push({ profileId: result.row.profile.profileId, titleId: result.row.title.titleId, atMs: result.row.startMs });
      }
      rows += results.length;
      options.onRows?.(rows, Math.max(rows, estimatedRows));
    }
  } catch (error) {
    if (error instanceof NetflixFileError) {
      throw new BingeError('BINGE_IMPORT_FILE', `${file}: ${error.message} [${error.code}]`, { cause: error });
    }
    throw error;
  }
  // One transaction for the file: a file that fails to read stores nothing.
  const accepted = await history.putImportedSessions(sessions);
  const result = summary.finish();
  return { ...result, accepted, countries, hidden };
}

function countryOption(options: ReadOptions): { country?: string } {
  return options.country === undefined ? {} : { country: options.country.toUpperCase() };
}

function mostCommonCountry(counts: Map<string, number>): string {
  let best = 'US';
  let bestCount = 0;
  for (const [country, count] of counts) {
    if (count > bestCount) [best, bestCount] = [country, count];
  }
  return best;
}
