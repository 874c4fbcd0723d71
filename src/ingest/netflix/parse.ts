// From CSV records to binge's domain: each data row of ViewingActivity.csv becomes one playback
// (a `start` and a `stop` event) with its Profile, Title and Device, or a skip with the line
// and a reason. Pure: no I/O here (read.ts feeds the records).

import { effectiveOffsetMin, localDay } from '../../domain/time.js';
import type { Device, PlaybackEvent, Profile, Title } from '../../domain/model.js';
import { parseAttributes, type Attributes } from './attributes.js';
import { indexColumns, type ColumnIndex } from './columns.js';
import type { CsvRecord } from './csv-records.js';
import { deviceKindOf } from './devices.js';
import type { NetflixSkip, RowErrorCode } from './errors.js';
import { rowIds, shortId } from './ids.js';
import { DigestSet } from './row-digests.js';
import { detectStartTimeFormat, parseClockSeconds, parseStartTime, type StartTimeFormat } from './timestamps.js';
import { splitTitle } from './title-parts.js';

export interface NetflixImportOptions {
  /** Member the export belongs to (CLI --member); read.ts defaults it to the file name. */
  member: string;
  /**
   * ISO 3166-1 country for every row: the member's country, whose main zone gives local days.
   * Default: each row's Country column ("CA (Canada)" gives CA), else 'US'.
   */
  country?: string;
}

/** Country when neither the option nor the row's Country column gives one. */
export const FALLBACK_COUNTRY = 'US';

/** Rows read before the Start Time format is chosen (the format most of them match). */
export const FORMAT_SAMPLE_ROWS = 20;

export const NOT_LATEST_VIEW = 'Not latest view';

/** Netflix's names of supplemental types, mapped to binge's; others are kept lower-cased. */
export const SUPPLEMENTAL_TYPE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  TRAILER: 'trailer',
  TEASER_TRAILER: 'teaser',
  HOOK: 'hook',
  RECAP: 'recap',
  PROMOTIONAL: 'promotional',
});

export interface NetflixViewingRow {
  line: number;
  profile: Profile;
  title: Title;
  device: Device;
  /** The export's Device Type, as written. */
  deviceType: string;
  /** Episode name when the title was split (Title has no field for it). */
  episodeName: string | undefined;
  /** [start at Start Time, stop at Start Time + Duration]. */
  events: [PlaybackEvent, PlaybackEvent];
  startMs: number;
  durationS: number;
  bookmarkS: number;
  /** False when Latest Bookmark says "Not latest view": a newer view of the title exists. */
  latestView: boolean;
  /** The export says "View was hidden": the member hid it from viewing history. */
  hidden: boolean;
  branched: boolean;
  country: string;
  /** Local calendar day of Start Time in the country's main zone. */
  day: string;
}

export interface TitleEntry {
  title: Title;
  episodeName: string | undefined;
}

export type NetflixRowResult = { ok: true; row: NetflixViewingRow } | { ok: false; skip: NetflixSkip };

/** Turns the records of one file, in order, into row results. */
export class ViewingActivityParser {
  readonly memberId: string;
  private columns: ColumnIndex | null = null;
  private headerLength = 0;
  private format: StartTimeFormat | null = null;
  private sampling: CsvRecord[] | null = [];
  private readonly profiles = new Map<string, Profile>();
  /** Per supplemental type ('' for none), per title name. */
  private readonly titles = new Map<string, Map<string, TitleEntry>>();
  private lastTitle: { name: string; type: string; entry: TitleEntry } | null = null;
  private readonly devices = new Map<string, Device>();
  private readonly attributes = new Map<string, Attributes>();
  private readonly countries = new Map<string, string>();
  /** playbackIds seen; repeats of an identical row get an occurrence number in their ids. */
  private readonly seen = new DigestSet();
  private readonly repeats = new Map<string, number>();

  constructor(private readonly options: NetflixImportOptions) {
    this.memberId = memberIdOf(options.member);
  }

  /** The Start Time format chosen for this file, once known. */
  get startTimeFormat(): StartTimeFormat | null {
    return this.format;
  }

  /** Appends to `out` the results of the rows this record completes (none while the format sample is read). */
  accept(record: CsvRecord, out: NetflixRowResult[]): void {
    if (isBlankLine(record)) return;
    if (this.columns === null) {
      this.columns = indexColumns(record.fields);
      this.headerLength = record.fields.length;
      return;
    }
    if (this.sampling !== null) {
      this.sampling.push(record);
      if (this.sampling.length >= FORMAT_SAMPLE_ROWS) this.endSample(out);
      return;
    }
    out.push(this.rowOf(record));
  }

  /** Appends the results still held at the end of the file. */
  end(out: NetflixRowResult[]): void {
    if (this.sampling !== null) this.endSample(out);
  }

