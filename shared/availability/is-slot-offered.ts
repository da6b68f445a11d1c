import { computeSlots } from './compute-slots.js';
import type { Slot, SlotQuery } from './types.js';

/**
 * The slot of `staffId` starting exactly at `start`, if computeSlots would list it; the re-check
 * on booking create and reschedule (leave the booking being moved out of `query.bookings`).
 *
 * It runs computeSlots itself on the window [start, start + 1 ms) with only that staff member,
 * so the two cannot disagree: computeSlots reads working hours from the local date before its
 * window and bookings and busy time regardless of the window, so narrowing it changes nothing
 * else. `query.from` and `query.to` are ignored.
 */
export function isSlotOffered(query: SlotQuery, staffId: string, start: number): Slot | undefined {
  const staff = query.staff.filter((member) => member.staffId === staffId);
  if (staff.length === 0 || !Number.isFinite(start)) return undefined;
  const slots = computeSlots({ ...query, staff, from: start, to: start + 1 });
  return slots.find((slot) => slot.start === start);
}
