// Members (households), their profiles and devices, and each profile's habits. Drawn from the
// member's own random stream, so member 12 is the same whatever the population size.

import type { Device, Member, Profile } from '../domain/model.js';
import { MAX_PROFILES } from '../domain/model.js';
import { COUNTRY_ZONES } from '../domain/time.js';
import type { DemoCatalogue, DemoSeries } from './catalogue.js';
import type { DemoPeriod } from './options.js';
import { randomFor } from './random.js';
import type { PlantRole } from './planted.js';

const DAY_MS = 86_400_000;

/** Relative weights of member countries (each one a key of COUNTRY_ZONES; a country added there later does not change seeded populations). */
const COUNTRY_WEIGHTS: Readonly<Record<string, number>> = {
  US: 20, CA: 4, MX: 5, BR: 8, AR: 2, CL: 1, CO: 2, PE: 1, GB: 6, IE: 1, FR: 5, DE: 5, ES: 4, IT: 4, NL: 2,
  SE: 1, PL: 2, PT: 1, TR: 2, IN: 5, JP: 3, KR: 3, PH: 2, ID: 2, TH: 1, AU: 3, NZ: 1, ZA: 1, NG: 1, EG: 1,
};
const COUNTRIES = Object.keys(COUNTRY_WEIGHTS);
const COUNTRY_WEIGHT_LIST = COUNTRIES.map((c) => COUNTRY_WEIGHTS[c]);
for (const c of COUNTRIES) if (COUNTRY_ZONES[c] === undefined) throw new Error(`demo country ${c} has no zone in COUNTRY_ZONES`);

export const DEVICE_KINDS = ['tv', 'phone', 'tablet', 'browser', 'console'] as const;
const DEVICE_WEIGHTS = [5, 3, 2, 2, 1];
const PROFILE_COUNT_WEIGHTS = [25, 30, 20, 15, 10]; // 1..5 profiles
const PROFILE_NAMES = ['Alex', 'Sam', 'Robin', 'Kim', 'Noor', 'Lea', 'Tomás', 'Yuki', 'Ama', 'Priya', 'Jonas', 'Mei', 'Ola', 'Rafa', 'Zoe', 'Ivan'];
/** Share of devices whose player does not report its UTC offset (offsetMin null). */
const NO_OFFSET_DEVICE_SHARE = 0.04;
/** Share of ordinary profiles that race through the new season on release. */
const RACER_SHARE = 0.03;

export interface DevicePlan {
  device: Device;
  reportsOffset: boolean;
}

export interface ProfilePlan {
  profile: Profile;
  /** Position of the profile in its member (0-based). */
  slot: number;
  kids: boolean;
  /** Probability of watching on a weekday; weekends are higher. */
  appetite: number;
  /** Typical minutes of viewing on a day with viewing. */
  minutesPerDay: number;
  /** Shifts the evening peak, in hours. */
  rhythmShiftH: number;
  /** Mean minutes of playing between two pauses or seeks. */
  fidgetMin: number;
  /** Devices this profile uses, the first most often. */
  deviceIndexes: number[];
  tasteGenres: string[];
  /** Series in progress at the start of the period, with the next episode (index into episodes). */
  follows: Array<{ seriesIndex: number; next: number }>;
  /** Races through the new season of the racer series on its release. */
  racer: boolean;
  plant: PlantRole | null;
}

export interface MemberPlan {
  index: number;
  member: Member;
  zone: string;
  /** First local day (day number) the member may watch. */
  firstDayNumber: number;
  profiles: ProfilePlan[];
  devices: DevicePlan[];
}

export function memberId(index: number): string {
  return `m${String(index).padStart(6, '0')}`;
}