  /** True once the header line has been read. */
  get sawHeader(): boolean {
    return this.columns !== null;
  }

  private endSample(out: NetflixRowResult[]): void {
    const sample = this.sampling ?? [];
    this.sampling = null;
    const columns = this.columns as ColumnIndex;
    this.format = detectStartTimeFormat(
      sample.filter((r) => r.fields.length === this.headerLength).map((r) => r.fields[columns.startTime]),
    );
    for (const record of sample) out.push(this.rowOf(record));
  }

  private rowOf(record: CsvRecord): NetflixRowResult {
    const columns = this.columns as ColumnIndex;
    const f = record.fields;
    if (record.problem !== undefined) return skipOf(record, 'BINGE_NETFLIX_BAD_QUOTES', `${record.problem}; fix the quoting of this row`);
    if (f.length !== this.headerLength) {
      return skipOf(
        record,
        'BINGE_NETFLIX_FIELD_COUNT',
        `${f.length} fields where the header has ${this.headerLength}; a field holding a comma must be in double quotes`,
      );
    }
    const profileName = f[columns.profileName];
    if (profileName.trim() === '') return skipOf(record, 'BINGE_NETFLIX_BLANK_PROFILE', 'Profile Name is blank; write the profile the view belongs to');

    const startText = f[columns.startTime];
    if (this.format === null) this.format = detectStartTimeFormat([startText]);
    const startMs = this.format === null ? null : parseStartTime(startText, this.format);
    if (startMs === null) {
      const expected = this.format === null ? 'YYYY-MM-DD H:MM:SS or M/D/YYYY H:MM' : `${this.format}, the format of this file's first rows`;
      return skipOf(record, 'BINGE_NETFLIX_BAD_START_TIME', `Start Time "${startText}" is not a valid UTC time as ${expected}; write it in that format`);
    }
    const durationS = parseClockSeconds(f[columns.duration]);
    if (durationS === null) {
      return skipOf(record, 'BINGE_NETFLIX_BAD_DURATION', `Duration "${f[columns.duration]}" is not H:MM:SS (hours may pass 24, e.g. 25:03:11)`);
    }
    const bookmarkText = columns.bookmark === -1 ? '' : f[columns.bookmark];
    // No Bookmark: the position is unknown, so the view is taken to run from 0 to its duration.
    const bookmarkS = bookmarkText.trim() === '' ? durationS : parseClockSeconds(bookmarkText);
    if (bookmarkS === null) {
      return skipOf(record, 'BINGE_NETFLIX_BAD_BOOKMARK', `Bookmark "${bookmarkText}" is not H:MM:SS; write the position reached, or leave it blank`);
    }
    const attributes = this.attributesOf(columns.attributes === -1 ? '' : f[columns.attributes]);
    const titleName = f[columns.title];
    if (titleName.trim() === '' && !attributes.hidden) {
      return skipOf(record, 'BINGE_NETFLIX_BLANK_TITLE', 'Title is blank but the view is not marked "View was hidden;"; write the title');
    }
    const supplementalType = columns.supplementalVideoType === -1 ? '' : f[columns.supplementalVideoType].trim();
    const deviceType = columns.deviceType === -1 ? '' : f[columns.deviceType];
    const latestText = columns.latestBookmark === -1 ? '' : f[columns.latestBookmark];
    const country = this.options.country ?? this.countryOf(columns.country === -1 ? '' : f[columns.country]);

    const profile = this.profileOf(profileName);
    const entry = this.titleOf(titleName, supplementalType);
    const device = this.deviceOf(deviceType);
    const ids = this.idsOf(profileName, startMs, durationS, bookmarkS, titleName, supplementalType, deviceType);
    const start: PlaybackEvent = {
      eventId: ids.startEventId,
      playbackId: ids.playbackId,
      profileId: profile.profileId,
      titleId: entry.title.titleId,
      type: 'start',
      positionS: Math.max(0, bookmarkS - durationS),
      atMs: startMs,
      offsetMin: null,
      deviceId: device.deviceId,
      country,
      autoplayed: attributes.autoplayed,
      userAction: attributes.userAction,
    };
    const stop: PlaybackEvent = {
      eventId: ids.stopEventId,
      playbackId: ids.playbackId,
      profileId: profile.profileId,
      titleId: entry.title.titleId,
      type: 'stop',
      positionS: bookmarkS,
      atMs: startMs + durationS * 1000,
      offsetMin: null,
      deviceId: device.deviceId,
      country,
      autoplayed: attributes.autoplayed,
      userAction: attributes.userAction,
    };
    const row: NetflixViewingRow = {
      line: record.line,
      profile,
      title: entry.title,
      device,
      deviceType,
      episodeName: entry.episodeName,
      events: [start, stop],
      startMs,
      durationS,
      bookmarkS,
      latestView: !isNotLatestView(latestText),
      hidden: attributes.hidden,
      branched: attributes.branched,
      country,
      day: localDay(startMs, effectiveOffsetMin(startMs, null, country)),
    };
    return { ok: true, row };
  }

