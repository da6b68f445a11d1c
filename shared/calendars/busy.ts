import type { BusyBlock } from '../availability/types.js';
import { sql } from '../cosmos/sql.js';
import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';

/**
 * Time a staff member is busy outside Slotwise. Calendar sync writes these (subject-free: only
 * the interval is kept); availability reads them as blocked time.
 */
export interface BusyRecord extends TenantDoc {
  type: 'busy';
  staffId: string;
  start: string;
  end: string;
  /** Where the block came from, e.g. a calendar connection id. */
  source: string;
}

export async function loadBusyBlocks(
  store: TenantStore,
  staffIds: string[],
  from: number,
  to: number,
): Promise<BusyBlock[]> {
  if (staffIds.length === 0) return [];
  const records = await store.query<BusyRecord>(
    sql`SELECT * FROM c WHERE c.type = 'busy' AND ARRAY_CONTAINS(@staffIds, c.staffId) AND c.start < @to AND c.end > @from`,
    {
      '@staffIds': staffIds,
      '@from': new Date(from).toISOString(),
      '@to': new Date(to).toISOString(),
    },
  );
  return records.map((record) => ({
    staffId: record.staffId,
    start: Date.parse(record.start),
    end: Date.parse(record.end),
  }));
}
