import { describe, expect, it } from 'vitest';

import { buildInvite } from '../../../shared/notifications/ics.js';

describe('buildInvite', () => {
  it('writes names with double quotes as valid CN parameter values', () => {
    const text = buildInvite({
      uid: 'bk_1@slotwise',
      sequence: 0,
      start: new Date('2030-01-07T09:00:00Z'),
      end: new Date('2030-01-07T10:00:00Z'),
      summary: 'Consultation',
      description: 'Booked',
      organizerName: 'The "Best" Clinic',
      organizerEmail: 'clinic@example.com',
      attendee: { name: 'Jo "JJ" Bloggs', email: 'jo@example.com' },
      cancelled: false,
    });
    const unfolded = text.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`CN="Jo 'JJ' Bloggs"`);
    expect(unfolded).toContain(`CN="The 'Best' Clinic"`);
    expect(unfolded).not.toContain('\\"');
  });
});
