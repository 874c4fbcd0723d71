// A small literal world for recommendation tests: a catalogue of films in taste groups and two
// series, members with one profile each whose completed views follow their group, written to a
// real store as views (the history pipeline is tested elsewhere; here views are the input).

import type { Title, View } from '../domain/model.js';
import { addMember, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';

export const DAY = 86_400_000;

/** Four taste groups of four films each; each group has its own genre. */
export const GROUPS = [
  { genre: 'drama', films: ['f01', 'f02', 'f03', 'f04'] },
  { genre: 'comedy', films: ['f05', 'f06', 'f07', 'f08'] },
  { genre: 'horror', films: ['f09', 'f10', 'f11', 'f12'] },
  { genre: 'documentary', films: ['f13', 'f14', 'f15', 'f16'] },
] as const;

export function worldTitles(): Title[] {
  const films: Title[] = GROUPS.flatMap((g) => g.films.map((id) => ({ titleId: id, kind: 'movie' as const, name: `Film ${id.slice(1)}`, runtimeS: 5400, genres: [g.genre] })));
  const episodes: Title[] = [1, 2, 3].flatMap((n) => [
    { titleId: `sA-e${n}`, kind: 'episode' as const, name: `Harbour Lights ${n}`, runtimeS: 2700, seriesId: 'sA', seriesName: 'Harbour Lights', season: 1, episode: n, genres: ['drama'] },
    { titleId: `sB-e${n}`, kind: 'episode' as const, name: `Moon Bakery ${n}`, runtimeS: 1800, seriesId: 'sB', seriesName: 'Moon Bakery', season: 1, episode: n, genres: ['comedy', 'family'] },
  ]);
  const trailer: Title = { titleId: 'trailer-1', kind: 'supplemental', name: 'Trailer', runtimeS: 120, supplementalType: 'trailer' };
  return [...films, ...episodes, trailer];
}

let viewCounter = 0;
export function view(profileId: string, titleId: string, endMs: number, options: Partial<View> = {}): View {
  const day = new Date(endMs).toISOString().slice(0, 10);
  return {
    viewId: `v${++viewCounter}`,
    profileId,
    titleId,
    kind: titleId.startsWith('s') ? 'episode' : titleId.startsWith('trailer') ? 'supplemental' : 'movie',
    startMs: endMs - 3_600_000,
    endMs,
    watchedS: 3600,
    furthestS: 3600,
    bookmarkS: 3600,
    completed: true,
    rewatch: false,
    autoplayed: false,
    endedByTimeout: false,
    interacted: true,
    sessions: 1,
    deviceId: 'tv',
    country: 'MX',
    offsetMin: 0,
    day,
    days: [{ day, watchedS: 3600 }],
    hidden: false,
    ...options,
  };
}

export interface World {
  /** Ordinary members: `perGroup` per taste group, in `country`, each completing three films of the group (rotating). */
  crowd: TestMember[];
}

/** Loads the catalogue and a crowd of members whose profiles each completed 3 of their group's 4 films and the group's series. */
export async function loadWorld(server: PrivacyTestServer, options: { perGroup?: number; country?: string } = {}): Promise<World> {
  const titles = worldTitles();
  await server.store.putTitles(titles);
  server.context.catalogue.add(titles);
  const perGroup = options.perGroup ?? 6;
  const crowd: TestMember[] = [];
  const work = [];
  const now = server.clock.nowMs;
  for (const [g, group] of GROUPS.entries()) {
    for (let n = 0; n < perGroup; n++) {
      const member = await addMember(server, options.country ?? 'MX');
      crowd.push(member);
      const films = group.films.filter((_, i) => i !== n % 4);
      const views = films.map((f, i) => view(member.profileId, f, now - (i + 2) * DAY));
      if (g === 0) views.push(view(member.profileId, 'sA-e1', now - 5 * DAY));
      if (g === 1) views.push(view(member.profileId, 'sB-e1', now - 5 * DAY));
      work.push({ profileId: member.profileId, fromMs: -Infinity, views });
    }
  }
  await server.store.replaceViews(work);
  return { crowd };
}
