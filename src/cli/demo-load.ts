// Loading a generated demo population into a store: catalogue, members, events, derived views.

import type { Config } from '../config.js';
import { Catalogue } from '../domain/catalogue.js';
import { generatePopulation } from '../demo/population.js';
import { refreshViews } from '../history/refresh-views.js';
import { bulkLoad } from '../ingest/bulk-load.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import type { Store } from '../store/port.js';
import { BingeError } from '../errors.js';
import { trainAndStore } from '../recommend/training.js';
import { privacyStoreOf } from '../store/duckdb/privacy.js';
import { recommendStoreOf } from '../store/duckdb/recommend.js';
import type { Output } from './output.js';
import { progressBar } from './progress.js';

export interface DemoRequest {
  members: number;
  seed: string;
  fromDay?: string;
  toDay?: string;
  heartbeatS?: number;
}

export interface DemoLoadSummary {
  members: number;
  profiles: number;
  titles: number;
  events: number;
  duplicates: number;
  views: number;
  seconds: number;
}

export async function loadDemo(store: Store, config: Config, request: DemoRequest): Promise<DemoLoadSummary> {
  const started = performance.now();
  let population;
  try {
    population = generatePopulation({ members: request.members, seed: request.seed, fromDay: request.fromDay, toDay: request.toDay, heartbeatS: request.heartbeatS });
  } catch (error) {
    throw new BingeError('BINGE_USAGE', (error as Error).message, { cause: error });
  }
  await store.putTitles(population.catalogue);
  await store.putMembers(population.members);
  await store.putProfiles(population.profiles);
  await store.putDevices(population.devices);
  const bar = progressBar('events', request.members);
  let membersDone = 0;
  const batches = (function* () {
    for (let m = 0; m < request.members; m++) {
      yield* population.eventBatches({ fromMember: m, toMember: m + 1 });
      bar.update(++membersDone);
    }
  })();
  const loaded = await bulkLoad(store, batches, { dedup: 'unique-by-construction' });
  bar.stop();
  const viewsBar = progressBar('views ', population.profiles.length);
  const refreshed = await refreshViews(store, new Catalogue(population.catalogue), config.definitions, {
    onProgress: (done, total) => viewsBar.update(done, total),
  });
  viewsBar.stop();
  const example = population.profiles.find((p) => p.profileId === population.planted.officeWeek?.profileId) ?? population.profiles[0];
  if (example) await store.setMeta('demo.exampleProfile', example.profileId);
  await store.setMeta('demo.loaded', JSON.stringify({ members: request.members, seed: request.seed }));
  return {
    members: population.members.length,
    profiles: population.profiles.length,
    titles: population.catalogue.length,
    events: loaded.accepted,
    duplicates: loaded.duplicates,
    views: refreshed.views,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** For `binge serve --demo`: loads the demo once, on an empty store. */
export async function loadDemoIfEmpty(config: Config, request: DemoRequest, output: Output): Promise<void> {
  const store = await openDuckDbStore({ dataDir: config.dataDir });
  try {
    if ((await store.meta('demo.loaded')) !== undefined || (await store.countMembers()) > 0) return;
    output.err(`First run: generating a demo population of ${request.members} members (seed ${request.seed}) into ${config.dataDir} ...`);
    const summary = await loadDemo(store, config, request);
    output.err(`Loaded ${summary.events} events of ${summary.profiles} profiles into ${summary.views} views in ${summary.seconds} s.`);
    // A first model, so that the demo's home rows (and the web app's Home) are personal from the
    // first start: the server trains on a schedule only when an interval is set.
    const started = performance.now();
    const model = await trainAndStore({ store: recommendStoreOf(store), privacy: privacyStoreOf(store), catalogue: new Catalogue(await store.titles()), now: Date.now }, { kind: 'ease' });
    output.err(`Trained a first recommendation model (${model.kind}, ${model.itemIds.length} titles, ${model.interactions} interactions) in ${Math.round(performance.now() - started)} ms.`);
  } finally {
    await store.close();
  }
}
