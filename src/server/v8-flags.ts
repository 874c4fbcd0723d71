// V8 settings for the server process, set by `binge serve` itself at start (so `npm start`, `binge
// serve` and the serving bench run the same way) and left alone when the operator chose a
// scavenger setting with a node flag or NODE_OPTIONS.
//
// --no-parallel-scavenge: young-generation collections run on the event loop's thread alone.
// After the warm rows path stopped keeping per-request objects (DECISIONS.md, 30), a collection
// finds ~50 KiB alive and copying it alone takes about as long as starting helper threads; on a
// busy machine the parallel collection waited for helpers that were not scheduled (pause p90 4-5
// ms against 2 ms alone, alternated runs of 120,000 warm rows requests). The flag is read at
// every collection, so setting it at run time takes effect (v8-flags.test.ts watches the GC trace).

import { setFlagsFromString } from 'node:v8';

export const SERVER_V8_FLAGS: readonly string[] = ['--no-parallel-scavenge'];

/** A scavenger setting the operator gave: such flags are left as given. */
const CHOSEN = /^--(no-)?(parallel[-_]scavenge|single[-_]threaded[-_]gc)(=|$)/;

/** Sets SERVER_V8_FLAGS unless a scavenger setting was given; returns the flags it set. */
export function applyServerV8Flags(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): readonly string[] {
  if ([...execArgv, ...nodeOptions.split(/\s+/)].some((flag) => CHOSEN.test(flag))) return [];
  for (const flag of SERVER_V8_FLAGS) setFlagsFromString(flag);
  return SERVER_V8_FLAGS;
}
