// Grouping views by profile: every per-profile insight starts here, in one pass.

import type { View } from '../domain/model.js';

/** Views per key (a profile, a device), each list in input order. */
export function groupViewsBy<V>(views: readonly V[], keyOf: (view: V) => string): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const view of views) {
    const key = keyOf(view);
    const list = out.get(key);
    if (list) list.push(view);
    else out.set(key, [view]);
  }
  return out;
}

/** Views per profile, each list in input order. */
export function groupByProfile<V extends Pick<View, 'profileId'>>(views: readonly V[]): Map<string, V[]> {
  return groupViewsBy(views, (view) => view.profileId);
}
