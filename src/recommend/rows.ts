// The rows of a profile's home page, each item with its reason. Pure: the caller has read the
// profile's own signals (hidden views already dropped) and decided whether the member consents
// to personalisation. Without consent only the non-personal row ("Popular in your country") is
// built. An item appears in one row only (rows are filled in the order below).

import type { ContinueItem } from '../history/continue-watching.js';
import type { ItemCatalogue } from './items.js';
import type { ScoringModel } from './scoring.js';
import type { ProfileSignals } from './training-data.js';

export const ROW_IDS = ['continue_watching', 'because_you_watched', 'top_picks', 'popular_in_country'] as const;
export type RowId = (typeof ROW_IDS)[number];

export interface RowItem {
  itemId: string;
  /** What to play. */
  titleId: string;
  name: string;
  reason: string;
}

export interface Row {
  id: RowId;
  title: string;
  /** "Because you watched X": X. */
  because?: { itemId: string; name: string };
  items: RowItem[];
}

export interface RowsInput {
  personal: boolean;
  items: ItemCatalogue;
  model: ScoringModel | undefined;
  /** The profile's own signals (positives, seen and disliked items). */
  signals: ProfileSignals;
  /** Items the profile completed, most recent first (anchors for "Because you watched"). */
  completedRecentFirst: readonly string[];
  continueItems: readonly ContinueItem[];
  country: string | undefined;
  limit: number;
}

export function buildRows(input: RowsInput): Row[] {
  const { items, model, signals, limit } = input;
  const rows: Row[] = [];
  const used = new Set<string>(signals.excluded);
  const disliked = signals.disliked;

  if (input.personal) {
    const resume: RowItem[] = [];
    for (const c of input.continueItems) {
      const item = items.itemOfTitle(c.titleId);
      if (!item || disliked.has(item.itemId)) continue;
      used.add(item.itemId);
      const where = c.episode !== undefined ? `episode ${c.episode}${c.season !== undefined ? ` of season ${c.season}` : ''}` : 'the film';
      resume.push({
        itemId: item.itemId,
        titleId: c.titleId,
        name: c.title.name,
        reason: c.reason === 'resume' ? `Resume at minute ${Math.floor(c.positionS / 60)} of ${where}` : `Next: ${where}`,
      });
    }
    if (resume.length > 0) rows.push({ id: 'continue_watching', title: 'Continue watching', items: resume.slice(0, limit) });
  }

  if (input.personal && model) {
    const positives = [...signals.positives].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const positiveIdx = model.indicesOf(positives);
    for (const itemId of input.completedRecentFirst.slice(0, 5)) {
      const anchor = model.index.get(itemId);
      const about = items.item(itemId);
      if (anchor === undefined || !about) continue;
      const chosen = model
        .neighboursOf(anchor, new Set(model.indicesOf([...used, ...positives])), limit)
        .map((i) => items.item(model.model.itemIds[i]))
        .filter((x) => x !== undefined);
      if (chosen.length === 0) continue;
      for (const x of chosen) used.add(x.itemId);
      rows.push({
        id: 'because_you_watched',
        title: `Because you watched ${about.name}`,
        because: { itemId: about.itemId, name: about.name },
        items: chosen.map((x) => ({ itemId: x.itemId, titleId: x.playTitleId, name: x.name, reason: `Because you watched ${about.name}` })),
      });
      break;
    }
    if (positiveIdx.length > 0) {
      const picks = model.topPicks(positiveIdx, model.indicesOf(used), limit);
      const chosen: RowItem[] = [];
      for (const s of picks) {
        const x = items.item(model.model.itemIds[s.item]);
        const from = s.because >= 0 ? items.item(model.model.itemIds[s.because]) : undefined;
        if (!x) continue;
        used.add(x.itemId);
        chosen.push({ itemId: x.itemId, titleId: x.playTitleId, name: x.name, reason: from ? `Because you liked ${from.name}` : 'Picked for you' });
      }
      if (chosen.length > 0) rows.push({ id: 'top_picks', title: 'Top picks for you', items: chosen });
    }
  }

  if (model) {
    // Non-personal: what this profile did is used only to avoid showing what it has seen or disliked, and only with consent.
    const skip = input.personal ? model.indicesOf([...used, ...signals.positives.keys()]) : [];
    const { scope, items: ranked } = model.popular(input.country, new Set(skip), limit);
    const where = scope === 'country' && input.country ? `in ${input.country}` : 'everywhere';
    const chosen = ranked
      .map((i) => items.item(model.model.itemIds[i]))
      .filter((x) => x !== undefined)
      .map((x) => ({ itemId: x.itemId, titleId: x.playTitleId, name: x.name, reason: scope === 'all_time' ? 'Popular' : `Popular ${where} in the last ${model.model.recentDays} days` }));
    if (chosen.length > 0) rows.push({ id: 'popular_in_country', title: scope === 'country' && input.country ? `Popular in ${input.country}` : 'Popular now', items: chosen });
  }
  return rows;
}
