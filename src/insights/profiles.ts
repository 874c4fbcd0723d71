// Grouping views by profile: every per-profile insight starts here, in one pass.

import type { View } from '../domain/model.js';

/** Views per profile, each list in input order. */
export function groupByProfile<V extends Pick<View, 'profileId'>>(views: readonly V[]): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const view of views) {
    const list = out.get(view.profileId);
    if (list) list.push(view);
    else out.set(view.profileId, [view]);
  }
  return out;
}
