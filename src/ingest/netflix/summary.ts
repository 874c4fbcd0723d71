// What one import of ViewingActivity.csv produced: the domain records to store, the rows that
// were skipped and why, and totals per profile to show the member (and to check an import
// against the file by hand).

import type { Device, PlaybackEvent, Profile, Title } from '../../domain/model.js';
import type { NetflixSkip } from './errors.js';
import type { NetflixRowResult } from './parse.js';
import { memberIdOf } from './parse.js';
import { memberNameOf, readViewingActivityBatches, readViewingActivityText, type ReadOptions, type ViewingActivityInput } from './read.js';

export interface ProfileTotals {
  profileId: string;
  name: string;
  rows: number;
  /** Sum of the Duration column over all the profile's rows, supplemental videos included. */
  durationS: number;
  /** Sum of Duration over rows that are not supplemental videos (what insights count). */
  viewingS: number;
  supplementalRows: number;
  hiddenRows: number;
}

export interface NetflixImport {
  memberId: string;
  memberName: string;
  /** Data rows read (imported + skipped); blank lines are not rows. */
  rows: number;
  imported: number;
  skipped: NetflixSkip[];
  profiles: Profile[];
  titles: Title[];
  devices: Device[];
  /** Two per imported row (start, stop); empty when the summary was told not to keep them. */
  events: PlaybackEvent[];
  /** playbackIds of views the export marks "View was hidden". */
  hiddenPlaybackIds: string[];
  totals: ProfileTotals[];
}

export interface SummaryOptions {
  /** Keep every event in memory (default true). Importers that store rows as they stream pass false. */
  keepEvents?: boolean;
}

/** Accumulates row results, in any number of calls, into a NetflixImport. */
export class NetflixImportSummary {
  private rows = 0;
  private imported = 0;
  private readonly skipped: NetflixSkip[] = [];
  private readonly profiles = new Map<string, Profile>();
  private readonly titles = new Map<string, Title>();
  private readonly devices = new Map<string, Device>();
  private readonly events: PlaybackEvent[] = [];
  private readonly hidden: string[] = [];
  private readonly totals = new Map<string, ProfileTotals>();
  private readonly keepEvents: boolean;

  constructor(
    private readonly memberName: string,
    options: SummaryOptions = {},
  ) {
    this.keepEvents = options.keepEvents ?? true;
  }

  add(result: NetflixRowResult): void {
    this.rows += 1;
    if (!result.ok) {
      this.skipped.push(result.skip);
      return;
    }
    const { row } = result;
    this.imported += 1;
    const { profile, title, device } = row;
    if (!this.profiles.has(profile.profileId)) this.profiles.set(profile.profileId, profile);
    if (!this.titles.has(title.titleId)) this.titles.set(title.titleId, title);
    if (!this.devices.has(device.deviceId)) this.devices.set(device.deviceId, device);
    if (this.keepEvents) this.events.push(row.events[0], row.events[1]);
    if (row.hidden) this.hidden.push(row.events[0].playbackId);
    let totals = this.totals.get(profile.profileId);
    if (totals === undefined) {
      totals = { profileId: profile.profileId, name: profile.name, rows: 0, durationS: 0, viewingS: 0, supplementalRows: 0, hiddenRows: 0 };
      this.totals.set(profile.profileId, totals);
    }
    totals.rows += 1;
    totals.durationS += row.durationS;
    if (title.kind === 'supplemental') totals.supplementalRows += 1;
    else totals.viewingS += row.durationS;
    if (row.hidden) totals.hiddenRows += 1;
  }

  addAll(results: Iterable<NetflixRowResult>): void {
    for (const result of results) this.add(result);
  }

  finish(): NetflixImport {
    return {
      memberId: memberIdOf(this.memberName),
      memberName: this.memberName,
      rows: this.rows,
      imported: this.imported,
      skipped: [...this.skipped],
      profiles: [...this.profiles.values()],
      titles: [...this.titles.values()],
      devices: [...this.devices.values()],
      events: [...this.events],
      hiddenPlaybackIds: [...this.hidden],
      totals: [...this.totals.values()].map((t) => ({ ...t })),
    };
  }
}

/** Reads a whole export (file path or stream) into a NetflixImport, streaming. */
export async function importViewingActivity(input: ViewingActivityInput, options: ReadOptions & SummaryOptions = {}): Promise<NetflixImport> {
  const summary = new NetflixImportSummary(memberNameOf(input, options.member), options);
  for await (const batch of readViewingActivityBatches(input, options)) summary.addAll(batch);
  return summary.finish();
}

/** The same for an export held in memory (tests). */
export function importViewingActivityText(text: string, options: ReadOptions & SummaryOptions & { member: string }): NetflixImport {
  const summary = new NetflixImportSummary(options.member, options);
  summary.addAll(readViewingActivityText(text, options));
  return summary.finish();
}
