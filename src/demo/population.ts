// The seeded synthetic population: catalogue, members, profiles, devices and planted cases up
// front (cheap), playback events streamed member by member (memory stays flat however many).

import type { Device, Member, PlaybackEvent, Profile, Title } from '../domain/model.js';
import { type DemoCatalogue, buildCatalogue } from './catalogue.js';
import { type MemberPlan, planMember } from './household.js';
import { type DemoOptions, type DemoOptionsInput, type DemoPeriod, DemoOptionsError, parseDemoOptions, periodOf } from './options.js';
import { type PlantedCases, describePlanted, plantRoleOf, plantedSittings, racerSitting } from './planted.js';
import { Player } from './player.js';
import { randomFor, seedTag } from './random.js';
import { type MemberSignals, memberSignals } from './signals.js';
import { ProfileViewer } from './viewing.js';

export type { DemoCatalogue, DemoSeries, Landmarks } from './catalogue.js';
export { DemoOptionsError, demoOptionsSchema, parseDemoOptions } from './options.js';
export type { DemoOptions, DemoOptionsInput, DemoPeriod } from './options.js';
export type { DayWindow, PlantedCases } from './planted.js';
export type { MemberSignals } from './signals.js';

/** A half-open range of member indexes, to generate a slice (a shard, a test). */
export interface MemberRange {
  fromMember?: number;
  toMember?: number;
}

export interface Population {
  options: DemoOptions;
  period: DemoPeriod;
  catalogue: Title[];
  /** Series, films, supplemental videos per parent and the landmark titles. */
  catalogueIndex: DemoCatalogue;
  members: Member[];
  profiles: Profile[];
  devices: Device[];
  planted: PlantedCases;
  /** Playback events in batches of about options.batchSize; ordered by member, profile, then time. */
  eventBatches(range?: MemberRange): Generator<PlaybackEvent[], void, undefined>;
  /** The same events one by one (convenient; batches are faster). */
  events(range?: MemberRange): Generator<PlaybackEvent, void, undefined>;
  /** Searches, thumbs and onboarding picks, one member at a time. */
  signals(range?: MemberRange): Generator<MemberSignals, void, undefined>;
}

export function generatePopulation(input: DemoOptionsInput = {}): Population {
  const options = parseDemoOptions(input);
  const period = periodOf(options);
  const catalogue = buildCatalogue(options.seed, period);
  const tag = seedTag(options.seed);
  const plan = (index: number): MemberPlan => planMember(options.seed, index, period, catalogue, plantRoleOf(index, options.plantCases));

  const members: Member[] = [];
  const profiles: Profile[] = [];
  const devices: Device[] = [];
  const racers: string[] = [];
  for (let i = 0; i < options.members; i++) {
    const p = plan(i);
    members.push(p.member);
    for (const d of p.devices) devices.push(d.device);
    for (const pp of p.profiles) {
      profiles.push(pp.profile);
      if (pp.racer && options.plantCases) racers.push(pp.profile.profileId);
    }
  }
  const planted = describePlanted(options.members, options.plantCases, period, catalogue, racers);

  const bounds = (range: MemberRange = {}): [number, number] => {
    const from = range.fromMember ?? 0;
    const to = range.toMember ?? options.members;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > options.members || from > to) {
      throw new DemoOptionsError([`range: members [${from}, ${to}) is not inside [0, ${options.members})`]);
    }
    return [from, to];
  };

  function* eventBatches(range?: MemberRange): Generator<PlaybackEvent[], void, undefined> {
    const [from, to] = bounds(range);
    let batch: PlaybackEvent[] = [];
    for (let i = from; i < to; i++) {
      const member = plan(i);
      const rng = randomFor(options.seed, 'viewing', i);
      const player = new Player(`${tag}-${i.toString(36)}-`, member.zone, member.member.country, options.heartbeatS, rng);
      player.batch = batch;
      for (const profile of member.profiles) {
        const fixed = profile.plant ? plantedSittings(profile.plant, member.zone, period, catalogue, rng) : [];
        if (profile.racer && options.plantCases) fixed.push(racerSitting(catalogue, rng));
        fixed.sort((a, b) => a.startMs - b.startMs);
        const viewer = new ProfileViewer(profile, member, player, rng, catalogue, period, fixed);
        for (let day = period.firstDayNumber; day <= period.lastDayNumber; day++) {
          viewer.runDay(day);
          if (player.batch.length >= options.batchSize) {
            yield player.batch;
            player.batch = batch = [];
          }
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  function* events(range?: MemberRange): Generator<PlaybackEvent, void, undefined> {
    for (const batch of eventBatches(range)) yield* batch;
  }

  function* signals(range?: MemberRange): Generator<MemberSignals, void, undefined> {
    const [from, to] = bounds(range);
    for (let i = from; i < to; i++) yield memberSignals(options.seed, tag, plan(i), catalogue, period);
  }

  return { options, period, catalogue: catalogue.titles, catalogueIndex: catalogue, members, profiles, devices, planted, eventBatches, events, signals };
}
