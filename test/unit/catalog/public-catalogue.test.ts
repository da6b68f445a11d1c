import { describe, expect, it } from 'vitest';

import { toPublicCatalogue, type ServiceRecord } from '../../../shared/catalog/services.js';
import type { StaffRecord } from '../../../shared/catalog/staff.js';

const STAMP = '2030-01-01T00:00:00.000Z';

function staff(id: string, name: string): StaffRecord {
  return {
    id,
    tenantId: 't',
    type: 'staff',
    name,
    email: `${name.toLowerCase()}@example.com`,
    timeZone: 'America/New_York',
    weeklyHours: { mon: [{ start: '09:00', end: '17:00' }] },
    overrides: [],
    createdAt: STAMP,
    updatedAt: STAMP,
  };
}

function service(id: string, name: string, staffIds: string[]): ServiceRecord {
  return {
    id,
    tenantId: 't',
    type: 'service',
    name,
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    maxAdvanceDays: 60,
    slotIntervalMinutes: 30,
    capacity: 1,
    staffIds,
    questions: [],
    createdAt: STAMP,
    updatedAt: STAMP,
  };
}

describe('toPublicCatalogue', () => {
  it('leaves out services no current staff member performs, and names only current staff', () => {
    const current = [staff('stf_alex', 'Alex'), staff('stf_lee', 'Lee')];
    const catalogue = toPublicCatalogue(
      [
        service('svc_cut', 'Kut', ['stf_gone']),
        service('svc_consult', 'Consultation', ['stf_gone', 'stf_alex']),
        service('svc_none', 'Nobody yet', []),
      ],
      current,
    );
    expect(catalogue).toEqual({
      services: [
        {
          id: 'svc_consult',
          name: 'Consultation',
          durationMinutes: 30,
          capacity: 1,
          maxAdvanceDays: 60,
          staffIds: ['stf_alex'],
          questions: [],
        },
      ],
      // Lee performs no listed service, so customers have no one to choose there.
      staff: [{ id: 'stf_alex', name: 'Alex' }],
    });
  });
});
