/**
 * The public face of the availability engine. Import from here; the files behind it are details.
 */
export { computeSlots } from './compute-slots.js';
export { isSlotOffered } from './is-slot-offered.js';
export type {
  BookedInterval,
  BusyBlock,
  DateOverride,
  ServiceRules,
  Slot,
  SlotQuery,
  StaffSchedule,
  WallInterval,
  Weekday,
  WeeklyHours,
} from './types.js';
export { WEEKDAYS } from './types.js';
