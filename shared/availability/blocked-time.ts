/**
 * Time a candidate slot's core may not touch, indexed for a sweep over ascending candidates.
 *
 * Every rule about bookings, buffers and busy blocks reduces to "the candidate core [s, e) must
 * not intersect this interval": see toBlocks. A block may carry a session tag (the start of a
 * group session it belongs to) so that the session does not block a candidate at that start.
 */
import { MINUTE_MS } from '../time/local-date.js';
import type { BookedInterval, BusyBlock } from './types.js';

/** Tag of a block that blocks every candidate; no finite start equals it. */
export const NO_SESSION = Number.NEGATIVE_INFINITY;

export interface Block {
  start: number;
  end: number;
  /** NO_SESSION, or the start of the group session that does not block its own start. */
  session: number;
}

/** Candidate-side buffers, in minutes, of the service being booked. */
export interface CandidateBuffers {
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/**
 * The interval a booking blocks for candidate cores. The candidate core may not meet the
 * booking's core plus the booking's own buffers, and the candidate's core plus its buffers may
 * not meet the booking's core. Both intervals contain the booking's core, so their union is one
 * interval. Buffers may overlap each other: nothing compares buffer with buffer.
 */
export function bookingBlock(
  booking: BookedInterval,
  candidate: CandidateBuffers,
  session: number,
): Block | undefined {
  let start = booking.start - booking.bufferBeforeMinutes * MINUTE_MS;
  let end = booking.end + booking.bufferAfterMinutes * MINUTE_MS;
  // An empty booking core meets nothing, so only its own buffers keep time free.
  if (booking.end > booking.start) {
    start = Math.min(start, booking.start - candidate.bufferAfterMinutes * MINUTE_MS);
    end = Math.max(end, booking.end + candidate.bufferBeforeMinutes * MINUTE_MS);
  }
  return end > start ? { start, end, session } : undefined;
}

/**
 * The interval an external busy block blocks for candidate cores: the candidate's buffers are
 * time kept free, so the busy block may not fall inside them either.
 */
export function busyBlock(busy: BusyBlock, candidate: CandidateBuffers): Block | undefined {
  if (!(busy.end > busy.start)) return undefined;
  return {
    start: busy.start - candidate.bufferAfterMinutes * MINUTE_MS,
    end: busy.end + candidate.bufferBeforeMinutes * MINUTE_MS,
    session: NO_SESSION,
  };
}

/**
 * Answers "does any block other than session s meet [s, e)?" for candidates visited in
 * ascending order of e. Blocks are sorted by start once; for each prefix it keeps the latest end
 * and the latest end among blocks of any other session, so a query is a pointer move plus O(1),
 * and building is O(n log n).
 */
export class BlockSweep {
  private readonly starts: Float64Array;
  private readonly bestEnd: Float64Array;
  private readonly bestSession: Float64Array;
  /** Latest end among the prefix's blocks whose session differs from bestSession. */
  private readonly otherEnd: Float64Array;
  private count = 0;

  constructor(blocks: Block[]) {
    const sorted = [...blocks].sort((a, b) => a.start - b.start);
    const n = sorted.length;
    this.starts = new Float64Array(n);
    this.bestEnd = new Float64Array(n);
    this.bestSession = new Float64Array(n);
    this.otherEnd = new Float64Array(n);

    let bestEnd = Number.NEGATIVE_INFINITY;
    let bestSession = Number.NaN;
    let otherEnd = Number.NEGATIVE_INFINITY;
    sorted.forEach((block, i) => {
      if (block.session === bestSession) {
        bestEnd = Math.max(bestEnd, block.end);
      } else if (block.end > bestEnd) {
        // The old best has a different session and beats every earlier block.
        otherEnd = bestEnd;
        bestEnd = block.end;
        bestSession = block.session;
      } else {
        otherEnd = Math.max(otherEnd, block.end);
      }
      this.starts[i] = block.start;
      this.bestEnd[i] = bestEnd;
      this.bestSession[i] = bestSession;
      this.otherEnd[i] = otherEnd;
    });
  }

  /**
   * Whether [start, end) meets a block, ignoring blocks of the session that starts at `start`.
   * `end` must not decrease between calls.
   */
  blocks(start: number, end: number): boolean {
    while (this.count < this.starts.length && (this.starts[this.count] ?? 0) < end) this.count += 1;
    const last = this.count - 1;
    if (last < 0) return false;
    const latestEnd =
      this.bestSession[last] === start ? (this.otherEnd[last] ?? 0) : (this.bestEnd[last] ?? 0);
    return latestEnd > start;
  }
}
