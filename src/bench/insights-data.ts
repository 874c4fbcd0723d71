// A generated population loaded into a store, for the insights benchmark and tests: catalogue,
// members, events (bulk load), then derived views (refreshViews), with the time each step took.

import { Catalogue } from '../domain/catalogue.js';
import type { Definitions } from '../domain/definitions.js';
import { generatePopulation, type DemoOptionsInput, type Population } from '../demo/population.js';
import { refreshViews } from '../history/refresh-views.js';
import { bulkLoad } from '../ingest/bulk-load.js';
import type { PlaybackEvent } from '../domain/model.js';
import type { Store } from '../store/port.js';

export interface LoadedPopulation {
  population: Population;
  events: number;
  views: number;
  loadS: number;
  refreshS: number;
}

/** Loads a generated population; `keepEvent` leaves some events out (to append them later). */
export async function loadPopulation(
  store: Store,
  defs: Definitions,
  options: DemoOptionsInput,
  keepEvent: (event: PlaybackEvent) => boolean = () => true,
  { derive = true }: { derive?: boolean } = {},
): Promise<LoadedPopulation> {
  const population = generatePopulation(options);
  let started = performance.now();
  await store.putTitles(population.catalogue);
  await store.putMembers(population.members);
  await store.putProfiles(population.profiles);
  await store.putDevices(population.devices);
  const batches = (function* () {
    for (const batch of population.eventBatches()) yield batch.filter(keepEvent);
  })();
  const loaded = await bulkLoad(store, batches, { dedup: 'unique-by-construction' });
  const loadS = (performance.now() - started) / 1000;
  if (!derive) return { population, events: loaded.accepted, views: 0, loadS, refreshS: 0 };
  started = performance.now();
  const refreshed = await refreshViews(store, new Catalogue(population.catalogue), defs);
  return { population, events: loaded.accepted, views: refreshed.views, loadS, refreshS: (performance.now() - started) / 1000 };
}
