// Small-volume signals besides playback: searches, thumbs and onboarding picks. Drawn from their
// own random stream per member, so asking for them never changes the playback events.

import type { OnboardingPick, Search, Thumb, ThumbRating, Title } from '../domain/model.js';
import type { DemoCatalogue } from './catalogue.js';
import type { MemberPlan, ProfilePlan } from './household.js';
import type { DemoPeriod } from './options.js';
import { type Random, randomFor } from './random.js';
import { localDayStartMs, sittingStartOffsetMs } from './rhythm.js';

export interface MemberSignals {
  memberId: string;
  searches: Search[];
  thumbs: Thumb[];
  onboardingPicks: OnboardingPick[];
}

const RATINGS: readonly ThumbRating[] = ['down', 'up', 'two_up'];
const RATING_WEIGHTS = [20, 55, 25];
const ONBOARDING_PICKS = 3;

export function memberSignals(seed: string, tag: string, plan: MemberPlan, catalogue: DemoCatalogue, period: DemoPeriod): MemberSignals {
  const rng = randomFor(seed, 'signals', plan.index);
  const prefix = `${tag}-${plan.index.toString(36)}-`;
  const out: MemberSignals = { memberId: plan.member.memberId, searches: [], thumbs: [], onboardingPicks: [] };
  let counter = 0;
  const years = period.days / 365;
  for (const profile of plan.profiles) {
    if (profile.plant === 'shop') continue;
    const profileId = profile.profile.profileId;
    const liked = (): Title => likedTitle(rng, profile, catalogue);
    const randomInstant = (): number => {
      const day = rng.int(plan.firstDayNumber, period.lastDayNumber);
      return localDayStartMs(plan.zone, day) + sittingStartOffsetMs(rng, day, profile.rhythmShiftH);
    };
    for (let n = Math.round(rng.int(0, 24) * years); n > 0; n--) {
      out.searches.push({ eventId: `${prefix}s${(counter++).toString(36)}`, profileId, query: searchQuery(rng, liked()), atMs: randomInstant() });
    }
    for (let n = Math.round(rng.int(0, 10) * years); n > 0; n--) {
      out.thumbs.push({
        eventId: `${prefix}t${(counter++).toString(36)}`,
        profileId,
        titleId: liked().titleId,
        rating: RATINGS[rng.weighted(RATING_WEIGHTS)],
        atMs: randomInstant(),
      });
    }
    const picked = new Set<string>();
    for (let attempt = 0; picked.size < ONBOARDING_PICKS && attempt < 20; attempt++) {
      const title = liked();
      if (picked.has(title.titleId)) continue;
      picked.add(title.titleId);
      out.onboardingPicks.push({ profileId, titleId: title.titleId, atMs: plan.member.createdAtMs + (profile.slot * 10 + picked.size) * 60_000 });
    }
  }
  for (const list of [out.searches, out.thumbs]) list.sort((a, b) => a.atMs - b.atMs);
  return out;
}

/** A film or the first episode of a series, preferring the profile's genres. */
function likedTitle(rng: Random, profile: ProfilePlan, catalogue: DemoCatalogue): Title {
  for (let attempt = 0; ; attempt++) {
    const title = rng.chance(0.5) ? rng.pick(catalogue.films) : rng.pick(catalogue.series).episodes[0];
    if (attempt >= 6 || title.genres?.some((g) => profile.tasteGenres.includes(g))) return title;
  }
}

/** What people type: the start of a name, or a genre. */
function searchQuery(rng: Random, title: Title): string {
  if (rng.chance(0.2)) return rng.pick(title.genres ?? ['comedy']);
  const name = (title.seriesName ?? title.name).toLowerCase().replace(/^the /, '');
  return name.slice(0, rng.int(3, Math.min(14, name.length)));
}