  private idsOf(profileName: string, startMs: number, durationS: number, bookmarkS: number, title: string, type: string, device: string) {
    const values = `${this.memberId}\u001f${profileName}\u001f${startMs}\u001f${durationS}\u001f${bookmarkS}\u001f${title}\u001f${type}\u001f${device}`;
    const first = rowIds(values);
    // Identical rows do happen (two 3-second plays in the same minute); the k-th repeat gets k
    // in its ids, which stays the same when the file is imported again.
    const digest = first.playbackId;
    if (this.seen.add(digest)) return first;
    const occurrence = (this.repeats.get(digest) ?? 0) + 1;
    this.repeats.set(digest, occurrence);
    return rowIds(`${values}\u001frepeat ${occurrence}`);
  }

  // The per-value mappings below are also what the bulk path (sql-import.ts) asks for each distinct value.
  attributesOf(text: string): Attributes {
    let attributes = this.attributes.get(text);
    if (attributes === undefined) {
      attributes = parseAttributes(text);
      this.attributes.set(text, attributes);
    }
    return attributes;
  }

  /** The row's country: the option when given, else its Country column. */
  rowCountry(text: string): string {
    return this.options.country ?? this.countryOf(text);
  }

  countryOf(text: string): string {
    let country = this.countries.get(text);
    if (country === undefined) {
      const m = /^\s*([A-Za-z]{2})\b/.exec(text);
      country = m === null ? FALLBACK_COUNTRY : m[1].toUpperCase();
      this.countries.set(text, country);
    }
    return country;
  }

  profileOf(name: string): Profile {
    let profile = this.profiles.get(name);
    if (profile === undefined) {
      profile = { profileId: shortId('profile', this.memberId, name), memberId: this.memberId, name };
      this.profiles.set(name, profile);
    }
    return profile;
  }

  private titleOf(name: string, supplementalType: string): TitleEntry {
    // Rows of one title often follow each other (resumes); comparing is cheaper than hashing.
    if (this.lastTitle !== null && name === this.lastTitle.name && supplementalType === this.lastTitle.type) return this.lastTitle.entry;
    const entry = this.titleEntryOf(name, supplementalType);
    this.lastTitle = { name, type: supplementalType, entry };
    return entry;
  }

  titleEntryOf(name: string, supplementalType: string): TitleEntry {
    let byName = this.titles.get(supplementalType);
    if (byName === undefined) {
      byName = new Map();
      this.titles.set(supplementalType, byName);
    }
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = titleRecordOf(name, supplementalType);
      byName.set(name, entry);
    }
    return entry;
  }

  deviceOf(deviceType: string): Device {
    let device = this.devices.get(deviceType);
    if (device === undefined) {
      device = { deviceId: shortId('device', this.memberId, deviceType), memberId: this.memberId, kind: deviceKindOf(deviceType) };
      this.devices.set(deviceType, device);
    }
    return device;
  }
}

export function memberIdOf(memberName: string): string {
  return shortId('member', memberName);
}

/** The Title of a Netflix title name: supplemental by its column, else an episode when certain, else a movie. */
export function titleRecordOf(name: string, supplementalType: string): TitleEntry {
  if (supplementalType !== '') {
    const type = SUPPLEMENTAL_TYPE_NAMES[supplementalType.toUpperCase()] ?? supplementalType.toLowerCase();
    return { title: { titleId: shortId('title', name, `supplemental:${type}`), kind: 'supplemental', name, runtimeS: null, supplementalType: type }, episodeName: undefined };
  }
  const titleId = shortId('title', name);
  const parts = splitTitle(name);
  if (parts === null) return { title: { titleId, kind: 'movie', name, runtimeS: null }, episodeName: undefined };
  const title: Title = { titleId, kind: 'episode', name, runtimeS: null, seriesId: shortId('series', parts.series), seriesName: parts.series };
  if (parts.season !== undefined) title.season = parts.season;
  if (parts.episode !== undefined) title.episode = parts.episode;
  return { title, episodeName: parts.episodeName };
}

function skipOf(record: CsvRecord, code: RowErrorCode, reason: string): NetflixRowResult {
  return { ok: false, skip: { line: record.line, code, reason: `line ${record.line}: ${reason}` } };
}

function isNotLatestView(text: string): boolean {
  if (text === NOT_LATEST_VIEW) return true;
  return text.length >= NOT_LATEST_VIEW.length && text.trim().toLowerCase() === NOT_LATEST_VIEW.toLowerCase();
}

function isBlankLine(record: CsvRecord): boolean {
  return record.fields.length === 1 && record.fields[0].trim() === '' && record.problem === undefined;
}
