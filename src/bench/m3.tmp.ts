import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import { loadPopulation } from './insights-data.js';
import { subjectDaySeconds, viewingDayRuns, longestRun } from '../insights/viewing-days.js';
import { titleLookup } from '../insights/viewing.js';
const store = await openDuckDbStore({ dataDir: ':memory:' });
const hb = Number(process.argv[2]);
const l = await loadPopulation(store, DEFAULT_DEFINITIONS, { members: 60, heartbeatS: hb, fromDay: '2025-11-15', toDay: '2025-12-31' });
const x = l.population.planted.christmas!;
const titleOf = titleLookup(l.population.catalogue);
let bad = 0;
for (const p of x.profileIds) {
  const views = await store.allViews(p);
  const ds = subjectDaySeconds(views, titleOf).get('t:' + x.titleId)!;
  const run = longestRun(viewingDayRuns(ds, 300));
  if (run!.days !== 18) { bad++; if (bad < 3) { console.log(p, run, [...ds].sort((a,b)=>a[0]-b[0]).map(([d,s]) => `${d}:${Math.round(s)}`).join(' ')); for (const v of views.filter(v => v.titleId === x.titleId).slice(0,30)) console.log(v.day, v.watchedS, v.sessions, v.days.map(d=>d.day+':'+Math.round(d.watchedS)).join(','), new Date(v.startMs).toISOString(), new Date(v.endMs).toISOString()); } }
}
console.log('bad', bad);
