import { describe, expect, it } from 'vitest';

import type { Principal } from '../../../shared/auth/guard.js';
import { bookingAccessFor, narrowStaffFilter } from '../../../shared/auth/policy.js';
import type { BookingRecord } from '../../../shared/booking/bookings.js';

const principal = (fields: Partial<Principal>): Principal =>
  ({ kind: 'user', userId: 'usr_1', permissions: [], scopes: 'all', ...fields }) as Principal;

const booking = (fields: Partial<BookingRecord>) =>
  ({ staffId: 'stf_a', ...fields }) as BookingRecord;

describe('bookingAccessFor', () => {
  it('lets owners, admins and granted staff reach every booking', () => {
    for (const who of [
      principal({ role: 'owner' }),
      principal({ role: 'admin' }),
      principal({ role: 'staff', staffId: 'stf_b', permissions: ['bookings:all'] }),
    ]) {
      expect(bookingAccessFor(who)(booking({ staffId: 'stf_z' }))).toBe(true);
    }
  });

  it('lets staff reach only bookings of their own staff record, and unlinked staff none', () => {
    const staff = bookingAccessFor(principal({ role: 'staff', staffId: 'stf_a' }));
    expect([staff(booking({ staffId: 'stf_a' })), staff(booking({ staffId: 'stf_b' }))]).toEqual([
      true,
      false,
    ]);
    expect(bookingAccessFor(principal({ role: 'staff' }))(booking({}))).toBe(false);
  });

  it('lets customers reach only bookings made with their account', () => {
    const customer = bookingAccessFor(principal({ role: 'customer', userId: 'cus_1' }));
    expect(customer(booking({ customerUserId: 'cus_1' }))).toBe(true);
    expect(customer(booking({ customerUserId: 'cus_2' }))).toBe(false);
    expect(customer(booking({}))).toBe(false);
  });
});

describe('narrowStaffFilter', () => {
  it('keeps the filter asked for by managers', () => {
    expect(narrowStaffFilter(principal({ role: 'admin' }), undefined)).toEqual({});
    expect(narrowStaffFilter(principal({ role: 'owner' }), 'stf_b')).toEqual({ staffId: 'stf_b' });
  });

  it('narrows staff to themselves and gives nothing for another staff member', () => {
    const staff = principal({ role: 'staff', staffId: 'stf_a' });
    expect(narrowStaffFilter(staff, undefined)).toEqual({ staffId: 'stf_a' });
    expect(narrowStaffFilter(staff, 'stf_a')).toEqual({ staffId: 'stf_a' });
    expect(narrowStaffFilter(staff, 'stf_b')).toBeUndefined();
    expect(narrowStaffFilter(principal({ role: 'staff' }), undefined)).toBeUndefined();
    expect(narrowStaffFilter(principal({ role: 'customer' }), undefined)).toBeUndefined();
  });
});
