// UTC offsets of a zone, fast enough for every event of a load, import or demo. Asking Intl
// costs microseconds, so it is asked rarely: offsets change at most once a day, on the hour, so
// one entry per zone and UTC day (three probes per block of days, a binary search on days with a
// change) gives the same answers as asking Intl at every instant (zone-clock.test.ts checks it).
// domain/time.ts's zoneOffsetMin goes through here; nothing else should ask Intl for offsets.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The offset of `zone` at `atMs` straight from Intl (exact, slow): the clock's only source. */
export function probeZoneOffsetMin(zone: string, atMs: number): number {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  const probe = Math.floor(atMs / 60_000) * 60_000;
  const parts = Object.fromEntries(formatter.formatToParts(probe).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
  return Math.round((asUtc - probe) / 60_000);
}

const zoneOffsetMin = probeZoneOffsetMin;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Days settled by three probes (start, middle, end) when they agree: no zone changes and changes back within 8 days. */
const BLOCK_DAYS = 16;

/** An interval [fromMs, toMs) on which the zone's offset is constant. */
export interface OffsetSpan {
  offsetMin: number;
  fromMs: number;
  toMs: number;
}

interface DayEntry {
  startOffset: number;
  endOffset: number;
  /** Instant the offset changes within the day, or Infinity. */
  switchMs: number;
}

export class ZoneClock {
  private readonly days = new Map<number, DayEntry>();

  constructor(readonly zone: string) {}

  offsetAt(atMs: number): number {
    const entry = this.entry(Math.floor(atMs / DAY_MS));
    return atMs < entry.switchMs ? entry.startOffset : entry.endOffset;
  }

  span(atMs: number): OffsetSpan {
    const day = Math.floor(atMs / DAY_MS);
    const entry = this.entry(day);
    const dayStart = day * DAY_MS;
    if (entry.switchMs === Infinity) return { offsetMin: entry.startOffset, fromMs: dayStart, toMs: dayStart + DAY_MS };
    return atMs < entry.switchMs
      ? { offsetMin: entry.startOffset, fromMs: dayStart, toMs: entry.switchMs }
      : { offsetMin: entry.endOffset, fromMs: entry.switchMs, toMs: dayStart + DAY_MS };
  }

  private entry(day: number): DayEntry {
    const entry = this.days.get(day);
    if (entry) return entry;
    this.fillBlock(day - (((day % BLOCK_DAYS) + BLOCK_DAYS) % BLOCK_DAYS));
    return this.days.get(day) as DayEntry;
  }

  /** Zones change offset a few times a year: three probes usually settle a block of days. */
  private fillBlock(firstDay: number): void {
    const first = zoneOffsetMin(this.zone, firstDay * DAY_MS);
    const middle = zoneOffsetMin(this.zone, (firstDay + BLOCK_DAYS / 2) * DAY_MS);
    const last = zoneOffsetMin(this.zone, (firstDay + BLOCK_DAYS) * DAY_MS - HOUR_MS);
    if (first === middle && middle === last) {
      const steady: DayEntry = { startOffset: first, endOffset: first, switchMs: Infinity };
      for (let d = firstDay; d < firstDay + BLOCK_DAYS; d++) this.days.set(d, steady);
      return;
    }
    for (let d = firstDay; d < firstDay + BLOCK_DAYS; d++) this.days.set(d, this.probeDay(d));
  }

  private probeDay(day: number): DayEntry {
    const dayStart = day * DAY_MS;
    const startOffset = zoneOffsetMin(this.zone, dayStart);
    const endOffset = zoneOffsetMin(this.zone, dayStart + 23 * HOUR_MS);
    let switchMs = Infinity;
    if (startOffset !== endOffset) {
      let lo = 1; // first hour with the end offset is in [lo, hi]
      let hi = 23;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (zoneOffsetMin(this.zone, dayStart + mid * HOUR_MS) === endOffset) hi = mid;
        else lo = mid + 1;
      }
      switchMs = dayStart + lo * HOUR_MS;
    }
    return { startOffset, endOffset, switchMs };
  }
}

const clocks = new Map<string, ZoneClock>();

/** One shared clock per zone (a few hundred bytes per zone and day of the period). */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}
