import type { BookingAccess, BookingRecord } from '../booking/bookings.js';
import type { Principal } from './guard.js';

/**
 * Grants a person can hold beyond their role. Owners and admins already reach every booking;
 * `bookings:all` lets a staff member see and change every booking of the business, not only
 * their own (e.g. a receptionist).
 */
export const PERMISSIONS = ['bookings:all'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Whether the principal sees every booking of the business (managers, granted staff). */
export function reachesAllBookings(principal: Principal): boolean {
  if (principal.role === 'owner' || principal.role === 'admin') return true;
  return principal.role === 'staff' && principal.permissions.includes('bookings:all');
}

/**
 * The bookings a principal may see and change. Staff without the grant reach only bookings
 * assigned to the staff record they are linked to; a staff user linked to none reaches nothing.
 * Customers reach the bookings made while signed in to their account.
 */
export function bookingAccessFor(principal: Principal): BookingAccess {
  if (reachesAllBookings(principal)) return () => true;
  if (principal.role === 'staff') {
    const own = principal.staffId;
    return (booking: BookingRecord) => own !== undefined && booking.staffId === own;
  }
  if (principal.role === 'customer') {
    return (booking: BookingRecord) => booking.customerUserId === principal.userId;
  }
  return () => false;
}

/**
 * Narrows the admin booking list's `staffId` filter to what the principal may see:
 * `undefined` when they may see nothing of what was asked (the answer is an empty list, which
 * tells nothing about other staff members' bookings).
 */
export function narrowStaffFilter(
  principal: Principal,
  requested: string | undefined,
): { staffId?: string } | undefined {
  if (reachesAllBookings(principal)) return requested ? { staffId: requested } : {};
  const own = principal.staffId;
  if (principal.role !== 'staff' || !own) return undefined;
  if (requested && requested !== own) return undefined;
  return { staffId: own };
}