export function planMember(
  seed: string,
  index: number,
  period: DemoPeriod,
  catalogue: DemoCatalogue,
  plant: PlantRole | null,
): MemberPlan {
  const rng = randomFor(seed, 'member', index);
  const id = memberId(index);
  const country = COUNTRIES[rng.weighted(COUNTRY_WEIGHT_LIST)];
  const zone = COUNTRY_ZONES[country];
  const periodStartMs = period.firstDayNumber * DAY_MS;
  // Most members joined before the period; some join during it. Planted members are there from the start.
  const joinsDuring = plant === null && period.days > 1 && rng.chance(0.1);
  const createdAtMs = joinsDuring
    ? periodStartMs + rng.int(0, period.days - 1) * DAY_MS + rng.int(0, 86_399) * 1000
    : periodStartMs - rng.int(1, 2500) * DAY_MS - rng.int(0, 86_399) * 1000;
  const member: Member = { memberId: id, country, createdAtMs };
  const firstDayNumber = Math.max(period.firstDayNumber, Math.floor(createdAtMs / DAY_MS) + 1);

  if (plant === 'shop') {
    return {
      index,
      member,
      zone,
      firstDayNumber,
      devices: [{ device: { deviceId: `${id}-d1`, memberId: id, kind: 'tv' }, reportsOffset: true }],
      profiles: [
        {
          profile: { profileId: `${id}-p1`, memberId: id, name: 'Shop window' },
          slot: 0,
          kids: false,
          appetite: 0,
          minutesPerDay: 0,
          rhythmShiftH: 0,
          fidgetMin: Infinity,
          deviceIndexes: [0],
          tasteGenres: ['documentary'],
          follows: [],
          racer: false,
          plant,
        },
      ],
    };
  }

  const deviceCount = rng.int(1, 4);
  const devices: DevicePlan[] = Array.from({ length: deviceCount }, (_, k) => ({
    device: { deviceId: `${id}-d${k + 1}`, memberId: id, kind: DEVICE_KINDS[k === 0 ? 0 : rng.weighted(DEVICE_WEIGHTS)] },
    reportsOffset: !rng.chance(NO_OFFSET_DEVICE_SHARE),
  }));
  const profileCount = Math.min(MAX_PROFILES, 1 + rng.weighted(PROFILE_COUNT_WEIGHTS));
  const racerPossible = catalogue.landmarks.racerReleaseMs + DAY_MS < (period.lastDayNumber + 1) * DAY_MS;
  const profiles: ProfilePlan[] = [];
  for (let slot = 0; slot < profileCount; slot++) {
    const kids = slot > 0 && rng.chance(0.2);
    const profilePlant = slot === 0 ? plant : null;
    const tasteGenres = kids ? ['kids', 'animation', 'family'] : [rng.pick(catalogue.series).genres[0], rng.pick(catalogue.films).genres?.[0] ?? 'drama'];
    const primary = rng.int(0, deviceCount - 1);
    profiles.push({
      profile: { profileId: `${id}-p${slot + 1}`, memberId: id, name: kids ? `${rng.pick(PROFILE_NAMES)} (Kids)` : rng.pick(PROFILE_NAMES) },
      slot,
      kids,
      appetite: rng.between(0.25, 0.8),
      minutesPerDay: rng.between(40, 180),
      rhythmShiftH: kids ? -3 : rng.int(-1, 1),
      fidgetMin: rng.between(15, 120),
      deviceIndexes: [primary, ...Array.from({ length: deviceCount }, (_, k) => k).filter((k) => k !== primary)],
      tasteGenres,
      follows: initialFollows(rng.int(1, 3), catalogue.series, tasteGenres, () => rng.next()),
      racer: profilePlant === null && racerPossible && createdAtMs < catalogue.landmarks.racerReleaseMs && rng.chance(RACER_SHARE),
      plant: profilePlant,
    });
  }
  return { index, member, zone, firstDayNumber, profiles, devices };
}

function initialFollows(
  count: number,
  series: readonly DemoSeries[],
  tasteGenres: readonly string[],
  next: () => number,
): Array<{ seriesIndex: number; next: number }> {
  const follows: Array<{ seriesIndex: number; next: number }> = [];
  for (let attempt = 0; follows.length < count && attempt < 20; attempt++) {
    const seriesIndex = Math.floor(next() * series.length);
    const s = series[seriesIndex];
    if (follows.some((f) => f.seriesIndex === seriesIndex)) continue;
    if (attempt < 10 && !s.genres.some((g) => tasteGenres.includes(g))) continue;
    // People are somewhere in a series when the period starts.
    follows.push({ seriesIndex, next: next() < 0.4 ? 0 : Math.floor(next() * s.episodes.length * 0.7) });
  }
  return follows;
}
