/**
 * A zone's UTC offsets over a span of time, looked up once and then answered by arithmetic.
 *
 * Intl (behind Luxon's IANAZone.offset) costs microseconds per call, far too much for thousands
 * of slot candidates. Offsets only change at a zone's transitions, so this samples the span once
 * a day, bisects each change down to the second, and keeps the resulting segments.
 *
 * "Wall" values are local clock readings expressed as epoch milliseconds, as if the local clock
 * were UTC: 2024-03-10 02:30 in New York is `Date.UTC(2024, 2, 10, 2, 30)`.
 */
import { IANAZone } from 'luxon';

import { DAY_MS, HOUR_MS, MINUTE_MS } from './local-date.js';
import { assertValidTimeZone, formatWithOffset } from './zone.js';

// The tz database has never had two offset changes less than four days apart (checked against
// tzdata 2025c), so a daily sample cannot step over a change and its reversal.
const SAMPLE_STEP_MS = DAY_MS;

// More than any UTC offset ever used (local mean times reach about ±15:57), so a span padded by
// this on both sides covers every instant that can show a given wall time.
const MAX_OFFSET_MS = 16 * HOUR_MS;

const SECOND_MS = 1000;

export class ZoneOffsets {
  readonly zone: string;
  private readonly iana: IANAZone;
  private readonly coveredFrom: number;
  private readonly coveredTo: number;
  /** Segment i runs from starts[i] (inclusive) to starts[i + 1]; starts[0] is coveredFrom. */
  private readonly starts: number[];
  private readonly offsets: number[];

  private constructor(zone: string, iana: IANAZone, from: number, to: number) {
    this.zone = zone;
    this.iana = iana;
    this.coveredFrom = from;
    this.coveredTo = to;
    this.starts = [from];
    this.offsets = [this.sample(from)];
  }

  /**
   * Offsets of `zone` for instants in [from, to]. Lookups outside the span stay correct but fall
   * back to Intl, so callers size the span to their work. Throws a RangeError for a bad zone.
   */
  static build(zone: string, from: number, to: number): ZoneOffsets {
    assertValidTimeZone(zone);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
      throw new RangeError(`Offset span ${from}..${to} is not a finite, ordered pair of instants.`);
    }
    // Whole-minute samples let the bisection below step in minutes.
    const first = Math.floor(from / MINUTE_MS) * MINUTE_MS;
    const last = Math.ceil(to / MINUTE_MS) * MINUTE_MS;
    const table = new ZoneOffsets(zone, IANAZone.create(zone), first, last);

    let prevTime = first;
    let prevOffset = table.offsets[0] ?? 0;
    for (let t = Math.min(first + SAMPLE_STEP_MS, last); ; t = Math.min(t + SAMPLE_STEP_MS, last)) {
      const offset = table.sample(t);
      if (offset !== prevOffset) table.addTransition(prevTime, prevOffset, t);
      prevTime = t;
      prevOffset = offset;
      if (t >= last) break;
    }
    return table;
  }

  /**
   * Offsets for every instant whose local clock reads a wall value in [firstWall, lastWall], so
   * that instantsAt and firstInstantAt answer from the table for those walls.
   */
  static forWalls(zone: string, firstWall: number, lastWall: number): ZoneOffsets {
    return ZoneOffsets.build(zone, firstWall - MAX_OFFSET_MS, lastWall + MAX_OFFSET_MS);
  }

  /** `formatInZone(instant, zone)`, answered from the table. */
  format(instant: number): string {
    return formatWithOffset(instant, this.offsetAt(Math.floor(instant / 1000) * 1000), this.zone);
  }

  /** UTC offset in milliseconds at `instant`. */
  offsetAt(instant: number): number {
    if (instant < this.coveredFrom || instant > this.coveredTo) return this.sample(instant);
    return this.offsets[this.segmentOfInstant(instant)] ?? 0;
  }

  /** The local clock reading ("wall" value) at `instant`. */
  toWall(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * Every instant at which the local clock reads `wall`, ascending: none in a spring-forward gap,
   * two in an autumn overlap, otherwise one.
   */
  instantsAt(wall: number): number[] {
    if (!this.coversWall(wall)) return this.around(wall).instantsAt(wall);
    const i = this.lastSegmentStartingByWall(wall);
    const instants: number[] = [];

    // In an overlap the wall time also belongs to the segment before, whose instant is earlier.
    if (i > 0 && wall < this.wallEnd(i - 1)) instants.push(wall - this.offset(i - 1));
    if (wall < this.wallEnd(i)) instants.push(wall - this.offset(i));
    return instants;
  }

  /**
   * The first instant at which the local clock reads `wall` or later: the earlier instant in an
   * overlap, and the end of the gap (the transition) when `wall` falls in a gap.
   */
  firstInstantAt(wall: number): number {
    if (!this.coversWall(wall)) return this.around(wall).firstInstantAt(wall);
    const i = this.lastSegmentStartingByWall(wall);
    if (i > 0 && wall < this.wallEnd(i - 1)) return wall - this.offset(i - 1);
    if (wall < this.wallEnd(i)) return wall - this.offset(i);
    return this.starts[i + 1] ?? this.coveredTo;
  }

  private sample(instant: number): number {
    return Math.round(this.iana.offset(instant) * MINUTE_MS);
  }

  /** Bisects (before, after] down to the second and records where the offset changes. */
  private addTransition(before: number, beforeOffset: number, after: number): void {
    // Changes fall on whole minutes in all data since local mean time ended, so bisect minutes,
    // confirm with one look a second earlier, and step in seconds only when that fails.
    let lo = before;
    let hi = after;
    for (const step of [MINUTE_MS, SECOND_MS]) {
      if (step === SECOND_MS && this.sample(hi - SECOND_MS) === beforeOffset) break;
      while (hi - lo > step) {
        const mid = lo + Math.floor((hi - lo) / (2 * step)) * step;
        if (this.sample(mid) === beforeOffset) lo = mid;
        else hi = mid;
      }
    }
    this.starts.push(hi);
    this.offsets.push(this.sample(hi));
  }

  private offset(segment: number): number {
    return this.offsets[segment] ?? 0;
  }

  private wallEnd(segment: number): number {
    const next = this.starts[segment + 1];
    return next === undefined ? Number.POSITIVE_INFINITY : next + this.offset(segment);
  }

  private coversWall(wall: number): boolean {
    return wall - MAX_OFFSET_MS >= this.coveredFrom && wall + MAX_OFFSET_MS <= this.coveredTo;
  }

  private around(wall: number): ZoneOffsets {
    return ZoneOffsets.forWalls(this.zone, wall, wall);
  }

  private segmentOfInstant(instant: number): number {
    return lastIndexAtMost(this.starts.length, (i) => this.starts[i] ?? 0, instant);
  }

  private lastSegmentStartingByWall(wall: number): number {
    // Segment wall starts ascend because segments last days while offsets differ by hours.
    const found = lastIndexAtMost(
      this.starts.length,
      (i) => (this.starts[i] ?? 0) + this.offset(i),
      wall,
    );
    return Math.max(found, 0);
  }
}

/** Largest index i in [0, length) with key(i) <= value, or -1; key must ascend. */
function lastIndexAtMost(length: number, key: (i: number) => number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
